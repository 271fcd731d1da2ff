"""`kontora serve`: time to the first answer, and the login page's server time.

Kontora: from starting `kontora serve` (a fresh SQLite base made by `kontora upgrade`, with one
administrator) to the first 200 of GET /login/; then the median time of GET /login/ over
keep-alive requests on the loopback. Baseline: bench/bare_app.py (Django with one view returning
"ok") under the same granian command line that `kontora serve` uses, measured in the same run,
the two alternated round by round.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench import ROOT, Result, child_env
from kontora.cli import DEFAULT_THREADS, granian_command

ROUNDS = 5
REQUESTS = 50
WARMUP = 5
HOST = "127.0.0.1"
PASSWORD = "Bench-admin-password-1"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def _first_200(port: int, path: str, started: float, child: subprocess.Popen[bytes]) -> float:
    while time.perf_counter() - started < 120:
        if child.poll() is not None:
            raise RuntimeError(f"the server exited with code {child.returncode}")
        connection = http.client.HTTPConnection(HOST, port, timeout=10)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            if response.status == 200:
                return time.perf_counter() - started
        except (OSError, http.client.HTTPException):
            pass
        finally:
            connection.close()
        time.sleep(0.01)
    raise RuntimeError("no 200 within 120 s")


def _request_times(port: int, path: str) -> list[float]:
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    times = []
    try:
        for n in range(WARMUP + REQUESTS):
            started = time.perf_counter()
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            elapsed = time.perf_counter() - started
            if response.status != 200:
                raise RuntimeError(f"GET {path} answered {response.status}")
            if n >= WARMUP:
                times.append(elapsed)
    finally:
        connection.close()
    return times


def _round(command: Callable[[int], list[str]], path: str, env: dict[str, str]) -> tuple[float, list[float]]:
    port = _free_port()
    started = time.perf_counter()
    child = subprocess.Popen(command(port), env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        startup = _first_200(port, path, started, child)
        times = _request_times(port, path)
    finally:
        child.send_signal(signal.SIGTERM)
        try:
            child.wait(60)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    return startup, times


def run() -> list[Result]:
    with tempfile.TemporaryDirectory(prefix="kontora-bench-") as home:
        env = {**child_env(home), "KONTORA_ADMIN_PASSWORD": PASSWORD}
        kontora = [sys.executable, "-m", "kontora.cli"]
        subprocess.run([*kontora, "upgrade"], env=env, check=True, stdout=subprocess.DEVNULL)
        subprocess.run([*kontora, "createadmin", "--login", "admin", "--full-name", "Bench Admin"],
                       env=env, check=True, stdout=subprocess.DEVNULL)

        def serve(port: int) -> list[str]:
            return [*kontora, "serve", "--host", HOST, "--port", str(port), "--workers", "1",
                    "--threads", str(DEFAULT_THREADS)]

        def bare(port: int) -> list[str]:
            return granian_command("bench.bare_app:application", host=HOST, port=port, workers=1,
                                   threads=DEFAULT_THREADS)

        ours: list[tuple[float, list[float]]] = []
        theirs: list[tuple[float, list[float]]] = []
        for _round_no in range(ROUNDS):
            ours.append(_round(serve, "/login/", env))
            theirs.append(_round(bare, "/", env))
        base_size = (Path(home) / "kontora.sqlite3").stat().st_size
    sizes = f"{ROUNDS} starts each, alternated; {os.cpu_count()} CPUs"
    request_sizes = f"{ROUNDS}×{REQUESTS} keep-alive requests each; base {base_size // 1024} KiB"
    return [
        Result("startup", "serve → first 200 on /login/ (median)",
               statistics.median(s for s, _t in ours), statistics.median(s for s, _t in theirs), "s", sizes),
        Result("startup", "GET /login/ server time (median)",
               statistics.median(t * 1000 for _s, times in ours for t in times),
               statistics.median(t * 1000 for _s, times in theirs for t in times), "ms", request_sizes),
    ]
