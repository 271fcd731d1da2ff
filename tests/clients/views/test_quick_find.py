"""Ctrl+F finds what people type (issue 13, item 8): a name by its meaningful part as well as from its start, and
with no match the nearest name in order — never an empty list."""

from __future__ import annotations

import re

import pytest

from kontora.clients.models import Client
from kontora.clients.services.card import client_update
from tests.clients.factories import client_named
from tests.clients.support import registry_names as names
from tests.support.http import signed_in


def find(browser, text: str) -> str:  # type: ignore[no-untyped-def]
    return browser.get("/clients/registry/find/", {"q": text}, HTTP_HX_REQUEST="true").content.decode()


def focused(html: str) -> list[str]:
    """The names of the rows under the cursor (one, when the find worked)."""
    return re.findall(r'class="[^"]*k-focus"[^>]*>.*?data-testid="registry-name">([^<]*)<', html, re.S)


@pytest.fixture
def office(admin_user):  # type: ignore[no-untyped-def]
    for name in ["ООО «Альфа»", "ООО «Юпитер-Строй»", "ООО «Юпитер»", "ЗАО «Юпитер Плюс»", "ПАО «Юпитер-Финанс»",
                 "ООО «Ромашка»", "ИП Юсупов", "Общество с ограниченной ответственностью «Орион»"]:
        client_named(name, curator=admin_user)
    return signed_in(admin_user)


@pytest.mark.feature("REG-07")
def test_a_name_is_found_by_its_meaningful_part_past_the_legal_form_and_quotes(office):
    # when
    html = find(office, "Юпитер")
    # then: the cursor on the closest meaningful name, the rows in the registry's name order from it
    assert focused(html) == ["ООО «Юпитер»"]
    assert names(html)[0] == "ООО «Юпитер»"
    assert names(html)[:3] == ["ООО «Юпитер»", "ООО «Юпитер-Строй»", "ПАО «Юпитер-Финанс»"]
    assert focused(find(office, "юпитер п")) == ["ЗАО «Юпитер Плюс»"]
    assert focused(find(office, "орион")) == ["Общество с ограниченной ответственностью «Орион»"]


@pytest.mark.feature("REG-07")
def test_a_name_typed_with_its_legal_form_is_still_found_from_its_start(office):
    assert focused(find(office, "пао юп")) == ["ПАО «Юпитер-Финанс»"]
    assert focused(find(office, "ООО «Ром")) == ["ООО «Ромашка»"]
    assert focused(find(office, "ооо")) == ["ООО «Альфа»"]


@pytest.mark.feature("REG-07")
def test_a_name_starting_with_the_text_goes_before_one_whose_meaningful_part_does(office, admin_user):
    # given
    client_named("Юпитеры и Ко", curator=admin_user)
    # then
    assert focused(find(office, "юпитер")) == ["Юпитеры и Ко"]
    assert focused(find(office, "юпитер-с")) == ["ООО «Юпитер-Строй»"]


@pytest.mark.feature("REG-07")
def test_with_no_match_the_cursor_goes_to_the_nearest_name_not_to_an_empty_list(office):
    # when: nothing starts with the text; the next meaningful name in order is «Юсупов»
    between = find(office, "Юпитерз")
    # and: the text sorts after every name
    past = find(office, "Яяя")
    # then
    assert focused(between) == ["ИП Юсупов"]
    assert focused(past) and names(past)[-1] == focused(past)[0]
    assert len(names(past)) == Client.objects.count()


@pytest.mark.feature("REG-07")
def test_the_meaningful_part_never_finds_a_client_the_user_does_not_see(two_managers):
    # given
    first, second = two_managers
    client_named("ООО «Юпитер чужой»", curator=second)
    client_named("ООО «Альфа своя»", curator=first)
    # when
    html = find(signed_in(first), "юпитер")
    # then: the user's nearest own client, never the other's
    assert names(html) == ["ООО «Альфа своя»"]


@pytest.mark.feature("REG-07")
def test_a_renamed_client_is_found_by_its_new_meaningful_part(admin_user):
    # given
    client = client_named("ООО «Старое имя»", curator=admin_user)
    client_named("ООО «Альфа»", curator=admin_user)
    # when
    client_update(acting_user=admin_user, client=client, values={"short_name": "АО «Новое имя»"})
    # then
    assert Client.objects.get(pk=client.pk).name_core_key == "новое имя"
    assert focused(find(signed_in(admin_user), "новое")) == ["АО «Новое имя»"]
