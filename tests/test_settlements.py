"""Settlements (DIR-03): the federal subjects and populated places of the hflabs dataset, found by prefix."""

from __future__ import annotations

import csv
import gzip

import pytest
from django.apps import apps

from kontora.directories.models import Region, Settlement
from kontora.directories.settlements import REGIONS_FILE, SETTLEMENTS_FILE, settlement_search, settlements_load
from tests.support.http import signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.feature("DIR-03")]


def test_every_new_base_has_the_85_regions_and_1129_places():
    # given a freshly migrated base
    # then
    assert Region.objects.count() == 85
    assert Settlement.objects.count() == 1129  # 1,117 cities plus 12 towns within Moscow and St Petersburg
    khakassia = Region.objects.get(code="19")
    assert (khakassia.name, khakassia.short_name, khakassia.iso_code) == ("Республика Хакасия", "Хакасия", "RU-KK")


def test_the_committed_files_are_what_the_base_holds():
    # given the committed data files
    with gzip.open(SETTLEMENTS_FILE, "rt", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    with REGIONS_FILE.open(encoding="utf-8") as fh:
        regions = list(csv.DictReader(fh))
    # then
    assert (len(rows), len(regions)) == (Settlement.objects.count(), Region.objects.count())


def test_a_place_keeps_its_codes():
    # given a freshly migrated base
    # when
    abakan = Settlement.objects.select_related("region").get(name="Абакан")
    # then
    assert (abakan.region.name, abakan.kind, abakan.postal_code, abakan.kladr, abakan.okato, abakan.oktmo,
            abakan.timezone, abakan.population) == (
        "Республика Хакасия", "г", "655000", "1900000100000", "95401000000", "95701000001", "UTC+7", 165183,
    )
    assert str(abakan.latitude) == "53.722333"
    assert Settlement.objects.get(name="Барнаул").okato == "01401000000"  # the leading zero is kept


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
        "Краснознаменск", "Кубинка", "Куровское",
    ]
    assert [place.name for place in first_three] == ["Абаза", "Абакан", "Абдулино"]


def test_an_empty_or_unmatched_prefix_finds_nothing_and_inactive_places_are_hidden():
    # given
    Settlement.objects.filter(name="Абакан").update(is_active=False)
    # then
    assert settlement_search("  ") == []
    assert settlement_search("qwerty") == []
    assert settlement_search("абак") == []


def test_loading_again_adds_nothing():
    # when
    created = settlements_load(apps)
    # then
    assert created == (0, 0)
    assert Settlement.objects.count() == 1129


def test_the_settlements_picker_offers_places_by_prefix(manager_user, admin_user):
    # given a manager
    client = signed_in(manager_user)
    # when
    response = client.get("/directories/settlements/pick/", {"q": "абак"})
    # then
    assert response.status_code == 200
    assert "Абакан" in response.content.decode()


def test_the_populated_places_directory_lists_and_searches_by_prefix(manager_user, admin_user):
    # given a manager
    client = signed_in(manager_user)
    # when
    response = client.get("/directories/settlements/", {"q": "ЕКАТ"})
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert "Екатеринбург" in html
    assert "Свердловская область" in html
    assert "Абакан" not in html
