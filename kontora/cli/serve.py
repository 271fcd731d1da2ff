"""`kontora serve` and `kontora worker`: the web server and the job worker in one process group."""

from __future__ import annotations

import argparse
import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from kontora.cli.common import EXIT_CONFIG, EXIT_FAILED, EXIT_OK, Failure, holder
from kontora.cli.database import checked_home, describe_base, prepare, require_current_schema

# More request threads than this per process only wait on the interpreter's lock (granian warns too).
DEFAULT_THREADS = min(8, 2 * (os.cpu_count() or 1) + 1)
STOP_TIMEOUT = 40.0  # seconds the server's children get to finish what they are doing


def granian_command(target: str, *, host: str, port: int, workers: int, threads: int) -> list[str]:
    """The web server command line; the benchmarks serve their baseline app with the same one."""
    return [
        sys.executable, "-m", "granian", "--interface", "wsgi", "--host", host, "--port", str(port),
        "--workers", str(workers), "--blocking-threads", str(threads), "--respawn-failed-workers",
        "--log-level", "warning", target,
    ]


def _die_with_parent() -> None:
    """Runs in the child before exec: if `kontora serve` is killed outright, its children end too."""
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _port_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def _exited(child: subprocess.Popen[bytes]) -> bool:
    """Whether the child ended, without reaping it: until it is reaped its pid (the group's id) stays ours."""
    return child.returncode is not None or os.waitid(
        os.P_PID, child.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT
    ) is not None


def _stop_children(children: dict[str, subprocess.Popen[bytes]], *, graceful: bool) -> None:
    """Stops the children's process group: gracefully (each finishes what it is doing), or at once.

    Whatever is left after STOP_TIMEOUT, and anything a child left behind (a granian worker whose
    parent is gone), is killed with the group. Before the web server has answered there is nothing
    to finish, and granian may not heed a stop that arrives while it boots, so that stop is immediate.
    """
    if not children:
        return
    group = children["web server"].pid
    if graceful:
        for name, child in children.items():
            if not _exited(child):
                # Granian takes SIGTERM and Huey SIGINT as "finish, then exit" (Huey's SIGTERM abandons jobs).
                child.send_signal(signal.SIGINT if name == "worker" else signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT
        while time.monotonic() < deadline and not all(_exited(child) for child in children.values()):
            time.sleep(0.1)
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(group, signal.SIGKILL)
    for child in children.values():
        child.wait()


def _http_ready(host: str, port: int) -> bool:
    """True once the web server answers HTTP at all: the application is loaded."""
    # A server listening on every address is asked on the loopback one.
    probe = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)  # noqa: S104
    connection = http.client.HTTPConnection(probe, port, timeout=5)
    try:
        connection.request("HEAD", "/static/kontora/kontora.css")
        connection.getresponse().read()
    except (OSError, http.client.HTTPException):
        return False
    finally:
        connection.close()
    return True


