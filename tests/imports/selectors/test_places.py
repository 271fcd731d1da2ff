"""Regions and cities of an import recognised in the settlements directory (IMP-01, step 2), with the region
telling namesakes apart; the directory is read once per name, never per row."""

from __future__ import annotations

import pytest
from django.utils import translation

from kontora.directories.models import Region, Settlement
from kontora.imports.selectors.places import Places, city_key

pytestmark = [pytest.mark.django_db, pytest.mark.feature("IMP-01")]


@pytest.mark.parametrize(("typed", "code"), [
    ("Хакасия Респ.", "19"), ("Республика Хакасия", "19"), ("хакасия", "19"), ("Респ. Хакасия", "19"),
    ("Московская обл.", "50"), ("Московская область", "50"), ("г. Москва", "77"), ("Москва", "77"),
    ("Кемеровская обл.", "42"), ("Якутия", "14"), ("Саха /Якутия/ Респ.", "14"), ("Чувашия", "21"),
    ("Ханты-Мансийский АО", "86"), ("Алтай Респ.", "04"), ("Алтайский край", "22"), ("19", "19"), ("2", "02"),
    ("Северная Осетия", "15"),
])
def test_a_region_is_recognised_as_people_write_it(typed, code):
    # when
    region = Places().region(typed)
    # then
    assert region is not None and region.code == code
    assert region.name == Region.objects.get(code=code).name


@pytest.mark.parametrize("typed", ["Нарния", "Республика", "Московская Кемеровская", ""])
def test_a_region_the_directory_lacks_is_none(typed):
    assert Places().region(typed) is None


@pytest.mark.parametrize(("typed", "key"), [
    ("г. Абакан", ("абакан", "г")), ("Абакан", ("абакан", "")), ("Абакан г", ("абакан", "г")),
    ("город Санкт-Петербург", ("санкт петербург", "город")), ("пос. Ленинский", ("ленинский", "пос")),
    ("Г", ("г", "")),
])
def test_a_city_is_keyed_without_its_type(typed, key):
    assert city_key(typed) == key


def test_the_region_tells_namesakes_apart():
    # given: Кировск is a town of both the Murmansk and the Leningrad regions
    places = Places()
    murmansk = Settlement.objects.get(name="Кировск", region__code="51")
    # when
    found = places.find("Мурманская обл.", "г. Кировск")
    unknown = places.find("", "Кировск")
    # then
    assert (found.place.id, found.region.code, found.city_problem) == (murmansk.pk, "51", "")
    assert unknown.place is None
    with translation.override("ru"):
        assert places.find("", "Кировск").city_problem == (
            "В справочнике несколько населённых пунктов «Кировск»: укажите регион (или район), чтобы различить их, "
            "или выберите город в таблице.")


def test_a_city_without_a_region_gives_its_region():
    # when
    found = Places().find("", "Абакан")
    # then
    assert (found.place.name, found.region.code, found.region_problem, found.city_problem) == ("Абакан", "19", "", "")


def test_a_city_of_another_region_and_an_unknown_city_are_told():
    # given
    places = Places()
    # when
    with translation.override("ru"):
        elsewhere = places.find("Московская обл.", "Казань")
        unknown = places.find("Хакасия Респ.", "Тмутаракань")
        no_region = places.find("Нарния", "Абакан")
    # then
    assert (elsewhere.region.code, elsewhere.place) == ("50", None)
    assert elsewhere.city_problem == ("В справочнике населённых пунктов нет «Казань» в регионе «Московская "
                                      "область»: клиент импортируется без города.")
    assert unknown.city_problem == ("Города «Тмутаракань» нет в справочнике населённых пунктов: клиент "
                                    "импортируется без города.")
    assert (no_region.region.code, no_region.place.name) == ("19", "Абакан")
    assert no_region.region_problem == ("Региона «Нарния» нет в справочнике регионов: взят регион города — "
                                        "«Республика Хакасия».")


def test_places_are_read_once_per_name(django_assert_num_queries):
    # given
    with django_assert_num_queries(1):
        places = Places()  # the regions
    # when / then: a batch of names is one query, a name read before none
    with django_assert_num_queries(1):
        places.prefetch(["Абакан", "г. Абакан", "Кировск", "Тмутаракань"])
    with django_assert_num_queries(0):
        for _ in range(100):
            places.find("Хакасия Респ.", "Абакан")
            places.find("", "Тмутаракань")
    with django_assert_num_queries(1):
        places.find("", "Казань")
