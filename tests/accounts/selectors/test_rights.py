"""Roles and rights (accounts.policies, the RIGHTS registry of accounts.hooks): the base set of each role, grants
on top of it, and who they do not reach."""

from __future__ import annotations

import dataclasses

import pytest

from kontora.accounts import hooks, policies
from kontora.accounts.models import ClientScope, Role, UserRight
from tests.accounts.factories import UserFactory

RIGHTS = (
    "manage_users", "configure_system", "edit_directories", "edit_nomenclature", "change_past_data",
    "journals_all_users", "reports_all_users", "group_processing", "mailing", "keep_private_clients",
    "security_decisions", "configurator", "import_data", "export_clients",
)
EXPECTED = {
    "admin": {
        "manage_users", "configure_system", "edit_directories", "edit_nomenclature", "change_past_data",
        "journals_all_users", "reports_all_users", "group_processing", "mailing", "import_data", "export_clients",
    },
    "supervisor": {"journals_all_users", "reports_all_users"},
    "manager": set(),
    "specialist": set(),
}


@pytest.mark.feature("ACC-03", "ACC-05")
@pytest.mark.parametrize("role", ["admin", "supervisor", "manager", "specialist"])
@pytest.mark.parametrize("code", RIGHTS)
def test_each_role_has_exactly_its_base_rights(db, role, code):
    # given
    user = UserFactory(role=role)
    # when
    has = user.has_right(code)
    # then
    assert has is (code in EXPECTED[role])


@pytest.mark.feature("ACC-05")
@pytest.mark.parametrize("role", ["manager", "specialist"])
def test_managers_and_specialists_cannot_change_past_data_directories_or_settings(db, role):
    # given
    user = UserFactory(role=role)
    # then
    assert not user.has_right("change_past_data")
    assert not user.has_right("edit_directories")
    assert not user.has_right("configure_system")
    assert not user.has_right("journals_all_users")
    assert not user.has_right("reports_all_users")


@pytest.mark.feature("ACC-04")
def test_a_stored_grant_of_a_role_only_right_gives_nothing(db):
    # given: a row that only a bug or a hand-edited base could produce
    manager = UserFactory(role="manager")
    UserRight.objects.create(user=manager, code="manage_users")
    # then
    assert not manager.has_right("manage_users")


@pytest.mark.feature("ACC-01", "ACC-04")
def test_a_disabled_or_dismissed_user_has_no_rights(db):
    # given
    disabled = UserFactory(role="admin", disabled=True)
    dismissed = UserFactory(role="supervisor", dismissed=True)
    # then
    assert not disabled.has_right("manage_users")
    assert not dismissed.has_right("journals_all_users")


@pytest.mark.feature("ACC-04")
def test_an_unknown_right_is_a_programming_error(db):
    # given
    user = UserFactory(role="admin")
    # when / then
    with pytest.raises(KeyError):
        user.has_right("fly")


@pytest.mark.feature("ACC-04")
def test_the_registry_refuses_a_code_registered_twice():
    # given
    existing = hooks.get("mailing")
    # when / then
    with pytest.raises(ValueError, match="registered twice"):
        hooks.RIGHTS.register(dataclasses.replace(existing, order=existing.order + 1))


@pytest.mark.feature("ACC-03")
def test_every_role_has_a_default_working_mode_and_a_description():
    # then: the policies name the roles and modes by their values, which must stay the models' choices
    assert set(policies.ROLE_DEFAULT_SCOPE) == set(policies.ROLE_DESCRIPTIONS) == set(Role.values)
    assert set(policies.ROLE_DEFAULT_SCOPE.values()) <= set(ClientScope.values)
    assert policies.ROLE_DEFAULT_SCOPE[Role.ADMIN] == ClientScope.FULL
    assert {code for right in hooks.all_rights() for code in right.roles} <= set(Role.values)


@pytest.mark.feature("ACC-04")
def test_the_requests_user_comes_with_his_grants_and_a_change_is_seen_after_forget(db):
    # given a manager with two grants, one of them a role-only right that gives nothing
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kontora.accounts.backends import LoginBackend

    manager = UserFactory(role="manager")
    UserRight.objects.create(user=manager, code="journals_all_users")
    UserRight.objects.create(user=manager, code="manage_users")
    plain = UserFactory(role="manager")
    # when the users are read as a request reads its user
    read, bare = LoginBackend().get_user(manager.pk), LoginBackend().get_user(plain.pk)
    assert read is not None and bare is not None
    # then their rights need no query of their own, and are those read apart
    with CaptureQueriesContext(connection) as queries:
        rights, none = policies.effective_rights(read), policies.effective_rights(bare)
    assert not queries.captured_queries
    assert rights == policies.effective_rights(UserFactory._meta.model.objects.get(pk=manager.pk))
    assert "journals_all_users" in rights and "manage_users" not in rights
    assert none == policies.effective_rights(UserFactory._meta.model.objects.get(pk=plain.pk))
    # and a grant taken back is seen once the user's rights are forgotten (as the users service does)
    UserRight.objects.filter(user=manager, code="journals_all_users").delete()
    policies.forget(read)
    assert not read.has_right("journals_all_users")
