"""Billing's Flexi-filter conditions in a real browser (REG-04): «Сумма продаж за период» — a period and a sum."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from tests.billing.factories import SaleFactory
from tests.clients.factories import client_named
from tests.support.browser import sign_in


@pytest.mark.feature("REG-04", "SAL-01")
def test_clients_chosen_by_the_sum_of_their_sales_in_a_period(page, live_server, manager_user, transactional_db):
    # given: Альфа bought for 500 today, Бета for 100, Вектор nothing
    today = timezone.localdate()
    alpha = client_named("ООО «Альфа»", curator=manager_user)
    beta = client_named("ООО «Бета»", curator=manager_user)
    client_named("ООО «Вектор»", curator=manager_user)
    SaleFactory(client=alpha, author=manager_user, amount=Decimal("500.00"))
    SaleFactory(client=beta, author=manager_user, amount=Decimal("100.00"))
    sign_in(page, live_server.url, "manager")

    # when the condition «Сумма продаж за период: сумма не менее 300» over this month is built
    page.get_by_test_id("registry-filter").click()
    page.get_by_test_id("flexi-panel").wait_for()
    page.get_by_test_id("flexi-tab-statistics").click()
    page.get_by_test_id("flexi-add-sales_in_period").click()
    row = page.get_by_test_id("flexi-condition").first
    assert row.get_by_test_id("flexi-operator").input_value() == "sum_ge"
    row.get_by_test_id("flexi-amount").fill("300")
    row.get_by_test_id("flexi-from").fill(today.replace(day=1).isoformat())
    row.get_by_test_id("flexi-to").fill(today.isoformat())

    # then the live count finds one client, and applied the registry shows him
    page.get_by_test_id("flexi-count").filter(has_text="Найдено: 1").wait_for()
    page.get_by_test_id("flexi-apply").click()
    page.get_by_test_id("flexi-badge").wait_for()
    assert page.get_by_test_id("registry-name").all_inner_texts() == ["ООО «Альфа»"]
    assert "300,00" in page.get_by_test_id("flexi-badge").inner_text()

    # when "at most 100" is chosen instead: Бета, and Вектор who sold nothing
    page.get_by_test_id("registry-filter").click()
    page.get_by_test_id("flexi-panel").wait_for()
    row = page.get_by_test_id("flexi-condition").first
    row.get_by_test_id("flexi-operator").select_option("sum_le")
    row.get_by_test_id("flexi-amount").fill("100")
    page.get_by_test_id("flexi-count").filter(has_text="Найдено: 2").wait_for()
    page.get_by_test_id("flexi-apply").click()
    page.get_by_test_id("flexi-modal").wait_for(state="hidden")
    page.get_by_test_id("registry-name").filter(has_text="Вектор").wait_for()
    assert page.get_by_test_id("registry-name").all_inner_texts() == ["ООО «Бета»", "ООО «Вектор»"]
