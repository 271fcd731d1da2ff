"""Settings → Parameters → Auto-substitution in a real browser (ORG-04); takes the guide's screenshot."""

from __future__ import annotations

import pytest

from kontora.directories.models import Region, Settlement
from kontora.directories.selectors.autosubst import auto_substitution_for
from tests.support.browser import screenshot, sign_in


@pytest.mark.feature("ORG-04")
def test_manager_sets_the_default_city_on_the_auto_substitution_tab(page, live_server, manager_user,
                                                                     transactional_db):
    base = live_server.url
    # given
    khakassia = Region.objects.filter(code="19").first() or Region.objects.create(
        code="19", name="Хакасия", name_key="хакасия", short_name="Хакасия")
    if not Settlement.objects.filter(region=khakassia, name="Абакан").exists():
        Settlement.objects.create(region=khakassia, name="Абакан", name_key="абакан", kind="г")
    sign_in(page, base, "manager")
    # when: Settings → Parameters → Auto-substitution, the city chosen by its first letters
    page.goto(f"{base}/settings/parameters/")
    page.click("#tab-autosubst")
    city = page.locator("#id_autosubst-settlement")
    city.fill("абак")
    page.wait_for_selector("[data-picker=settlements] [data-pick]")
    city.press("ArrowDown")
    city.press("Enter")
    screenshot(page, "parameters-autosubstitution")
    page.click("button[name=apply]")
    page.wait_for_url(f"{base}/settings/parameters/?tab=autosubst")
    # then: the region follows the city
    values = auto_substitution_for(manager_user)
    assert values is not None
    assert (values.settlement.name, values.region) == ("Абакан", khakassia)  # type: ignore[union-attr]
    assert page.locator("#id_autosubst-region").input_value() == khakassia.name
