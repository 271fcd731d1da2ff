"""The card's region and city (issue 13, item 11): choosing a city sets its region; a city of another region is
refused next to the city, with nothing saved."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from kontora.clients.models import Client
from kontora.clients.services import card as services
from kontora.directories.models import Region, Settlement
from tests.clients.factories import ClientFactory

pytestmark = pytest.mark.feature("DIR-03")


def _place(name: str, region: str) -> Settlement:
    return Settlement.objects.get(name=name, region__name=region)


@pytest.fixture
def in_moscow_oblast(manager_user: Any) -> Client:
    podolsk = _place("Подольск", "Московская область")
    return ClientFactory(curator=manager_user, region=podolsk.region, settlement=podolsk)


def test_choosing_another_city_sets_its_region(manager_user: Any, in_moscow_oblast: Client) -> None:
    # given a client in Подольск, Московская область
    kazan = _place("Казань", "Республика Татарстан")
    # when only the city is changed (as a post without the page's script, or another program, sends it)
    services.client_update(acting_user=manager_user, client=in_moscow_oblast, values={"settlement": kazan})
    # then the region follows the city
    in_moscow_oblast.refresh_from_db()
    assert (in_moscow_oblast.settlement_id, in_moscow_oblast.region_id) == (kazan.pk, kazan.region_id)


def test_a_city_of_another_region_is_refused_next_to_the_city(manager_user: Any, in_moscow_oblast: Client) -> None:
    # given a client in Московская область
    kazan = _place("Казань", "Республика Татарстан")
    kirov = Region.objects.get(name="Кировская область")
    # when both are changed: the Kirov region, and Казань with it
    with pytest.raises(ValidationError) as refused:
        services.client_update(acting_user=manager_user, client=in_moscow_oblast,
                               values={"region": kirov, "settlement": kazan, "notes": "Переехали"})
    # then the city field carries the reason, and nothing is saved
    assert refused.value.message_dict == {"settlement": [
        "г Казань находится в регионе «Республика Татарстан», а не «Кировская область»: выберите населённый пункт "
        "выбранного региона или другой регион."]}
    in_moscow_oblast.refresh_from_db()
    assert in_moscow_oblast.settlement.name == "Подольск" and in_moscow_oblast.notes == ""


def test_a_new_card_with_an_impossible_pair_is_refused_and_a_right_pair_saved(manager_user: Any) -> None:
    # given Московская область with Казань, and (the control) with Подольск
    moscow_oblast = Region.objects.get(name="Московская область")
    kazan, podolsk = _place("Казань", "Республика Татарстан"), _place("Подольск", "Московская область")
    # when both are registered
    with pytest.raises(ValidationError) as refused:
        services.client_create(acting_user=manager_user, values={
            "kind": "company", "short_name": "Невозможная пара", "region": moscow_oblast, "settlement": kazan})
    right = services.client_create(acting_user=manager_user, values={
        "kind": "company", "short_name": "Верная пара", "region": moscow_oblast, "settlement": podolsk})
    # then only the right pair is kept
    assert list(refused.value.message_dict) == ["settlement"]
    assert not Client.objects.filter(short_name="Невозможная пара").exists()
    assert (right.region_id, right.settlement_id) == (moscow_oblast.pk, podolsk.pk)
