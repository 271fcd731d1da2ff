"""Roles and rights: the base set of each role, grants on top of it, and who they do not reach."""

from __future__ import annotations

import dataclasses

import pytest
from django.urls import reverse

from kontora.accounts import rights as registry
from kontora.accounts.models import UserRight
from kontora.accounts.services import users as services
from tests.accounts.factories import UserFactory
from tests.support.http import signed_in

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
def test_a_grant_extends_the_role(admin_user):
    # given
    manager = UserFactory(role="manager")
    # when
    services.user_rights_set(
        acting_user=admin_user, user_id=manager.pk,
        access=services.UserAccess(role="manager", client_scope="list_all",
                                   rights=frozenset({"edit_directories", "keep_private_clients"})),
    )
    manager.refresh_from_db()
    # then
    assert manager.has_right("edit_directories")
    assert manager.has_right("keep_private_clients")
    assert not manager.has_right("configure_system")
    assert manager.client_scope == "list_all"


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
    existing = registry.get("mailing")
    # when / then
    with pytest.raises(ValueError, match="registered twice"):
        registry.RIGHTS.register(dataclasses.replace(existing, order=existing.order + 1))


@pytest.mark.feature("ACC-04")
def test_rights_of_the_card_reach_the_user_at_once(admin_client, admin_user):
    # given
    manager = UserFactory(login="ivan", role="manager")
    before = manager.has_right("mailing")
    # when
    services.user_rights_set(
        acting_user=admin_user, user_id=manager.pk,
        access=services.UserAccess(role="manager", client_scope="own", rights=frozenset({"mailing"})),
    )
    # then: a fresh request loads the user anew, without stale cached rights
    manager.refresh_from_db()
    registry.forget(manager)
    assert before is False
    assert manager.has_right("mailing")


@pytest.mark.feature("ACC-05")
@pytest.mark.parametrize("role", ["manager", "specialist", "supervisor"])
def test_a_non_administrator_with_every_grant_is_still_refused_administration(admin_user, role):
    # given
    user = UserFactory(login=f"{role}1", role=role)
    grantable = frozenset(right.code for right in registry.all_rights() if right.grantable)
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
