"""Settlements (DIR-03): the populated places found by the beginning of their name."""

from __future__ import annotations

import pytest

from kontora.directories.models import Region, Settlement
from kontora.directories.selectors.settlements import places_named, regions_active, settlement_search

pytestmark = [pytest.mark.django_db, pytest.mark.feature("DIR-03")]


def test_the_manuals_example_abakan_is_found_by_a_lowercase_prefix():
    # when
    found = settlement_search("абак")
    # then
    assert [(place.name, place.region.name) for place in found] == [("Абакан", "Республика Хакасия")]


def test_prefix_search_ignores_case():
    # when
    found = settlement_search("ЕКАТ")
    # then
    assert [str(place) for place in found] == ["г Екатеринбург"]
    assert found[0].region.name == "Свердловская область"


@pytest.mark.parametrize("prefix", ["орёл", "орел", "ОРЁЛ"])
def test_yo_and_ye_are_the_same_letter(prefix):
    # when
    found = settlement_search(prefix)
    # then
    assert [place.name for place in found] == ["Орёл"]


def test_search_within_a_region_and_limited():
    # given
    moscow_oblast = Region.objects.get(code="50")
    # when
    in_region = settlement_search("к", region_id=moscow_oblast.pk)
    first_three = settlement_search("а", limit=3)
    # then
    assert [place.name for place in in_region] == [
        "Кашира", "Клин", "Коломна", "Королёв", "Котельники", "Красноармейск", "Красногорск", "Краснозаводск",
        "Краснознаменск", "Кубинка", "Куровское", "Старая Купавна",  # a later word starting with «к»
    ]
    assert [place.name for place in first_three] == ["Абаза", "Абакан", "Абдулино"]


def test_an_empty_or_unmatched_prefix_finds_nothing_and_inactive_places_are_hidden():
    # given
    Settlement.objects.filter(name="Абакан").update(is_active=False)
    # then
    assert settlement_search("  ") == []
    assert settlement_search("qwerty") == []
    assert settlement_search("абак") == []


def test_regions_active_are_every_region_but_those_switched_off():
    # given
    Region.objects.filter(code="19").update(is_active=False)
    # when
    codes = [region.code for region in regions_active()]
    # then
    assert "19" not in codes and "50" in codes and codes == sorted(codes)


def test_places_are_read_by_their_names_keys_in_one_query(django_assert_num_queries):
    # given
    Settlement.objects.filter(name="Зеленогорск", region__code="24").update(is_active=False)
    # when
    with django_assert_num_queries(1):
        found = places_named(["кировск", "абакан", "зеленогорск", "тмутаракань", ""])
    # then
    assert sorted(found) == ["абакан", "зеленогорск", "кировск", "тмутаракань"]
    assert sorted(Region.objects.get(pk=place.region_id).code for place in found["кировск"]) == ["47", "51"]
    assert [(place.name, place.kind) for place in found["абакан"]] == [("Абакан", "г")]
    assert [Region.objects.get(pk=place.region_id).code for place in found["зеленогорск"]] == ["78"]
    assert found["тмутаракань"] == []
    with django_assert_num_queries(0):
        assert places_named(["", " "][:1]) == {}
