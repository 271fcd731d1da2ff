"""The home's secret key (SYS-10): written once, shared by every process of the home — also by two processes that
start together on a fresh home (a server and a worker), neither of which may fail or read half a key."""

from __future__ import annotations

import multiprocessing
import stat
from pathlib import Path

import pytest

from kontora import config


def _read(home: str, start: object, out: object) -> None:
    start.wait()  # type: ignore[attr-defined]
    out.put(config.secret_key(Path(home)))  # type: ignore[attr-defined]


@pytest.mark.feature("SYS-10")
def test_a_fresh_home_gets_one_key_for_every_process_however_they_race(tmp_path, monkeypatch):
    monkeypatch.delenv("KONTORA_SECRET_KEY", raising=False)
    # given: the moment two processes both saw no key yet — the other one's key lands before this one's link
    real_exists = Path.exists
    other = "ключ-другого-процесса"

    def raced(path: Path) -> bool:
        if path.name == "secret_key" and not real_exists(path):
            path.write_text(other)
            return False
        return real_exists(path)

    monkeypatch.setattr(Path, "exists", raced)
    # when this process creates its key, then its link finds the other's in place
    key = config.secret_key(tmp_path)
    # then it reads the other's key, leaves nothing behind, and fails nothing
    assert key == other
    assert [path.name for path in tmp_path.iterdir()] == ["secret_key"]


@pytest.mark.feature("SYS-10")
def test_processes_starting_together_share_one_owner_only_key(tmp_path, monkeypatch):
    monkeypatch.delenv("KONTORA_SECRET_KEY", raising=False)
    context = multiprocessing.get_context("fork")
    start, out = context.Event(), context.Queue()
    workers = [context.Process(target=_read, args=(str(tmp_path), start, out)) for _n in range(8)]
    for worker in workers:
        worker.start()
    start.set()
    keys = {out.get(timeout=30) for _worker in workers}
    for worker in workers:
        worker.join(timeout=30)
    assert [worker.exitcode for worker in workers] == [0] * 8
    assert len(keys) == 1 and len(keys.pop()) >= 50
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    assert [path.name for path in tmp_path.iterdir()] == ["secret_key"]
