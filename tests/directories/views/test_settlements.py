"""Settlements (DIR-03): the populated places' picker and list pages."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kontora.directories.models import Region, Settlement
from tests.directories.factories import RegionFactory, SettlementFactory
from tests.directories.oktmo import EXTRACT, oktmo_file
from tests.support.http import signed_in
from tests.support.queries import assert_flat_queries

pytestmark = [pytest.mark.django_db, pytest.mark.feature("DIR-03")]


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


def _options(html: str) -> list[str]:
    """The picker's options as the user reads them: name, then region and district."""
    return [" ".join(re.sub(r"<[^>]+>", " ", button).split())
            for button in re.findall(r"<button[^>]*data-pick=.*?</button>", html, re.S)]


def test_the_settlements_picker_names_the_region_and_district_of_namesakes(manager_user):
    # given three towns called Советск (Калининградская, Кировская, Тульская области)
    client = signed_in(manager_user)
    # when
    html = client.get("/directories/settlements/pick/", {"q": "советск"}).content.decode()
    # then each option and the text it puts in the box tell them apart
    options = [option for option in _options(html) if option.startswith("г Советск ")]
    assert sorted(options) == [
        "г Советск Калининградская область",
        "г Советск Кировская область, Советский р-н",
        "г Советск Тульская область, Щекинский р-н",
    ]
    assert 'data-text="г Советск (Кировская область, Советский р-н)"' in html
    # a city that is its own region is not named twice
    moscow = client.get("/directories/settlements/pick/", {"q": "москва"}).content.decode()
    assert 'data-text="г Москва"' in moscow


def test_a_region_narrows_the_settlements_picker(manager_user):
    # given the Kirov region
    kirov = Region.objects.get(name="Кировская область")
    client = signed_in(manager_user)
    # when the picker is asked with the card's region, and (the control) without one
    narrowed = client.get("/directories/settlements/pick/", {"q": "советск", "region": kirov.pk}).content.decode()
    everywhere = client.get("/directories/settlements/pick/", {"q": "советск"}).content.decode()
    # then only that region's Советск, which carries its region for the card to set
    assert _options(narrowed) == ["г Советск Кировская область, Советский р-н"]
    assert f'data-sets="{{&quot;region&quot;: [{kirov.pk}, &quot;Кировская область&quot;]}}"' in narrowed
    assert len([o for o in _options(everywhere) if o.startswith("г Советск ")]) == 3
    # a malformed region narrows nothing and breaks nothing
    assert client.get("/directories/settlements/pick/", {"q": "советск", "region": "x"}).status_code == 200


def test_the_settlements_picker_reads_as_many_queries_for_many_matches_as_for_one(manager_user):
    # given a manager and a region with one place, then twenty
    region = RegionFactory(code="T1", name="Тестовая область")
    client = signed_in(manager_user)

    def read() -> str:
        return client.get("/directories/settlements/pick/", {"q": "тестоград", "region": region.pk}).content.decode()

    def add(number: int) -> object:
        return SettlementFactory(region=region, name=f"Тестоград {number:02d}", area=f"Район {number}")

    # when / then: the regions come with their places, not one query each
    page = assert_flat_queries(read, add)
    assert page.count("data-pick-detail>Тестовая область, Район") == 20


def test_an_administrator_imports_the_classifier_and_sees_the_job(admin_user, django_capture_on_commit_callbacks):
    # given the administrator on the populated places' list
    client = signed_in(admin_user)
    listing = client.get("/directories/settlements/").content.decode()
    assert 'href="/directories/settlements/import/"' in listing
    # when he uploads an extract of the classifier
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/directories/settlements/import/",
                               {"file": SimpleUploadedFile("data-oktmo.csv", oktmo_file(EXTRACT))})
    # then the page follows the job to its end, and the villages are in the directory
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="job-summary"' in page and "добавлено: 3" in page
    assert Settlement.objects.filter(name="Безголосово", area="Алейский муниципальный район").exists()


def test_a_wrong_file_is_refused_next_to_the_file_field_and_a_manager_cannot_import(admin_user, manager_user):
    # given a CSV that is not the classifier
    other = SimpleUploadedFile("clients.csv", "ИНН;Наименование\r\n7707083893;Сбербанк\r\n".encode("cp1251"))
    # when the administrator uploads it, and a manager opens the page
    response = signed_in(admin_user).post("/directories/settlements/import/", {"file": other})
    manager = signed_in(manager_user)
    # then the reason is under the file field; the manager is refused and offered no button
    assert response.status_code == 400
    error = re.search(r'data-testid="error-file">([^<]*)<', response.content.decode())
    assert error is not None and error.group(1).startswith("Это не файл ОКТМО")
    assert manager.get("/directories/settlements/import/").status_code == 403
    assert "/directories/settlements/import/" not in manager.get("/directories/settlements/").content.decode()
