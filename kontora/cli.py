"""The `kontora` console command: the server, the job worker and the maintenance of a base.

Every command first checks the configuration (KONTORA_* variables) and the database connection and
reports a problem in one line, without a traceback. Messages are in English, for the operator.
"""

from __future__ import annotations

import argparse
import getpass
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any

from kontora import __version__, config

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_CONFIG = 2
EXIT_NEWER = 3
# More request threads than this per process only wait on the interpreter's lock (granian warns too).
DEFAULT_THREADS = min(8, 2 * (os.cpu_count() or 1) + 1)
STOP_TIMEOUT = 40.0  # seconds the server's children get to finish what they are doing

EPILOG = """\
exit codes: 0 done; 1 the command failed or was refused; 2 configuration error (a KONTORA_* variable,
or the database cannot be reached); 3 the base is newer than this program.

environment: KONTORA_HOME (folder of the base, files, backups, logs; default ./var),
KONTORA_DATABASE_URL (postgresql://user:password@host:5432/name; default: SQLite in KONTORA_HOME),
KONTORA_REDIS_URL (job queue in Redis instead of KONTORA_HOME/jobs.sqlite3),
KONTORA_BACKUP_HOUR and KONTORA_BACKUP_KEEP (nightly backup), KONTORA_SECRET_KEY, KONTORA_ALLOWED_HOSTS.
"""


class Failure(Exception):
    """Ends the command with a one-line message on stderr and an exit code."""

    def __init__(self, message: str, code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.code = code


# --- set-up -----------------------------------------------------------------------------------


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kontora.settings")
    import django

    django.setup()


def _checked_home() -> Path:
    """KONTORA_HOME, once it and the database URL are known to be usable (no Django needed)."""
    try:
        home = config.home()
    except OSError as exc:
        raise Failure(
            f"cannot use the home folder {os.environ.get('KONTORA_HOME', 'var')}: {exc.strerror} — check KONTORA_HOME",
            EXIT_CONFIG,
        ) from None
    try:
        config.database(home)
    except config.ConfigError as exc:
        raise Failure(str(exc), EXIT_CONFIG) from None
    return home


def _prepare(*, connect: bool = True, english: bool = True) -> None:
    """Validates the configuration, starts Django and (optionally) connects, or raises Failure."""
    _checked_home()
    try:
        _setup_django()
    except (OSError, ValueError) as exc:
        raise Failure(f"configuration error: {exc}", EXIT_CONFIG) from None
    if english:
        from django.utils import translation

        translation.activate("en")
    if connect:
        problem = _connect()
        if problem:
            raise Failure(problem, EXIT_CONFIG)


def _connect() -> str:
    """Opens the database connection; returns "" or a one-line description of why it failed."""
    from django.db import OperationalError, connection

    if connection.vendor == "postgresql":
        # Without it an address that drops packets keeps the command waiting for minutes.
        connection.settings_dict.setdefault("OPTIONS", {}).setdefault("connect_timeout", 10)
    try:
        connection.ensure_connection()
    except OperationalError as exc:
        return _describe_connect_error(connection.vendor, connection.settings_dict, exc)
    return ""


_PG_REASONS = [
    ("connection refused", "connection refused"),
    ("password authentication failed", "password authentication failed"),
    ("no password supplied", "the server wants a password and the URL has none"),
    ("timeout expired", "no answer (timed out)"),
    ("could not translate host name", "unknown host name"),
    ("name or service not known", "unknown host name"),
    ("no pg_hba.conf entry", "the server does not accept this user from this address (pg_hba.conf)"),
    ("no route to host", "no route to host"),
]


def _describe_connect_error(vendor: str, params: dict[str, Any], exc: Exception) -> str:
    text = " ".join(str(exc).split())
    if vendor == "postgresql":
        where = f"{params.get('HOST') or 'localhost'}:{params.get('PORT') or 5432}"
        low = text.lower()
        reason = next((said for found, said in _PG_REASONS if found in low), "")
        if not reason:
            missing = re.search(r'(database|role) "[^"]+" does not exist', text)
            reason = missing.group(0) if missing else text.split(": ")[-1]
        return (
            f"cannot connect to PostgreSQL at {where}: {reason} — check KONTORA_DATABASE_URL "
            "and that the server is running"
        )
    return (
        f"cannot open the SQLite base {params.get('NAME')}: {text} — check KONTORA_HOME "
        "(or KONTORA_DATABASE_URL) and that the folder is writable"
    )


def _describe_base() -> str:
    from django.db import connection

    params = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"SQLite {params['NAME']}"
    return f"PostgreSQL {params.get('HOST') or 'localhost'}:{params.get('PORT') or 5432}/{params['NAME']}"


def _newer_message(state: Any) -> str:
    return (
        f"database version {state.database} is newer than this program (expects {state.program}): "
        "install a newer Kontora"
    )


def _require_current_schema() -> None:
    from kontora.core.schema import schema_state

    state = schema_state()
    if state.newer:
        raise Failure(_newer_message(state), EXIT_NEWER)
    if state.pending:
        raise Failure(
            f"database version {state.database}, program expects {state.program}: run `kontora upgrade` first"
        )


def _holder(exc: Any) -> str:
    """Who holds the base, from a LockHeld: "a Kontora server is running on this base (pid 42)"."""
    who = {
        "serve": "a Kontora server is running",
        "worker": "a Kontora worker is running",
        "restore": "a restore is running",
        "upgrade": "an upgrade is running",
    }.get(exc.role, f"{exc.role} is running")
    return f"{who} on this base (pid {exc.pid or '?'})"


def _lock_message(exc: Any, doing: str) -> str:
    return f"{_holder(exc)}: stop it before {doing}"


# --- serve and worker -------------------------------------------------------------------------


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


def cmd_serve(args: argparse.Namespace) -> int:
    home = _checked_home()
    host, port = args.host, args.port
    if not _port_free(host, port):
        raise Failure(f"port {port} on {host} is in use: stop what uses it or choose another with --port")
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda signum, frame: stop.set())
    signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())
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
    from kontora.core.backup import LockHeld, base_lock

    try:
        with base_lock(home, "serve") as lock_fd:
            _prepare()
            _require_current_schema()
            from django.db import connections

            connections.close_all()  # the children have their own; this process only watches them

            def start_worker() -> None:
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
        raise Failure(f"{_holder(exc)}: wait for it to finish") from None
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
            print(f"Kontora serving on http://{shown}:{port} (base: {_describe_base()})", flush=True)
        elif time.monotonic() - started > 120:
            print("kontora: the web server did not answer within 120 s", file=sys.stderr)
            return EXIT_FAILED
        else:
            stop.wait(0.05)
    _stop_children(children, graceful=ready)
    print("Kontora stopped", flush=True)
    return EXIT_OK


