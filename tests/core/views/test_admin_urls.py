"""Every administration page refuses non-administrators: found through the URL resolver and the menu.

`admin_required` marks the views it wraps with `kontora_policy = is_administrator`; walking the resolver finds every
one of them, so a new administration page is covered the moment it is decorated. A page under
/administration/ without the mark, or an Administration menu item whose view lacks it, fails here.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import resolve, reverse

from kontora.accounts.models import UserRight
from kontora.core.hooks import MENU
from kontora.core.permissions import is_administrator
from tests.accounts.factories import UserFactory
from tests.support.http import signed_in
from tests.support.urls import converters, named_urls

SAMPLE_VALUES: dict[str, Any] = {"int": 1, "str": "x", "slug": "x", "path": "x", "uuid": uuid.UUID(int=1)}


def _url(name: str, route: str) -> str:
    kwargs = {param: SAMPLE_VALUES.get(converter, "x") for param, converter in converters(route).items()}
    return reverse(name, kwargs=kwargs or None)


def admin_urls() -> list[tuple[str, str]]:
    found = [(name, _url(name, route)) for name, pattern, route in named_urls()
             if getattr(pattern.callback, "kontora_policy", None) is is_administrator]
    return sorted(set(found))


# Administration menu items for a grantable right rather than the administrator's role, each with its right: the
# manual puts the import under «Администрирование», and an administrator may grant it (the view is guarded by the
# right; the role walk below still finds it refused to everyone without it).
BY_RIGHT = {"imports:list": "import_data"}


def admin_menu_items() -> list[tuple[str, str]]:
    return [(item.url_name, reverse(item.url_name)) for item in MENU.items() if item.section == "admin"]


def _request(client: Client, url: str) -> Any:
    """GET, or POST for the views that only take POST (end a session, delete a user, …)."""
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url)
    return response


@pytest.mark.feature("ACC-03")
def test_the_resolver_walk_finds_the_administration_views():
    # then: at least the pages of this area are found, so the walk itself works
    names = {name for name, _url_ in admin_urls()}
    assert {"accounts:users", "accounts:user_new", "accounts:user_edit", "accounts:user_rights",
            "accounts:user_delete", "accounts:sessions", "accounts:session_end"} <= names


@pytest.mark.feature("ACC-03")
def test_every_administration_menu_item_leads_to_a_marked_view():
    # when
    unmarked = [name for name, url in admin_menu_items()
                if getattr(resolve(url).func, "kontora_policy", None) is not is_administrator and name not in BY_RIGHT]
    # then
    assert unmarked == []


def test_an_administration_item_for_a_right_is_refused_without_it_and_shown_with_it(admin_user):
    # given a manager without the right and one with it
    plain = signed_in(UserFactory(login="m2", role="manager"))
    granted_user = UserFactory(login="m3", role="manager")
    UserRight.objects.create(user=granted_user, code="import_data")
    granted = signed_in(granted_user)
    for name, right in BY_RIGHT.items():
        url = reverse(name)
        # then only the one with the right opens it, and only his menu offers it
        assert (plain.get(url).status_code, granted.get(url).status_code) == (403, 200), right
        assert f'href="{url}"' not in plain.get("/").content.decode()
        assert f'href="{url}"' in granted.get("/").content.decode()


@pytest.mark.feature("ACC-03")
def test_every_page_under_the_administration_address_is_marked():
    # given: the convention that Administration pages live under /administration/
    everything = [(name, _url(name, route), pattern) for name, pattern, route in named_urls()]
    # when
    unmarked = [name for name, url, pattern in everything
                if url.startswith("/administration/")
                and getattr(pattern.callback, "kontora_policy", None) is not is_administrator]
    # then
    assert unmarked == []


def _users() -> dict[str, Callable[[], Any]]:
    return {
        "manager": lambda: UserFactory(login="m1", role="manager"),
        "supervisor": lambda: UserFactory(login="s1", role="supervisor"),
        "specialist": lambda: UserFactory(login="sp1", role="specialist"),
    }


@pytest.mark.feature("ACC-03", "ACC-05")
@pytest.mark.parametrize("role", ["manager", "supervisor", "specialist"])
def test_non_administrators_are_refused_on_every_administration_url(admin_user, role):
    # given
    client = signed_in(_users()[role]())
    targets = sorted(set(admin_urls()) | set(admin_menu_items()))
    # when
    statuses = {name: _request(client, url).status_code for name, url in targets}
    # then
    assert statuses == {name: 403 for name, _url_ in targets}


@pytest.mark.feature("ACC-03")
def test_anonymous_visitors_are_sent_to_the_login_page_from_every_administration_url(admin_user):
    # given
    client = Client()
    targets = sorted(set(admin_urls()) | set(admin_menu_items()))
    # when
    landings = {name: _request(client, url) for name, url in targets}
    # then
    for name, response in landings.items():
        assert response.status_code == 302, name
        assert response.url.startswith(reverse("accounts:login") + "?next="), name


@pytest.mark.feature("ACC-03")
def test_the_administrator_is_let_in_on_every_administration_page(admin_client):
    # given: pages with no object in the address (lists and forms), opened with GET
    pages = [(name, url) for name, url in admin_menu_items()]
    # when
    statuses = {name: admin_client.get(url).status_code for name, url in pages}
    # then
    assert statuses == {name: 200 for name, _url_ in pages}
