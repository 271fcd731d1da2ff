"""The card's history moves into the audit (migration clients 0010): every ClientChange row becomes an AuditEvent
row about its client with the same moment, author, action and details, and the old table goes."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from kontora.core.models import AuditEvent
from tests.accounts.factories import UserFactory
from tests.support.migrations import migrate_latest, migrate_to

BEFORE = [("clients", "0009_client_code_sequence")]
AFTER = [("clients", "0010_history_in_audit")]


@pytest.fixture
def before_the_move(transactional_db: Any) -> Iterator[Any]:
    """The base as it was before the move (the history in clients_clientchange); the newest schema after."""
    apps = migrate_to(BEFORE)
    yield apps
    migrate_latest()


def _old_client(apps: Any, code: int, name: str, curator: Any) -> Any:
    """A client as the schema before the move keeps it (the model of today has columns added since)."""
    return apps.get_model("clients", "Client").objects.create(
        code=code, short_name=name, full_name=name, name_key=name.casefold(), full_name_key=name.casefold(),
        curator_id=curator.pk)


@pytest.mark.feature("CLI-12")
def test_the_old_history_rows_become_audit_rows_of_their_clients(before_the_move: Any) -> None:
    # given two cards with history rows written before the move, one by a user since deleted
    manager = UserFactory(login="manager", full_name="Алексей Менеджеров")
    client = _old_client(before_the_move, 1, "Ромашка", manager)
    other = _old_client(before_the_move, 2, "Лютик", manager)
    ClientChange = before_the_move.get_model("clients", "ClientChange")
    at = timezone.make_aware(datetime.datetime(2024, 5, 6, 7, 8))
    changed = ClientChange.objects.create(client_id=client.pk, user_id=manager.pk, action="Карточка изменена",
                                          details=[{"field": "Заметки", "old": "", "new": "Проверено"}])
    ClientChange.objects.filter(pk=changed.pk).update(at=at)
    ClientChange.objects.create(client_id=other.pk, user_id=None, action="Карточка зарегистрирована", details=[])

    # when the base is migrated
    migrate_to(AFTER)

    # then each row is an audit row about its client, with its moment, author, action and details
    rows = {row.client_id: row for row in AuditEvent.objects.all()}
    assert set(rows) == {client.pk, other.pk}
    moved = rows[client.pk]
    assert (moved.event, moved.summary, moved.actor_id, moved.at, moved.target_type, moved.target_id) == (
        "clients.history", "Карточка изменена", manager.pk, at, "clients.client", client.pk)
    assert (moved.changes, moved.extra) == ([{"field": "Заметки", "old": "", "new": "Проверено"}], {})
    assert (rows[other.pk].summary, rows[other.pk].actor_id, rows[other.pk].changes) == (
        "Карточка зарегистрирована", None, [])
    # and the old table is gone
    assert "clients_clientchange" not in connection.introspection.table_names()
