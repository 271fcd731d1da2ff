"""The plan of a report's period (TGT-04): working days of the production calendar, shares of weeks and months."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from kontora.targeting.models import Plan

pytestmark = [pytest.mark.django_db]


@pytest.mark.feature("TGT-02")
def test_the_plan_of_a_period_counts_working_days_or_shares_of_weeks_and_months() -> None:
    from kontora.reports.definitions.targeting import period_plan, workdays

    december = (datetime.date(2026, 12, 1), datetime.date(2026, 12, 31))
    week = (datetime.date(2026, 12, 7), datetime.date(2026, 12, 13))
    assert period_plan(Plan(per_day=Decimal(2)), workdays(*week)) == Decimal(10)
    assert period_plan(Plan(per_week=Decimal(8)), workdays(*week)) == Decimal(8)
    assert period_plan(Plan(per_month=Decimal(30)), workdays(*december)) == Decimal(30)
    assert period_plan(Plan(per_month=Decimal(30)), workdays(*week)) < Decimal(30)
    assert period_plan(None, workdays(*week)) == 0
