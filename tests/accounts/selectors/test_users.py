"""Reads of Administration → Users: a card only for those who administer users, the list's order."""

from __future__ import annotations

import pytest
from django.http import Http404

from kontora.accounts import selectors
from tests.accounts.factories import UserFactory


@pytest.mark.feature("ACC-02")
def test_a_users_card_is_read_by_an_administrator(admin_user, manager_user):
    # when
    card = selectors.access_user(admin_user, manager_user.pk)
    # then
    assert card == manager_user


@pytest.mark.feature("ACC-02", "ACC-05")
def test_a_non_administrator_and_a_missing_user_get_the_same_404(admin_user, manager_user):
    # when / then
    with pytest.raises(Http404):
        selectors.access_user(manager_user, admin_user.pk)
    with pytest.raises(Http404):
        selectors.access_user(admin_user, 999_999)


@pytest.mark.feature("ACC-02")
def test_the_list_sorts_by_a_column_and_falls_back_to_the_full_name(db):
    # given
    UserFactory(login="b", full_name="Анна", doc_prefix="Я")
    UserFactory(login="a", full_name="Борис", doc_prefix="А")
    # then
    assert [user.login for user in selectors.user_list(sort="doc_prefix")] == ["a", "b"]
    assert [user.login for user in selectors.user_list(sort="-doc_prefix")] == ["b", "a"]
    assert [user.login for user in selectors.user_list(sort="no-such-column")] == ["b", "a"]
    assert selectors.login_taken("A") and not selectors.login_taken("c")
