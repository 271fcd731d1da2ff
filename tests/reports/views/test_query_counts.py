"""Every report reads as many queries with many rows as with one: birthdays, personal statistics, the client
summary, the sales ladder conversion, targeting."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from kontora.clients.services.ladder import client_stage_change
from kontora.directories.models import LadderStage
from kontora.targeting.services import goal_save, plans_save
from tests.accounts.factories import UserFactory
from tests.activity.factories import EventFactory, TaskFactory, event_type
from tests.clients.factories import ClientFactory, ContactFactory
from tests.support.http import signed_in
from tests.support.queries import assert_flat_queries

pytestmark = [pytest.mark.django_db, pytest.mark.feature("RPT-01")]

TODAY = timezone.localdate()
PERIOD = {"run": "1", "date_from": (TODAY - datetime.timedelta(days=3)).isoformat(), "date_to": TODAY.isoformat()}


def _report(http: Any, slug: str, **more: Any) -> Any:
    return lambda: http.get(reverse("reports:report", args=[slug]), {**PERIOD, **more}).content.decode()


def test_birthdays(manager_user: Any) -> None:
    born = datetime.date(1980, TODAY.month, min(TODAY.day, 28))
    page = assert_flat_queries(
        _report(signed_in(manager_user), "birthdays", date_from=TODAY.replace(day=1).isoformat(),
                date_to=TODAY.replace(day=28).isoformat()),
        lambda n: ContactFactory(client=ClientFactory(curator=manager_user), full_name=f"Контакт {n}",
                                 birthday=born))
    assert "Контакт 19" in page


def test_personal_statistics(manager_user: Any) -> None:
    client = ClientFactory(curator=manager_user)

    def add(n: int) -> None:
        kind = event_type() if n % 2 else type(event_type()).objects.create(name=f"Тип {n}", name_key=f"тип {n}")
        EventFactory(client=client, author=manager_user, event_type=kind)
        TaskFactory(client=client, author=manager_user)
        ClientFactory(curator=manager_user, created_by=manager_user)

    page = assert_flat_queries(_report(signed_in(manager_user), "personal-statistics"), add)
    assert "Тип 18" in page


def test_client_summary(manager_user: Any) -> None:
    client = ClientFactory(curator=manager_user)
    http = signed_in(manager_user)

    def add(n: int) -> None:
        ContactFactory(client=client, full_name=f"Контакт {n}")
        EventFactory(client=client, author=manager_user, description=f"Событие {n}")
        TaskFactory(client=client, author=manager_user, description=f"Задача {n}")

    page = assert_flat_queries(
        lambda: http.get(reverse("reports:client_summary"), {"client": client.pk}).content.decode(), add)
    assert "Контакт 19" in page


def test_ladder_conversion(manager_user: Any) -> None:
    LadderStage.objects.update(is_active=False)
    stages = [LadderStage.objects.create(name=f"Этап {n}", name_key=f"этап {n}", order=n) for n in range(3)]

    def add(n: int) -> None:
        client = ClientFactory(curator=manager_user)
        with transaction.atomic():
            client_stage_change(acting_user=manager_user, client=client, stage=stages[n % 3], source="board")

    page = assert_flat_queries(_report(signed_in(manager_user), "ladder-conversion"), add)
    assert "Этап 2" in page


def test_targeting(admin_user: Any, supervisor_user: Any) -> None:
    goal_save(acting_user=admin_user, goal=None, values={"kind": "event", "event_type": event_type(),
                                                         "weight": Decimal("0.5"), "is_active": True})
    client = ClientFactory()

    def add(n: int) -> None:
        user = UserFactory(full_name=f"Сотрудник {n:02d}", role="manager")
        plans_save(acting_user=admin_user, plans={user.pk: {"per_day": Decimal(1), "per_week": Decimal(0),
                                                            "per_month": Decimal(0)}})
        from kontora.activity.services.events import event_create

        event_create(acting_user=admin_user, client=client, values={"event_type": event_type(),
                                                                     "description": "КП"})

    page = assert_flat_queries(_report(signed_in(supervisor_user), "targeting"), add, rows=8)
    assert "Сотрудник 07" in page