@contextmanager
def presence(role: str, home: Path, port: int | None = None) -> Iterator[None]:
    """The process's row in the base (`core.services.servers`) while the block runs: registered, renewed from a
    thread of its own, deleted at the end. Every home sharing the base sees it, so a restore started anywhere is
    refused while this process runs."""
    from django.db import DatabaseError, connection

    from kontora.core.services import servers

    process = servers.server_register(role=role, home=str(home), port=port)
    done = threading.Event()

    def renew() -> None:
        try:
            while not done.wait(servers.RENEW_EVERY):
                try:
                    servers.server_renew(process)
                except DatabaseError as exc:  # the base away for a moment: the next renewal tries again
                    print(f"kontora: could not renew this {role}'s presence in the base: {exc}", file=sys.stderr)
        finally:
            connection.close()

    thread = threading.Thread(target=renew, name="presence", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join(timeout=5)
        with suppress(DatabaseError):
            servers.server_forget(process)


def cmd_serve(args: argparse.Namespace) -> int:
    home = checked_home()
    host, port = args.host, args.port
    if not _port_free(host, port):
        raise Failure(f"port {port} on {host} is in use: stop what uses it or choose another with --port")
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda signum, frame: stop.set())
    signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())
    from kontora.core.backup import LockHeld, base_lock  # before any child starts: nothing left running if it fails

    env = {**os.environ, "KONTORA_HOME": str(home)}
    children: dict[str, subprocess.Popen[bytes]] = {}
    # The web server boots while this process checks the base: starting takes the longer of the two,
    # not their sum. The children get a process group of their own, so the terminal's Ctrl+C reaches
    # only this process, which stops each child exactly once (a second SIGINT makes Huey abandon
    # running jobs).
    children["web server"] = subprocess.Popen(
        granian_command("kontora.wsgi:application", host=host, port=port, workers=args.workers, threads=args.threads),
        env=env, process_group=0, preexec_fn=_die_with_parent,
    )
    try:
        with base_lock(home, "serve") as lock_fd:
            prepare()
            require_current_schema()
            from django.db import connections

            with presence("serve", home, port):
                connections.close_all()  # the children have their own; this process only watches them

                def start_worker() -> None:
                    if args.no_worker:  # a `kontora worker` runs elsewhere
                        return
                    # Started once the web answers, so it does not compete with it for the CPU while booting.
                    # It inherits the lock: the lock holds while any of the processes lives.
                    children["worker"] = subprocess.Popen(
                        [sys.executable, "-m", "kontora.cli", "worker", "--threads", str(args.worker_threads)],
                        env=env, process_group=children["web server"].pid, pass_fds=(lock_fd,),
                        preexec_fn=_die_with_parent,
                    )

                return _supervise(host, port, children, stop, start_worker)
    except LockHeld as exc:
        if exc.role == "serve":
            raise Failure(f"a Kontora server is already running on this base (pid {exc.pid or '?'})") from None
        raise Failure(f"{holder(exc)}: wait for it to finish") from None
    finally:
        # Children still there here means starting failed (no lock, a base to upgrade, …): nothing to finish.
        if any(not _exited(child) for child in children.values()):
            _stop_children(children, graceful=False)


def _supervise(
    host: str, port: int, children: dict[str, subprocess.Popen[bytes]], stop: threading.Event,
    start_worker: Callable[[], None],
) -> int:
    started = time.monotonic()
    ready = False
    while not stop.is_set():
        for name, child in children.items():
            if _exited(child):
                _stop_children(children, graceful=True)
                print(f"kontora: the {name} stopped unexpectedly (exit code {child.returncode})", file=sys.stderr)
                return EXIT_FAILED
        if ready:
            stop.wait(0.5)
        elif _http_ready(host, port):
            ready = True
            start_worker()
            shown = f"[{host}]" if ":" in host else host
            print(f"Kontora serving on http://{shown}:{port} (base: {describe_base()})", flush=True)
        elif time.monotonic() - started > 120:
            print("kontora: the web server did not answer within 120 s", file=sys.stderr)
            return EXIT_FAILED
        else:
            stop.wait(0.05)
    _stop_children(children, graceful=ready)
    print("Kontora stopped", flush=True)
    return EXIT_OK


def cmd_worker(args: argparse.Namespace) -> int:
    prepare()
    require_current_schema()
    from django.conf import settings
    from django.utils.module_loading import autodiscover_modules
    from huey.contrib.djhuey import HUEY

    from kontora.core.backup import HEARTBEAT_EVERY, heartbeat_clear, heartbeat_write
    from kontora.core.services.jobs import lease_keeper

    if HUEY.immediate:
        raise Failure("KONTORA_HUEY_IMMEDIATE is set, so jobs run inside the web process: unset it to run a worker",
                      EXIT_CONFIG)
    autodiscover_modules("tasks")
    home = Path(settings.HOME)
    consumer = HUEY.create_consumer(
        workers=args.threads, worker_type="thread", periodic=not args.no_periodic, check_worker_health=True,
        shutdown_timeout=STOP_TIMEOUT - 5,
    )
    done = threading.Event()

    def beat() -> None:
        interval = 0.2
        while not done.wait(interval):
            threads = [thread for _worker, thread in consumer.worker_threads]
            if consumer.scheduler.is_alive() and all(thread.is_alive() for thread in threads):
                heartbeat_write(home)
                interval = HEARTBEAT_EVERY

    threading.Thread(target=beat, name="heartbeat", daemon=True).start()
    # The leases of this process's jobs, and the reaper of jobs whose worker died (core.services.jobs).
    threading.Thread(target=lease_keeper, args=(done,), name="job leases", daemon=True).start()
    try:
        with presence("worker", home):
            consumer.run()
    finally:
        done.set()
        heartbeat_clear(home)
    return EXIT_OK
