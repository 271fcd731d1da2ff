"""SQLite's engine (core.sqlite): a transaction waits for the one writer by trying again every half millisecond,
with the overall timeout of the connection, and leaves SQLite's own busy handler as it found it.

The test's base is a file of its own (the test database of Django's runner is shared by the test's transaction);
the other writer is a plain sqlite3 connection holding the write lock.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import OperationalError, connection
from django.db.utils import load_backend

from kontora.config import SQLITE_ENGINE, SQLITE_OPTIONS
from kontora.core.sqlite import base

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's engine")


@pytest.fixture
def wrapper(tmp_path: Path, db: None) -> Iterator[base.DatabaseWrapper]:
    path = tmp_path / "base.sqlite3"
    with sqlite3.connect(path) as setup:
        setup.execute("PRAGMA journal_mode=WAL")
        setup.execute("CREATE TABLE t (x INTEGER)")
    settings = {"ENGINE": SQLITE_ENGINE, "NAME": str(path), "OPTIONS": {**SQLITE_OPTIONS, "timeout": 0.3},
                "ATOMIC_REQUESTS": False, "AUTOCOMMIT": True, "CONN_MAX_AGE": 0, "CONN_HEALTH_CHECKS": False,
                "TIME_ZONE": None, "USER": "", "PASSWORD": "", "HOST": "", "PORT": "", "TEST": {}}
    wrapper = load_backend(SQLITE_ENGINE).DatabaseWrapper(settings, alias="sqlite-engine-test")
    assert isinstance(wrapper, base.DatabaseWrapper)
    yield wrapper
    wrapper.close()


def _hold_lock(path: str, seconds: float, taken: threading.Event) -> None:
    other = sqlite3.connect(path, isolation_level=None, timeout=5)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO t VALUES (1)")
    taken.set()
    time.sleep(seconds)
    other.execute("COMMIT")
    other.close()


def _begin_while_held(wrapper: base.DatabaseWrapper, seconds: float) -> None:
    taken = threading.Event()
    holder = threading.Thread(target=_hold_lock, args=(wrapper.settings_dict["NAME"], seconds, taken))
    holder.start()
    taken.wait(5)
    try:
        wrapper.ensure_connection()
        wrapper.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
        with wrapper.cursor() as cursor:
            cursor.execute("INSERT INTO t VALUES (2)")
        wrapper.commit()
    finally:
        wrapper.set_autocommit(True)
        holder.join()


def test_a_transaction_waits_for_the_writer_and_gets_in_once_it_commits(wrapper: base.DatabaseWrapper) -> None:
    # given another connection holding the write lock for 0.1 s (the engine's timeout is 0.3 s)
    _begin_while_held(wrapper, 0.1)
    # then the transaction waited and wrote: both rows are there
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT x FROM t ORDER BY x")
        assert [row[0] for row in cursor.fetchall()] == [1, 2]
        # and SQLite's own handler, turned off while BEGIN is tried, is back for statements outside transactions
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 300


def test_a_writer_holding_the_lock_past_the_timeout_refuses_with_djangos_error(
        wrapper: base.DatabaseWrapper) -> None:
    # given the lock held for longer than the timeout: Django's OperationalError, as a cursor's would be
    with pytest.raises(OperationalError, match="locked"):
        _begin_while_held(wrapper, 0.8)
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT x FROM t ORDER BY x")
        assert [row[0] for row in cursor.fetchall()] == [1]
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 300
