"""Core's periodic tasks: the nightly backup (SYS-06) and the planner's statistics (REG-11)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import connection

from kontora.clients.services.card import client_create
from kontora.core import backup as backups
from kontora.core.models import PeriodicClaim
from kontora.core.services import periodic, storage
from kontora.core.tasks import _backup_hour, _statistics_hour, backup_nightly, purge_stored, refresh_statistics
from tests.core.support import read_member


@pytest.mark.feature("SYS-06")
def test_the_nightly_backup_runs_at_the_set_hour_of_the_base_time_zone(settings):
    # given: 03:00 in Moscow is 00:00 UTC; Huey asks with naive UTC times
    settings.TIME_ZONE = "Europe/Moscow"
    settings.BACKUP_HOUR = 3
    # then
    assert _backup_hour(datetime(2026, 11, 28, 0, 0)) is True
    assert _backup_hour(datetime(2026, 11, 28, 3, 0)) is False
    assert _backup_hour(datetime(2026, 11, 28, 0, 1)) is False


@pytest.mark.feature("SYS-06")
def test_the_nightly_backup_keeps_the_newest_archives(db, settings, tmp_path):
    # given
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.FILES_DIR = tmp_path / "files"
    settings.BACKUP_KEEP = 2
    settings.BACKUP_DIR.mkdir()
    for stamp in ("20250101-030000", "20250102-030000"):
        (settings.BACKUP_DIR / f"kontora-backup-{stamp}.tar").write_bytes(b"old")
    # when
    backup_nightly.call_local()
    # then
    names = [info.name for info in backups.backup_list()]
    assert len(names) == 2
    assert names[1] == "kontora-backup-20250102-030000.tar"
    assert json.loads(read_member(settings.BACKUP_DIR / names[0], "manifest.json"))["engine"] == connection.vendor


@pytest.mark.feature("REG-11")
def test_planner_statistics_are_refreshed_nightly_on_sqlite(admin_user: Any) -> None:
    client_create(acting_user=admin_user, values={"short_name": "Ромашка"})

    assert _statistics_hour(datetime(2026, 11, 28, 1, 0)) is True  # the hour after the backup's
    assert _statistics_hour(datetime(2026, 11, 28, 0, 0)) is False
    refresh_statistics.call_local()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'clients_client'")
            assert cursor.fetchone()[0] > 0


# --- periodic tasks run once per schedule, however many workers run them (SYS-10) -------------------------------


@pytest.fixture
def purges(monkeypatch: pytest.MonkeyPatch) -> list[datetime]:
    """The hourly purge's runs (at minute 17), at the moments `clock` says."""
    runs: list[datetime] = []
    monkeypatch.setattr(storage, "stored_purge", lambda: runs.append(periodic._now()) or 0)
    return runs


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[datetime]:
    now = [datetime(2026, 12, 5, 10, 17, 3, tzinfo=UTC)]
    monkeypatch.setattr(periodic, "_now", lambda: now[0])
    return now


@pytest.mark.feature("SYS-10")
def test_a_periodic_task_runs_once_per_scheduled_minute_however_many_workers_run_it(db, purges, clock):
    # when: every worker's scheduler enqueued the 10:17 purge; they run it at 10:17:03, 10:17:40 and, late, 10:19:05
    purge_stored.call_local()
    clock[0] = clock[0].replace(second=40)
    purge_stored.call_local()
    clock[0] = clock[0].replace(minute=19, second=5)
    purge_stored.call_local()
    # then
    assert len(purges) == 1
    # when: the next hour's schedule comes round
    clock[0] = datetime(2026, 12, 5, 11, 17, 0, tzinfo=UTC)
    purge_stored.call_local()
    # then: it runs again
    assert len(purges) == 2
    claims = PeriodicClaim.objects.order_by("slot").values_list("task", "slot")
    assert list(claims) == [("kontora.core.tasks.purge_stored", datetime(2026, 12, 5, 10, 17, tzinfo=UTC)),
                            ("kontora.core.tasks.purge_stored", datetime(2026, 12, 5, 11, 17, tzinfo=UTC))]


@pytest.mark.feature("SYS-10")
def test_old_claims_of_periodic_runs_are_cleaned_up(db, purges, clock):
    # given: claims of a week and a bit ago and of yesterday
    old = PeriodicClaim.objects.create(task="kontora.core.tasks.purge_stored", slot=clock[0] - timedelta(days=8))
    recent = PeriodicClaim.objects.create(task="kontora.core.tasks.purge_stored", slot=clock[0] - timedelta(days=1))
    # when
    purge_stored.call_local()
    # then
    assert len(purges) == 1
    assert not PeriodicClaim.objects.filter(pk=old.pk).exists()
    assert PeriodicClaim.objects.filter(pk=recent.pk).exists()