def cmd_worker(args: argparse.Namespace) -> int:
    _prepare()
    _require_current_schema()
    from django.conf import settings
    from django.utils.module_loading import autodiscover_modules
    from huey.contrib.djhuey import HUEY

    from kontora.core.backup import HEARTBEAT_EVERY, heartbeat_clear, heartbeat_write

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
    try:
        consumer.run()
    finally:
        done.set()
        heartbeat_clear(home)
    return EXIT_OK


# --- maintenance ------------------------------------------------------------------------------


def cmd_upgrade(args: argparse.Namespace) -> int:
    _prepare()
    from django.conf import settings
    from django.core.management import call_command

    from kontora.core.backup import LockHeld, backup_create, base_lock
    from kontora.core.schema import schema_state

    try:
        with base_lock(Path(settings.HOME), "upgrade"):
            state = schema_state()
            if state.newer:
                raise Failure(_newer_message(state), EXIT_NEWER)
            if state.pending:
                if state.database > 0 and not args.no_backup:
                    print(f"backup before upgrading: {backup_create()}", flush=True)
                print(f"upgrading the base from version {state.database} to {state.program}", flush=True)
                call_command("migrate", interactive=False, verbosity=1 if args.verbose else 0)
            state = schema_state()
    except LockHeld as exc:
        raise Failure(_lock_message(exc, "upgrading")) from None
    print(f"database version {state.database}, program expects {state.program}")
    return EXIT_OK if state.current else EXIT_FAILED


def cmd_backup(args: argparse.Namespace) -> int:
    _prepare()
    from kontora.core.backup import backup_create
    from kontora.core.schema import database_version

    if database_version() == 0:
        raise Failure("the base is empty (no migrations applied): nothing to back up; run `kontora upgrade` first")
    path = backup_create(to=Path(args.to) if args.to else None, keep=args.keep)
    print(path)
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    _prepare()
    from kontora.core.backup import ENGINE_LABEL, LockHeld, backup_restore

    archive = Path(args.archive).resolve()
    try:
        result = backup_restore(archive, safety_backup=not args.no_backup)
    except LockHeld as exc:
        raise Failure(_lock_message(exc, "restoring")) from None
    if result.safety_backup:
        print(f"the base as it was before the restore is saved in {result.safety_backup}")
    files = f"{result.files} attached file{'' if result.files == 1 else 's'}"
    print(
        f"restored the {ENGINE_LABEL[result.engine]} database (version {result.schema_version}) and {files} "
        f"from {archive} (made {result.created_at} by Kontora {result.program_version})"
    )
    from kontora.core.schema import program_version

    if result.database_version < program_version():
        print(f"database version {result.database_version}, program expects {program_version()}: "
              "run `kontora upgrade` before starting the server")
    return EXIT_OK


