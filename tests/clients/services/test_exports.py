"""The export log (ACL-06): every export is on record before its first row, with the rows actually written, and
each step leaves its audit row in the same transaction."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import override

from kontora.clients.models import ClientExport
from kontora.clients.services.exports import client_export_finish, client_export_start
from kontora.core.models import AuditEvent


@pytest.mark.feature("ACL-06")
def test_an_export_starts_with_its_log_row_and_an_audit_row(admin_user: Any) -> None:
    # when
    export = client_export_start(acting_user=admin_user, fmt="csv", description="все видимые клиенты",
                                 address="10.0.0.7")
    # then
    assert (export.user, export.user_login, export.format, export.rows, export.description, export.address) == (
        admin_user, "admin", "csv", 0, "все видимые клиенты", "10.0.0.7")
    [row] = AuditEvent.objects.all()
    assert (row.event, row.actor, row.target_type, row.target_id, row.client_id) == (
        "clients.export.start", admin_user, "clients.clientexport", export.pk, None)
    assert row.extra == {"format": "csv", "description": "все видимые клиенты", "address": "10.0.0.7"}
    assert row.summary == "Начат экспорт клиентов"


@pytest.mark.feature("ACL-06")
def test_the_finished_export_records_the_rows_written(admin_user: Any) -> None:
    # given
    export = client_export_start(acting_user=admin_user, fmt="xlsx", description="отмеченные клиенты", address="")
    # when
    client_export_finish(acting_user=admin_user, export=export, rows=42)
    # then
    export.refresh_from_db()
    assert export.rows == 42
    row = AuditEvent.objects.get(event="clients.export.finish")
    assert (row.actor, row.target_type, row.target_id) == (admin_user, "clients.clientexport", export.pk)
    assert row.changes == [{"field": "Строк", "old": "0", "new": "42"}]
    assert row.extra == {"rows": 42}


@pytest.mark.feature("ACL-06")
def test_an_unknown_format_is_refused_and_nothing_is_logged(admin_user: Any) -> None:
    # when
    with override("ru"), pytest.raises(ValidationError) as caught:
        client_export_start(acting_user=admin_user, fmt="pdf", description="", address="")
    # then
    assert caught.value.message_dict == {"format": ["Выберите формат файла."]}
    assert not ClientExport.objects.exists() and not AuditEvent.objects.exists()


@pytest.mark.feature("ACL-06")
@pytest.mark.django_db(transaction=True)
def test_an_export_whose_outer_transaction_rolls_back_leaves_no_audit_row(admin_user: Any) -> None:
    # when the caller's transaction fails after the export was logged
    with pytest.raises(RuntimeError), transaction.atomic():
        client_export_start(acting_user=admin_user, fmt="csv", description="", address="")
        raise RuntimeError("the caller failed")
    # then neither the log row nor its audit row stays
    assert not ClientExport.objects.exists()
    assert not AuditEvent.objects.exists()
