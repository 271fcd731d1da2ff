"""The card's region and city (issue 13, item 11): the city's picker names its region and district, is narrowed by
the card's region, a chosen city sets the region, and an impossible pair is refused next to the city field."""

from __future__ import annotations

import re
from typing import Any

import pytest

from kontora.clients.models import Client
from kontora.directories.models import Region, Settlement
from tests.clients.factories import ClientFactory
from tests.clients.support import card_submit
from tests.support.http import html, signed_in

pytestmark = pytest.mark.feature("DIR-03")


def _place(name: str, region: str) -> Settlement:
    return Settlement.objects.get(name=name, region__name=region)


@pytest.fixture
def in_kirov(curator: Any) -> Client:
    sovetsk = _place("Советск", "Кировская область")
    return ClientFactory(curator=curator, short_name="Вятка", region=sovetsk.region, settlement=sovetsk)


def test_the_cards_city_names_its_region_and_district_and_is_narrowed_by_the_region(curator: Any,
                                                                                    in_kirov: Client) -> None:
    # given a client in Советск of the Kirov region
    browser = signed_in(curator)
    # when its card is opened
    page = html(browser.get(f"/clients/{in_kirov.pk}/"))
    # then the city tells which Советск, and its picker asks with the card's region
    city = re.search(r'<div class="k-picker[^>]*data-testid="picker-settlement">.*?</div>', page, re.S)
    assert city is not None
    assert 'value="г Советск (Кировская область, Советский р-н)"' in city.group(0)
    assert 'data-narrow="{&quot;region&quot;: &quot;region&quot;}"' in city.group(0)


def test_a_city_of_another_region_is_refused_next_to_the_city_field(curator: Any, in_kirov: Client) -> None:
    # given the card of a client in the Kirov region
    browser = signed_in(curator)
    moscow_oblast = Region.objects.get(name="Московская область")
    kazan = _place("Казань", "Республика Татарстан")
    # when the user chooses Московская область and Казань and applies
    response = card_submit(browser, in_kirov, {"region": moscow_oblast.pk, "settlement": kazan.pk})
    # then the card comes back with the reason under the city, and nothing is saved
    assert response.status_code == 200
    error = re.search(r'data-testid="error-settlement">([^<]*)<', html(response))
    assert error is not None
    assert error.group(1) == ("г Казань находится в регионе «Республика Татарстан», а не «Московская область»: "
                              "выберите населённый пункт выбранного региона или другой регион.")
    in_kirov.refresh_from_db()
    assert in_kirov.settlement.name == "Советск" and in_kirov.region.name == "Кировская область"


def test_choosing_a_city_alone_sets_its_region_on_save(curator: Any, in_kirov: Client) -> None:
    # given the card of a client in the Kirov region
    browser = signed_in(curator)
    kazan = _place("Казань", "Республика Татарстан")
    # when only the city is changed (the region as the page had it) and applied
    response = card_submit(browser, in_kirov, {"settlement": kazan.pk})
    # then the region is the city's
    assert response.status_code == 302
    in_kirov.refresh_from_db()
    assert (in_kirov.settlement_id, in_kirov.region.name) == (kazan.pk, "Республика Татарстан")


def test_a_new_card_with_only_a_city_takes_its_region(curator: Any) -> None:
    # given a new card
    browser = signed_in(curator)
    kazan = _place("Казань", "Республика Татарстан")
    from tests.support.forms import form_data
    data = form_data(html(browser.get("/clients/new/")), "client-card-form")
    data.setlist("short_name", ["Казанский"])
    data.setlist("settlement", [str(kazan.pk)])
    data.setlist("apply", ["1"])
    # when it is saved with a city and no region
    response = browser.post("/clients/new/", dict(data.lists()))
    # then the region is the city's
    assert response.status_code == 302, html(response)[:500]
    saved = Client.objects.get(short_name="Казанский")
    assert saved.region_id == kazan.region_id
