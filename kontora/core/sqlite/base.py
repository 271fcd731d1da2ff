"""Django's SQLite engine, with a fair wait for the one writer.

SQLite lets one writer in at a time, and a session that finds the write lock taken waits in SQLite's busy handler,
which sleeps 1, 2, 5 … 25, then 50 and 100 ms between tries. Against a writer that commits short transactions back
to back (a group run, an import in batches), such a waiter wakes up mostly while the lock is taken again and
starves: another user's card save waited 3.6 s behind a run (bench.bulk). Here a transaction's `BEGIN IMMEDIATE`
tries again every WAIT_STEP instead, so the gap a busy writer leaves between two of its transactions is enough to
let a waiting one in. Statements outside a transaction keep SQLite's own handler and the same overall timeout.
"""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from django.db.backends.sqlite3 import base

WAIT_STEP = 0.0005  # seconds between two tries of BEGIN


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        connection = super().get_new_connection(conn_params)
        self._wait_s = float(conn_params.get("timeout", 5.0))
        return connection

    def _start_transaction_under_autocommit(self) -> None:
        raw = self.connection
        mode = getattr(self, "transaction_mode", None)  # set by get_connection_params
        begin = f"BEGIN {mode}" if mode else "BEGIN"
        deadline = time.monotonic() + self._wait_s
        with self.wrap_database_errors:  # what fails is Django's OperationalError, as from a cursor
            raw.execute("PRAGMA busy_timeout = 0")  # a taken lock answers at once: the waiting is done here
            try:
                while True:
                    try:
                        raw.execute(begin)
                        return
                    except sqlite3.OperationalError as exc:
                        if "locked" not in str(exc) or time.monotonic() >= deadline:
                            raise
                    time.sleep(WAIT_STEP)
            finally:
                raw.execute(f"PRAGMA busy_timeout = {int(self._wait_s * 1000)}")
