"""What every command shares: the exit codes, the one-line Failure, and who holds the base."""

from __future__ import annotations

from typing import Any

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_CONFIG = 2
EXIT_NEWER = 3


class Failure(Exception):
    """Ends the command with a one-line message on stderr and an exit code."""

    def __init__(self, message: str, code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.code = code


def holder(exc: Any) -> str:
    """Who holds the base, from a LockHeld: "a Kontora server is running on this base (pid 42)"."""
    who = {
        "serve": "a Kontora server is running",
        "worker": "a Kontora worker is running",
        "restore": "a restore is running",
        "upgrade": "an upgrade is running",
    }.get(exc.role, f"{exc.role} is running")
    return f"{who} on this base (pid {exc.pid or '?'})"


def lock_message(exc: Any, doing: str) -> str:
    return f"{holder(exc)}: stop it before {doing}"
