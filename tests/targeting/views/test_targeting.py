"""Targeting's pages (TGT-01 … TGT-04): goals and plans set by administrators, the Assistant's monitor over a
scripted week, the report «Таргетинг — плановые показатели»."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from kontora.activity.services.events import event_create
from kontora.core.selectors.calendar import office_zone
from kontora.targeting import selectors
from kontora.targeting.models import Goal, Plan
from kontora.targeting.services import plans_save
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.support.http import signed_in
from tests.support.queries import assert_flat_queries
from tests.targeting.factories import make_goal

pytestmark = [pytest.mark.django_db]


SETUP, MONITOR, REPORT = "/targeting/setup/", "/targeting/monitor/", "/reports/targeting/"


@pytest.mark.feature("TGT-01")
def test_a_goal_is_refused_without_what_it_needs_next_to_the_field(admin_user: Any, kinds: dict[str, Any]) -> None:
    admin = signed_in(admin_user)
    page = admin.post("/targeting/goals/new/", {"kind": "event", "weight": "0", "is_active": "on"}).content.decode()
    assert "Выберите тип события, которым достигается цель." in page or "Убедитесь, что это значение" in page
    assert not Goal.objects.exists()
    answer = admin.post("/targeting/goals/new/", {"kind": "event", "weight": "0.5", "is_active": "on"})
    assert "Выберите тип события, которым достигается цель." in answer.content.decode()
    # positive control
    assert admin.post("/targeting/goals/new/", {"kind": "event", "event_type": kinds["offer"].pk, "weight": "0.5",
                                                "is_active": "on"}).status_code == 302
    assert Goal.objects.get().weight == Decimal("0.5")


@pytest.mark.feature("TGT-02")
def test_plans_are_set_for_each_employee_and_a_negative_one_is_refused(
        admin_user: Any, manager_user: Any, manager_client: Any) -> None:
    admin = signed_in(admin_user)
    page = admin.get(SETUP).content.decode()
    assert f'data-testid="targeting-plan-{manager_user.login}"' in page
    data = {f"{name}_{user.pk}": "0" for user in (admin_user, manager_user)
            for name in ("per_day", "per_week", "per_month")}
    refused = admin.post(SETUP, {**data, f"per_day_{manager_user.pk}": "-1"}).content.decode()
    assert 'data-testid="targeting-plans-error"' in refused and not Plan.objects.filter(per_day__lt=0).exists()
    assert admin.post(SETUP, {**data, f"per_day_{manager_user.pk}": "2", f"per_week_{manager_user.pk}": "8",
                              f"per_month_{manager_user.pk}": "30"}).status_code == 302
    plan = Plan.objects.get(user=manager_user)
    assert (plan.per_day, plan.per_week, plan.per_month) == (2, 8, 30)
    # and only administrators set them up
    assert manager_client.get(SETUP).status_code == 403
    assert manager_client.post(SETUP, data).status_code == 403


@pytest.mark.feature("TGT-02", "TGT-03")
def test_the_monitor_over_a_scripted_week(admin_user: Any, manager_user: Any, supervisor_user: Any,
                                          kinds: dict[str, Any], monkeypatch: Any) -> None:
    # given a plan of 2 units a day, 8 a week, 30 a month, and offers worth 1 unit each
    plans_save(acting_user=admin_user, plans={manager_user.pk: {
        "per_day": Decimal(2), "per_week": Decimal(8), "per_month": Decimal(30)}})
    make_goal(admin_user, kind="event", event_type=kinds["offer"], weight=Decimal(1))
    client = ClientFactory(curator=manager_user)
    zone = office_zone()
    # when the manager sends offers on Monday (1), Tuesday (2) and Wednesday (1) of a week of December 2026
    for day, count in ((7, 1), (8, 2), (9, 1)):
        at = datetime.datetime(2026, 12, day, 11, 0, tzinfo=zone)
        monkeypatch.setattr(timezone, "now", lambda at=at: at)
        for n in range(count):
            event_create(acting_user=manager_user, client=client, values={
                "event_type": kinds["offer"], "description": f"КП {day}-{n}"})
    # and one in the previous month
    monkeypatch.setattr(timezone, "now", lambda: datetime.datetime(2026, 11, 30, 11, 0, tzinfo=zone))
    event_create(acting_user=manager_user, client=client, values={"event_type": kinds["offer"], "description": "КП"})
    # then on Wednesday afternoon his monitor says: today 1 of 2, this week 4 of 8, this month 4 of 30
    monkeypatch.setattr(timezone, "now", lambda: datetime.datetime(2026, 12, 9, 15, 0, tzinfo=zone))
    figures = selectors.progress(manager_user, [manager_user.pk])[manager_user.pk]
    assert [(f.key, f.done, f.plan, f.percent) for f in figures] == [
        ("day", 1, 2, 50), ("week", 4, 8, 50), ("month", 4, 30, 13)]
    page = signed_in(manager_user).get(MONITOR).content.decode()
    assert 'data-testid="targeting-own-week"' in page and "4 / 8" in page and "targeting-summary" not in page
    # and the supervisor sees every planned employee's figures, the manager's among them
    summary = signed_in(supervisor_user).get(MONITOR).content.decode()
    assert 'data-testid="targeting-summary"' in summary and manager_user.full_name in summary
    # while someone without a plan and without the right is told so
    assert 'data-testid="targeting-monitor-empty"' in signed_in(UserFactory()).get(MONITOR).content.decode()


@pytest.mark.feature("TGT-04", "RPT-02")
def test_the_report_per_employee_and_company_against_the_plan_of_the_period(
        admin_user: Any, manager_user: Any, supervisor_user: Any, kinds: dict[str, Any], monkeypatch: Any) -> None:
    # given two managers with a plan of 1 unit a day, and offers worth 0.5 on Wednesday 9 December 2026
    monkeypatch.setattr(timezone, "now", lambda: datetime.datetime(2026, 12, 9, 11, 0, tzinfo=office_zone()))
    other = UserFactory(full_name="Борис Второй", role="manager")
    plans_save(acting_user=admin_user, plans={user.pk: {"per_day": Decimal(1), "per_week": Decimal(0),
                                                        "per_month": Decimal(0)} for user in (manager_user, other)})
    make_goal(admin_user, kind="event", event_type=kinds["offer"], weight=Decimal("0.5"))
    for user, count in ((manager_user, 3), (other, 1)):
        client = ClientFactory(curator=user)
        for n in range(count):
            event_create(acting_user=user, client=client, values={"event_type": kinds["offer"],
                                                                  "description": f"КП {n}"})
    period = {"run": "1", "date_from": "2026-12-09", "date_to": "2026-12-09"}
    # when the supervisor runs the report for that day
    page = signed_in(supervisor_user).get(REPORT, period).content.decode()
    # then each employee is a group with his goals and his plan for the day, and the company is the total
    assert manager_user.full_name in page and "Борис Второй" in page
    assert "Коммерческое предложение" in page and "150,0 %" in page and "50,0 %" in page
    assert "Компания в целом: 2,00 единиц из 2,00 по плану (100,0 %)." in page
    # and a manager without the right to report on everyone gets only his own
    own = signed_in(manager_user).get(REPORT, period).content.decode()
    assert manager_user.full_name in own and "Борис Второй" not in own


@pytest.mark.feature("TGT-02", "TGT-03")
def test_the_setup_page_and_the_monitor_read_as_many_queries_with_many_employees(
        admin_user: Any, supervisor_user: Any, kinds: dict[str, Any]) -> None:
    admin, supervisor = signed_in(admin_user), signed_in(supervisor_user)

    def add(n: int) -> None:
        user = UserFactory(full_name=f"Сотрудник {n:02d}", role="manager")
        plans_save(acting_user=admin_user, plans={user.pk: {"per_day": Decimal(1), "per_week": Decimal(5),
                                                            "per_month": Decimal(20)}})
        make_goal(admin_user, kind="event", event_type=kinds["offer"], weight=Decimal(n + 1))

    page = assert_flat_queries(lambda: admin.get(SETUP).content.decode(), add, rows=10)
    assert "Сотрудник 09" in page
    monitor = assert_flat_queries(lambda: supervisor.get(MONITOR).content.decode(),
                                  lambda n: add(n + 10), rows=10)
    assert "Сотрудник 19" in monitor