def _ask_password(attempts: int = 3) -> str:
    for _attempt in range(attempts):
        first = getpass.getpass("Password: ")
        second = getpass.getpass("Password (again): ")
        if first == second:
            return first
        print("The passwords do not match; try again.", file=sys.stderr)
    raise Failure("the passwords did not match")


def cmd_createadmin(args: argparse.Namespace) -> int:
    _prepare()
    _require_current_schema()
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from kontora.accounts.models import User
    from kontora.accounts.rights import ClientScope, Role

    try:
        login = (args.login or input("Login: ")).strip()
        full_name = (args.full_name or input("Full name: ")).strip()
        password = os.environ.get("KONTORA_ADMIN_PASSWORD") or _ask_password()
    except EOFError:
        raise Failure("no input: give --login and --full-name, and the password in KONTORA_ADMIN_PASSWORD") from None
    if not login or len(login) > 64:
        raise Failure("the login must be 1 to 64 characters long")
    if not full_name or len(full_name) > 200:
        raise Failure("the full name must be 1 to 200 characters long")
    if User.objects.filter(login__iexact=login).exists():
        raise Failure(f"a user with the login {login} already exists")
    candidate = User(login=login, full_name=full_name, role=Role.ADMIN, client_scope=ClientScope.FULL)
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        for message in exc.messages:
            print(f"password: {message}", file=sys.stderr)
        raise Failure("the password was not accepted") from None
    with transaction.atomic():
        user = User.objects.create(login=login, full_name=full_name, role=Role.ADMIN, client_scope=ClientScope.FULL)
        user.set_password(password)
        user.save(update_fields=["password"])
    print(f"administrator {login} ({full_name}) created")
    return EXIT_OK


