"""Settlements (DIR-03): the populated places' picker and list pages."""

from __future__ import annotations

import pytest

from tests.support.http import signed_in

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
