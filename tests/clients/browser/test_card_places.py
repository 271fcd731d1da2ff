"""The card's region and city in a real browser (issue 13, item 11): the city's options name their region and
district, choosing a city sets the region, and a chosen region narrows the city's options."""

from __future__ import annotations

import re

import pytest

from kontora.clients.models import Client
from tests.directories.factories import RegionFactory, SettlementFactory
from tests.support.browser import csp_violations, screenshot, sign_in, watch_csp


@pytest.mark.feature("DIR-03")
def test_choosing_a_city_sets_the_region_and_a_region_narrows_the_cities(page, live_server, manager_user,
                                                                          transactional_db):
    base = live_server.url
    # given two namesakes in two regions
    north, south = RegionFactory(code="Y1", name="Северная тестовая область"), RegionFactory(
        code="Y2", name="Южная тестовая область")
    SettlementFactory(region=north, name="Тестоград", area="Озёрный р-н")
    in_south = SettlementFactory(region=south, name="Тестоград", area="Степной р-н")
    watch_csp(page)
    sign_in(page, base, "manager")
    page.goto(f"{base}/clients/new/?kind=company")
    page.fill("#id_short_name", "Тестовый клиент")
    city = page.locator("[data-testid=picker-settlement] [data-picker-text]")
    region = page.locator("[data-testid=picker-region]")

    # when the city is typed: both namesakes are offered, each with its region and district
    city.fill("тестоград")
    page.wait_for_selector("[data-testid=picker-settlement] [data-pick]")
    options = page.locator("[data-testid=picker-settlement] [data-pick]")
    assert sorted(options.all_inner_texts()) == ["г Тестоград Северная тестовая область, Озёрный р-н",
                                                 "г Тестоград Южная тестовая область, Степной р-н"]
    screenshot(page, "client-card-city-namesakes")
    # and the southern one is chosen
    options.filter(has_text="Южная").click()
    # then the city names its region and district, and the region is set to the city's
    assert city.input_value() == "г Тестоград (Южная тестовая область, Степной р-н)"
    assert region.locator("[data-picker-text]").input_value() == "Южная тестовая область"
    assert region.locator("[data-picker-value]").input_value() == str(south.pk)

    # when the northern region is chosen and the city typed again
    region.locator("[data-picker-text]").fill("северная тест")
    page.wait_for_selector("[data-testid=picker-region] [data-pick]")
    region.locator("[data-picker-text]").press("Enter")
    city.fill("тестоград")
    page.wait_for_selector("[data-testid=picker-settlement] [data-pick]")
    # then only the northern Тестоград is offered; chosen, it is saved with its region
    assert options.all_inner_texts() == ["г Тестоград Северная тестовая область, Озёрный р-н"]
    city.press("Enter")
    page.click("[data-testid=client-apply]")
    page.wait_for_url(re.compile(rf"{base}/clients/\d+/(#tab-[\w-]+)?$"))
    saved = Client.objects.select_related("region", "settlement").get(short_name="Тестовый клиент")
    assert (saved.region, saved.settlement.region, saved.settlement.area) == (north, north, "Озёрный р-н")
    assert saved.settlement_id != in_south.pk
    assert csp_violations(page) == []
