"""Rights as the pages apply them: administration stays an administrator's, whatever was granted."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kontora.accounts import hooks
from kontora.accounts.services import users as services
from tests.accounts.factories import UserFactory
from tests.support.http import signed_in


@pytest.mark.feature("ACC-05")
@pytest.mark.parametrize("role", ["manager", "specialist", "supervisor"])
def test_a_non_administrator_with_every_grant_is_still_refused_administration(admin_user, role):
    # given
    user = UserFactory(login=f"{role}1", role=role)
    grantable = frozenset(right.code for right in hooks.all_rights() if right.grantable)
    services.user_rights_set(
        acting_user=admin_user, user_id=user.pk,
        access=services.UserAccess(role=role, client_scope="full", rights=grantable),
    )
    client = signed_in(user)
    # when
    responses = [client.get(reverse(name)) for name in ("accounts:users", "accounts:user_new", "accounts:sessions")]
    # then
    assert [response.status_code for response in responses] == [403, 403, 403]
    assert "Ваши права этого не позволяют." in responses[0].content.decode()


@pytest.mark.feature("ACC-03")
def test_the_administration_menu_is_shown_to_administrators_only(admin_client, manager_client):
    # when
    admin_home = admin_client.get(reverse("core:home")).content.decode()
    manager_home = manager_client.get(reverse("core:home")).content.decode()
    # then
    assert 'data-menu="admin"' in admin_home
    assert f'href="{reverse("accounts:users")}"' in admin_home
    assert f'href="{reverse("accounts:sessions")}"' in admin_home
    assert 'data-menu="admin"' not in manager_home
    assert reverse("accounts:users") not in manager_home
