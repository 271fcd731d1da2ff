"""The BIK directory's date for bases that imported ED807 files before it was recorded (migration directories 0005):
dated by their latest import, so the age warning is right from the first page after the upgrade (DIR-03)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from kontora.core.models import AuditEvent
from kontora.directories.models import BankDirectory
from tests.support.migrations import migrate_latest, migrate_to

BEFORE = [("directories", "0006_client_flags")]
AFTER = [("directories", "0007_bank_directory_date")]

pytestmark = pytest.mark.feature("DIR-03")


@pytest.fixture
def before_dating(transactional_db: Any) -> Iterator[Any]:
    """The base as it was before the directory's date was kept; the newest schema after."""
    apps = migrate_to(BEFORE)
    yield apps
    migrate_latest()


def _imported(at: datetime.datetime) -> None:
    AuditEvent.objects.create(event="directories.bank.import", summary="Справочник БИК загружен", at=at)


def test_a_base_with_imported_banks_is_dated_by_its_latest_import(before_dating: Any) -> None:
    # given banks imported twice, the latest on 15 September
    bank = before_dating.get_model("directories", "Bank")
    bank.objects.create(bik="044525225", name="ПАО Сбербанк", name_key="пао сбербанк")
    _imported(timezone.make_aware(datetime.datetime(2026, 5, 1, 12)))
    latest = timezone.make_aware(datetime.datetime(2026, 9, 15, 12))
    _imported(latest)
    # when the base is upgraded
    migrate_to(AFTER)
    # then
    row = BankDirectory.objects.get()
    assert (row.directory_date, row.imported_at) == (datetime.date(2026, 9, 15), latest)


def test_a_base_that_never_imported_banks_stays_undated(before_dating: Any) -> None:
    # when
    migrate_to(AFTER)
    # then
    assert not BankDirectory.objects.exists()
