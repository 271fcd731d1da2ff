"""The audit (core.audit): one row per write, inside the writing transaction, with the changed fields."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from kontora.core import numbering
from kontora.core.audit import audit_record, audit_record_many, model_update
from kontora.core.models import AuditEvent, Department
from tests.support.queries import count_queries


@pytest.mark.django_db(transaction=True)
def test_a_write_rolled_back_leaves_no_audit_row(admin_user: Any) -> None:
    # given an audited service (the administrator moves a document counter)
    # when the outer transaction fails after it
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        numbering.number_set_next(acting_user=admin_user, kind="invoice", year=2026, next_number=10)
        _ = 1 / 0
    # then neither the change nor its audit row stayed
    assert not AuditEvent.objects.exists()
    assert numbering.number_peek(kind="invoice", year=2026) == 1
    # a positive control: committed, the row is there
    numbering.number_set_next(acting_user=admin_user, kind="invoice", year=2026, next_number=10)
    assert AuditEvent.objects.get().event == "core.number.set_next"


@pytest.mark.django_db(transaction=True)
def test_an_audit_row_is_written_only_inside_a_transaction(admin_user: Any) -> None:
    with pytest.raises(RuntimeError, match="inside the service's transaction"):
        audit_record(actor=admin_user, event="core.test", summary="Проверка")
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_an_audit_row_names_who_what_and_the_client(admin_user: Any) -> None:
    department = Department.objects.create(name="Продажи")
    with transaction.atomic():
        row = audit_record(actor=admin_user, event="core.department.update", summary="Отдел изменён",
                           target=department, client=42, changes=[{"field": "Название", "old": "А", "new": "Б"}],
                           extra={"why": "проверка"})
    row.refresh_from_db()
    assert (row.actor, row.event, row.summary, row.target_type, row.target_id, row.client_id) == (
        admin_user, "core.department.update", "Отдел изменён", "core.department", department.pk, 42)
    assert row.changes == [{"field": "Название", "old": "А", "new": "Б"}]
    assert row.extra == {"why": "проверка"}


@pytest.mark.django_db
def test_model_update_saves_only_the_changed_fields_and_returns_them() -> None:
    department = Department.objects.create(name="Продажи", order=1)
    # when one of two offered fields changes
    with count_queries() as captured:
        changes = model_update(department, data={"name": "Отдел продаж", "order": 1}, fields=("name", "order"))
    # then one UPDATE of that column alone, and its change for the audit row
    [update] = [q["sql"] for q in captured.captured_queries]
    assert update.startswith("UPDATE") and '"name"' in update and '"order"' not in update
    assert changes == [{"field": "Наименование", "old": "Продажи", "new": "Отдел продаж"}]
    assert Department.objects.get().name == "Отдел продаж"
    # and nothing changed: nothing written
    with count_queries() as captured:
        assert model_update(department, data={"name": "Отдел продаж"}, fields=("name",)) == []
    assert len(captured) == 0


@pytest.mark.django_db
def test_many_clients_get_their_rows_in_batches(admin_user: Any) -> None:
    with transaction.atomic(), count_queries() as captured:
        written = audit_record_many(actor=admin_user, event="clients.client.hand_over", summary="Смена куратора",
                                    target_type="clients.client", clients=range(1, 2501), batch=1000)
    assert written == 2500
    # a few multi-row INSERTs (SQLite splits them further by its parameter limit), not one per client
    assert len([q for q in captured.captured_queries if q["sql"].startswith("INSERT")]) < 30
    assert sorted(AuditEvent.objects.values_list("client_id", flat=True))[:3] == [1, 2, 3]
