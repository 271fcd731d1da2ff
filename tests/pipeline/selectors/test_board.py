"""The board's reads (LAD-04): columns, cards a page at a time, counts, and the conversion between stages."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from kontora.accounts.models import ClientScope
from kontora.clients.models import StageChange
from kontora.clients.services.ladder import client_stage_change
from kontora.directories.models import LadderStage
from kontora.pipeline import selectors
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.support.queries import count_queries

pytestmark = [pytest.mark.django_db, pytest.mark.feature("LAD-04")]


def _ladder(*names: str) -> list[LadderStage]:
    """A ladder of these stages only (the seeded ones retired)."""
    LadderStage.objects.update(is_active=False)
    return [LadderStage.objects.create(name=name, name_key=name.lower(), order=n) for n, name in enumerate(names)]


def test_columns_are_the_clients_off_the_ladder_then_the_active_stages_in_order(manager_user: Any) -> None:
    second, first = _ladder("Переговоры", "Знакомство")
    first.order, second.order = 1, 2
    first.save(), second.save()
    LadderStage.objects.create(name="Старый", name_key="старый", is_active=False)
    assert [(s.key, s.name) for s in selectors.stages()] == [
        ("off", ""), (str(first.pk), "Знакомство"), (str(second.pk), "Переговоры")]


def test_a_column_pages_on_in_name_order_and_holds_only_clients_the_user_opens(manager_user: Any) -> None:
    # given 25 own clients on one stage, another manager's client there, and one of another stage
    stage, other_stage = _ladder("Знакомство", "Переговоры")
    own = [ClientFactory(curator=manager_user, ladder_stage=stage, short_name=f"Клиент {n:02d}") for n in range(25)]
    ClientFactory(curator=UserFactory(), ladder_stage=stage, short_name="Чужой")
    ClientFactory(curator=manager_user, ladder_stage=other_stage, short_name="Другой этап")
    manager_user.client_scope = ClientScope.OWN
    manager_user.save()
    column = selectors.Stage(str(stage.pk), stage.pk, stage.name)
    # when the column is read a page at a time
    first = selectors.cards(manager_user, None, column, {})
    second = selectors.cards(manager_user, None, column, {"after": first.after})
    # then the pages follow the names, with nothing lost or repeated, and no foreign card
    names = [card["short_name"] for card in first.rows + second.rows]
    assert names == [client.short_name for client in own]
    assert (len(first.rows), bool(first.after), bool(second.after)) == (selectors.PAGE, True, False)
    # and the board's first load (his own clients read once, numbered within their stage) gives the same page
    loaded = selectors.first_cards(manager_user, None, selectors.stages())
    assert (loaded[column.key].rows, loaded[column.key].after) == (first.rows, first.after)
    assert [card["short_name"] for card in loaded[str(other_stage.pk)].rows] == ["Другой этап"]
    # and the counts say the same, exactly
    counted = selectors.counts(manager_user, None, selectors.stages(), exact=False)
    assert (counted[column.key].count, counted[str(other_stage.pk)].count, counted["off"].count) == (25, 1, 0)


def test_counts_along_the_index_leave_out_other_curators_private_clients(admin_user: Any) -> None:
    # given a stage with a shared client, the admin's own private one, and another curator's private one
    (stage,) = _ladder("Знакомство")
    ClientFactory(ladder_stage=stage)
    ClientFactory(curator=admin_user, ladder_stage=stage, is_private=True)
    ClientFactory(curator=UserFactory(), ladder_stage=stage, is_private=True)
    ClientFactory(curator=UserFactory(), is_private=True)
    # when the unfiltered board counts
    counted = selectors.counts(admin_user, None, selectors.stages(), exact=False)
    # then the other curator's private clients are not counted (and not shown)
    assert (counted[str(stage.pk)].count, counted["off"].count) == (2, 0)
    column = selectors.Stage(str(stage.pk), stage.pk, stage.name)
    assert len(selectors.cards(admin_user, None, column, {}).rows) == 2


def test_under_a_filter_a_column_is_counted_up_to_the_cap_and_exactly_on_request(
        manager_user: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    (stage,) = _ladder("Знакомство")
    for n in range(5):
        ClientFactory(curator=manager_user, ladder_stage=stage, short_name=f"Альфа {n}")
    ClientFactory(curator=manager_user, ladder_stage=stage, short_name="Бета")
    condition = Q(short_name__startswith="Альфа")
    capped = selectors.counts(manager_user, condition, selectors.stages(), exact=False)[str(stage.pk)]
    exact = selectors.counts(manager_user, condition, selectors.stages(), exact=True)[str(stage.pk)]
    assert (capped.count, capped.more, exact.count, exact.more) == (3, True, 5, False)


def test_reading_the_board_costs_the_same_queries_with_many_cards(manager_user: Any) -> None:
    stage, _second = _ladder("Знакомство", "Переговоры")

    def read() -> int:
        columns = selectors.stages()
        with count_queries() as counted:
            selectors.counts(manager_user, None, columns, exact=False)
            for column in columns:
                selectors.cards(manager_user, None, column, {})
        return len(counted)

    ClientFactory(curator=manager_user, ladder_stage=stage)
    one = read()
    for _n in range(30):
        ClientFactory(curator=manager_user, ladder_stage=stage)
    assert read() == one


def _move(user: Any, client: Any, stage: LadderStage, when: datetime.datetime) -> None:
    with transaction.atomic():
        client_stage_change(acting_user=user, client=client, stage=stage, source="board")
    StageChange.objects.filter(client=client, to_stage=stage).update(changed_at=when)


def test_conversion_counts_each_client_at_its_highest_stage_of_the_period(manager_user: Any) -> None:
    # given a ladder of three stages and moves in the period, before it, and of another manager's client
    first, second, third = _ladder("Знакомство", "Переговоры", "Сделка")
    now = timezone.now()
    start, end = now - datetime.timedelta(days=10), now + datetime.timedelta(days=1)
    a, b, c, old = (ClientFactory(curator=manager_user) for _n in range(4))
    _move(manager_user, a, first, now - datetime.timedelta(days=3))
    _move(manager_user, a, second, now - datetime.timedelta(days=2))
    _move(manager_user, a, third, now - datetime.timedelta(days=1))
    _move(manager_user, b, first, now - datetime.timedelta(days=2))
    _move(manager_user, b, second, now - datetime.timedelta(days=1))
    _move(manager_user, c, second, now - datetime.timedelta(days=1))  # came in straight at the second stage
    _move(manager_user, old, third, now - datetime.timedelta(days=30))
    foreign = ClientFactory(curator=UserFactory())
    StageChange.objects.create(client=foreign, to_stage=third, changed_at=now, source="board")
    manager_user.client_scope = ClientScope.OWN
    manager_user.save()
    # when the conversion is read for the period
    steps = selectors.conversion(manager_user, None, start, end)
    # then each client counts at its highest stage and every stage below it
    assert [(s.stage, s.reached, s.onwards) for s in steps] == [
        ("Знакомство", 3, Decimal("100.0")), ("Переговоры", 3, Decimal("33.3")), ("Сделка", 1, None)]
