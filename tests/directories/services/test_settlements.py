"""Settlements (DIR-03): the federal subjects and populated places of the hflabs dataset, loaded into every base."""

from __future__ import annotations

import csv
import gzip

import pytest
from django.apps import apps

from kontora.directories.data.settlements import REGIONS_FILE, SETTLEMENTS_FILE
from kontora.directories.models import Region, Settlement
from kontora.directories.services.settlements import settlements_load

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


def test_loading_again_adds_nothing():
    # when
    created = settlements_load(apps)
    # then
    assert created == (0, 0)
    assert Settlement.objects.count() == 1129