def _writable(folder: Path) -> str:
    """"" when a file can be created in the folder, else why not."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".kontora-check-"):
            pass
    except OSError as exc:
        return exc.strerror or str(exc)
    return ""


def cmd_check(args: argparse.Namespace) -> int:
    _prepare(connect=False)
    from django.conf import settings

    from kontora.core.backup import HEARTBEAT_FRESH, backup_list, worker_alive
    from kontora.core.schema import schema_state

    results: list[tuple[bool, str, str]] = []
    problem = _connect()
    results.append((not problem, "database", problem or _describe_base()))
    if not problem:
        state = schema_state()
        if state.newer:
            results.append((False, "migrations", _newer_message(state)))
        elif state.pending:
            results.append((False, "migrations", f"database version {state.database}, program expects "
                                                  f"{state.program}: run `kontora upgrade`"))
        else:
            results.append((True, "migrations", f"database version {state.database}, program expects {state.program}"))
    for name, folder in (("files folder", Path(settings.FILES_DIR)), ("backup folder", Path(settings.BACKUP_DIR))):
        why = _writable(folder)
        results.append((not why, name, f"{folder} is not writable: {why}" if why else f"{folder} is writable"))
    from huey.contrib.djhuey import HUEY

    if HUEY.immediate:
        results.append((True, "worker", "jobs run inside the web process (KONTORA_HUEY_IMMEDIATE)"))
    else:
        beat = worker_alive(Path(settings.HOME))
        if beat is None:
            results.append((False, "worker", f"no heartbeat within {HEARTBEAT_FRESH} s: "
                                              "start `kontora serve` or `kontora worker`"))
        else:
            results.append((True, "worker", f"alive (pid {beat[0]}, heartbeat {beat[1]:.0f} s ago)"))
    newest = backup_list()
    results.append((True, "last backup", newest[0].name if newest else "none yet"))
    for ok, name, detail in results:
        print(f"{'OK' if ok else 'FAIL':<4} {name}: {detail}")
    return EXIT_OK if all(ok for ok, _name, _detail in results) else EXIT_FAILED


def cmd_manage(args: argparse.Namespace) -> int:
    _prepare(connect=False, english=False)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kontora", *args.rest])
    return EXIT_OK


# --- the command line -------------------------------------------------------------------------


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def build_parser() -> argparse.ArgumentParser:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog="kontora", description="Kontora CRM: the server and the maintenance of its base.",
        epilog=EPILOG, formatter_class=formatter,
    )
    parser.add_argument("--version", action="version", version=f"Kontora {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, func: Callable[[argparse.Namespace], int], summary: str, details: str) -> Any:
        p = sub.add_parser(name, help=summary, description=f"{summary}\n\n{details}", epilog=EPILOG,
                           formatter_class=formatter)
        p.set_defaults(func=func)
        return p

    p = command("serve", cmd_serve, "run the web server and the job worker",
                "Serves Kontora over HTTP (granian, WSGI) and runs the job worker (Huey) beside it, in one\n"
                "process group; Ctrl+C or SIGTERM stops both after they finish what they are doing. While it\n"
                "runs it holds KONTORA_HOME/server.lock, so `kontora restore` cannot replace the base under\n"
                "it. Run `kontora upgrade` first. Static files are served by the program itself.")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1; 0.0.0.0 for the whole network)")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    p.add_argument("--workers", type=_positive, default=1,
                   help="web server processes (default 1; for many users, one per CPU core)")
    p.add_argument("--threads", type=_positive, default=DEFAULT_THREADS,
                   help=f"request threads per process (default {DEFAULT_THREADS}: twice the CPU cores + 1, at most 8)")
    p.add_argument("--worker-threads", type=_positive, default=2, help="job worker threads (default 2)")

    p = command("worker", cmd_worker, "run only the job worker",
                "Runs background jobs (imports, mailings, reports, backups) and periodic jobs (reminders, the\n"
                "nightly backup) for larger installations whose web servers run elsewhere. It writes\n"
                "KONTORA_HOME/worker.heartbeat every few seconds for `kontora check`. Several workers can\n"
                "share one queue (KONTORA_REDIS_URL); give all but one --no-periodic.")
    p.add_argument("--threads", type=_positive, default=2, help="jobs run at the same time (default 2)")
    p.add_argument("--no-periodic", action="store_true", help="do not run periodic jobs (another worker does)")

    p = command("upgrade", cmd_upgrade, "create or upgrade the base to this program's version",
                "Applies the program's migrations to the base, step by step, and prints the database\n"
                "version. A base that has data is backed up first (into the backup folder). A base\n"
                "written by a newer Kontora is left untouched (exit code 3).")
    p.add_argument("--no-backup", action="store_true", help="do not back up the base before upgrading it")
    p.add_argument("-v", "--verbose", action="store_true", help="list every migration applied")

    p = command("backup", cmd_backup, "back up the base and the attached files into one archive",
                "Writes kontora-backup-YYYYmmdd-HHMMSS.tar with the database (SQLite copy or pg_dump) and the\n"
                "files folder, and a manifest with a checksum of every member. People can go on working\n"
                "meanwhile. Prints the archive's path.")
    p.add_argument("--to", metavar="DIR", help="folder for the archive (default KONTORA_HOME/backups)")
    p.add_argument("--keep", metavar="N", type=_positive,
                   help="then delete archives in that folder beyond the newest N")

    p = command("restore", cmd_restore, "replace the base and the files with those of an archive",
                "Checks every member's checksum and the database's integrity before replacing anything,\n"
                "then replaces the base (SQLite file, or the PostgreSQL database via pg_restore) and the\n"
                "files folder. Refused while `kontora serve` or `kontora worker` runs on this KONTORA_HOME;\n"
                "with PostgreSQL run it on the server's home and stop every web server and worker first.\n"
                "A base that has data is backed up first.")
    p.add_argument("archive", metavar="ARCHIVE", help="a kontora-backup-*.tar archive")
    p.add_argument("--no-backup", action="store_true", help="do not back up the current base first")

    p = command("createadmin", cmd_createadmin, "create an administrator",
                "Creates a user with the administrator role who sees all clients. The password is asked\n"
                "twice, or read from KONTORA_ADMIN_PASSWORD (for scripts), and checked like any password.")
    p.add_argument("--login", help="login (asked when not given)")
    p.add_argument("--full-name", help="full name (asked when not given)")

    command("check", cmd_check, "check that this installation works",
            "Checks that the database can be reached, that its version matches the program, that the files\n"
            "and backup folders are writable and that a job worker is alive; one line per check, exit code\n"
            "1 if any failed.")

    p = command("manage", cmd_manage, "run a Django management command (for developers)",
                "Passes the rest of the command line to Django's manage.py.")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except Failure as exc:
        print(f"kontora: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        # Imported only now: `serve` starts the web server before it loads Django.
        from django.db import DatabaseError

        from kontora.core.backup import BackupError

        if isinstance(exc, BackupError):
            print(f"kontora: {exc}", file=sys.stderr)
            return EXIT_FAILED
        if isinstance(exc, DatabaseError):
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
            print(f"kontora: database error: {first}", file=sys.stderr)
            return EXIT_FAILED
        raise


if __name__ == "__main__":
    sys.exit(main())
