"""Who is running on this base: the lock of a server, worker, upgrade or restore, and the worker's heartbeat."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kontora.core.backup.archive import BackupError

LOCK_FILE = "server.lock"
HEARTBEAT_FILE = "worker.heartbeat"
HEARTBEAT_EVERY = 15  # seconds
HEARTBEAT_FRESH = 90  # seconds: a worker whose heartbeat is older is taken for dead

if sys.platform == "win32":  # pragma: no cover - the lock works the same way, by other means
    import msvcrt

    def _try_lock(fd: int) -> bool:
        # A byte far past the pid text, so the text stays readable (Windows locks are mandatory).
        os.lseek(fd, 1 << 20, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True


class LockHeld(BackupError):
    def __init__(self, pid: int | None, role: str) -> None:
        self.pid = pid
        self.role = role
        super().__init__(f"{role} (pid {pid})")


def _lock_holder(path: Path) -> tuple[int | None, str]:
    try:
        parts = path.read_text(encoding="ascii", errors="replace").split()
    except OSError:
        parts = []
    pid = int(parts[0]) if parts and parts[0].isdigit() else None
    role = parts[1] if len(parts) > 1 else "serve"
    return pid, role


@contextmanager
def base_lock(home: Path, role: str) -> Iterator[int]:
    """Holds KONTORA_HOME/server.lock for a server ("serve") or a restore ("restore").

    The lock is released by the operating system when its holder ends, however it ends. Raises
    LockHeld naming the holder's pid and role when someone holds it already. The yielded descriptor
    may be handed to child processes, which then keep the lock as long as any of them lives.
    """
    path = home / LOCK_FILE
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    if not _try_lock(fd):
        os.close(fd)
        raise LockHeld(*_lock_holder(path))
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()} {role}\n".encode("ascii"))
        yield fd
    finally:
        os.close(fd)


def heartbeat_write(home: Path) -> None:
    """The job consumer says it is alive; `kontora check` and `kontora restore` read it."""
    path = home / HEARTBEAT_FILE
    tmp = home / f".{HEARTBEAT_FILE}.{os.getpid()}"
    tmp.write_text(f"{os.getpid()} {time.time():.0f}\n", encoding="ascii")
    os.replace(tmp, path)


def heartbeat_clear(home: Path) -> None:
    """A worker stopping cleanly takes its heartbeat away, so a restore need not wait for it to age."""
    path = home / HEARTBEAT_FILE
    pid, _when = heartbeat_read(home) or (None, 0.0)
    if pid == os.getpid():
        path.unlink(missing_ok=True)


def heartbeat_read(home: Path) -> tuple[int | None, float] | None:
    """(pid, unix time) of the last heartbeat, or None when no worker ever wrote one."""
    try:
        parts = (home / HEARTBEAT_FILE).read_text(encoding="ascii").split()
        return (int(parts[0]) if parts[0].isdigit() else None), float(parts[1])
    except (OSError, ValueError, IndexError):
        return None


def _pid_gone(pid: int | None) -> bool:
    """True only when no process of that pid exists here (a killed worker leaves a fresh heartbeat)."""
    if pid is None or sys.platform == "win32":
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # exists, but is not ours to signal
        return False
    return False


def worker_alive(home: Path) -> tuple[int | None, float] | None:
    """(pid, age in seconds) of a worker that beat within HEARTBEAT_FRESH seconds, else None."""
    beat = heartbeat_read(home)
    if beat is None:
        return None
    pid, when = beat
    age = max(0.0, time.time() - when)
    if age > HEARTBEAT_FRESH or _pid_gone(pid):
        return None
    return pid, age
