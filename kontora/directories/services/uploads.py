"""A directory's import file, kept in the storage for its job (the banks' ED807, the places' OKTMO): removed once
the import ends, done or failed, but kept when the job was lost or the process went down — the run that takes the
job over reads it again."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress

from kontora.core.services.jobs import JobLost
from kontora.core.services.storage import stored_delete


def upload_forget(name: str) -> None:
    with suppress(OSError):  # a kept upload the storage would not delete must not hide the import's outcome
        stored_delete(name)


@contextmanager
def upload_used(name: str) -> Iterator[None]:
    """The import's work on the kept file `name`: the file is forgotten after it, unless the job was lost (or a
    SystemExit took the process down, which this does not catch)."""
    try:
        yield
    except JobLost:
        raise
    except Exception:
        upload_forget(name)
        raise
    upload_forget(name)
