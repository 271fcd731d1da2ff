"""The Auto-substitution tab of Settings → Parameters (ORG-04)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kontora.directories.selectors.autosubst import auto_substitution_for
from tests.support.http import html


@pytest.mark.feature("ORG-04")
def test_parameters_window_has_the_auto_substitution_tab(
    manager_client: Client, manager_user: Any, cities: dict[str, Any],
) -> None:
    # given
    url = reverse("core:parameters")
    # when
    page = manager_client.get(url)
    saved = manager_client.post(url, {
        "language": "ru", "tab": "autosubst", "apply": "1",
        "autosubst-region": cities["khakassia"].pk, "autosubst-settlement": cities["abakan"].pk,
    })
    again = manager_client.get(url + "?tab=autosubst")
    wrong = manager_client.post(url, {
        "language": "ru", "tab": "general",
        "autosubst-region": cities["moscow_region"].pk, "autosubst-settlement": cities["abakan"].pk,
    })
    # then
    assert "Автоподстановка" in html(page) and 'name="autosubst-settlement"' in html(page)
    assert saved.status_code == 302 and saved.url == url + "?tab=autosubst"  # type: ignore[attr-defined]
    values = auto_substitution_for(manager_user)
    assert values is not None and values.settlement == cities["abakan"]
    assert "Абакан" in html(again)
    assert wrong.status_code == 200 and wrong.context["active_tab"] == "autosubst"
    assert "Этот город находится в другом регионе." in html(wrong)
    values = auto_substitution_for(manager_user)
    assert values is not None and values.region == cities["khakassia"]
