"""The `kontora` console command: the server, the job worker and the maintenance of a base.

Every command first checks the configuration (KONTORA_* variables) and the database connection and
reports a problem in one line, without a traceback. Messages are in English, for the operator.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from kontora import __version__
from kontora.cli.admin import cmd_createadmin, cmd_manage
from kontora.cli.backup import cmd_backup, cmd_restore
from kontora.cli.common import EXIT_CONFIG, EXIT_FAILED, EXIT_NEWER, EXIT_OK, Failure
from kontora.cli.database import cmd_check, cmd_upgrade
from kontora.cli.demo import cmd_demo
from kontora.cli.serve import DEFAULT_THREADS, STOP_TIMEOUT, cmd_serve, cmd_worker, granian_command

__all__ = [
    "DEFAULT_THREADS",
    "EPILOG",
    "EXIT_CONFIG",
    "EXIT_FAILED",
    "EXIT_NEWER",
    "EXIT_OK",
    "STOP_TIMEOUT",
    "Failure",
    "build_parser",
    "cmd_backup",
    "cmd_check",
    "cmd_createadmin",
    "cmd_demo",
    "cmd_manage",
    "cmd_restore",
    "cmd_serve",
    "cmd_upgrade",
    "cmd_worker",
    "granian_command",
    "main",
]

EPILOG = """\
exit codes: 0 done; 1 the command failed or was refused; 2 configuration error (a KONTORA_* variable,
or the database cannot be reached); 3 the base is newer than this program.

environment: KONTORA_HOME (folder of the base, files, backups, logs; default ./var),
KONTORA_DATABASE_URL (postgresql://user:password@host:5432/name; default: SQLite in KONTORA_HOME),
KONTORA_REDIS_URL (job queue in Redis instead of KONTORA_HOME/jobs.sqlite3), KONTORA_FILES_URL (attached
files in a shared folder or s3://bucket/prefix; default KONTORA_HOME/files), KONTORA_BACKUP_HOUR and
KONTORA_BACKUP_KEEP (nightly backup), KONTORA_SECRET_KEY, KONTORA_ALLOWED_HOSTS, KONTORA_TRUSTED_PROXIES;
see the README's configuration section for all of them.
"""


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def _percent(text: str) -> int:
    value = int(text)
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError("must be from 0 to 100")
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
                "runs it holds KONTORA_HOME/server.lock and registers in the base, so `kontora restore`, from\n"
                "this home or any other, cannot replace the base under it. Several servers (on other ports or\n"
                "machines, each with its own home) may share one PostgreSQL base behind a reverse proxy: give\n"
                "them one KONTORA_SECRET_KEY, KONTORA_FILES_URL and KONTORA_REDIS_URL. Run `kontora upgrade`\n"
                "first. Static files are served by the program itself.")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1; 0.0.0.0 for the whole network)")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    p.add_argument("--workers", type=_positive, default=1,
                   help="web server processes (default 1; for many users, one per CPU core)")
    p.add_argument("--threads", type=_positive, default=DEFAULT_THREADS,
                   help=f"request threads per process (default {DEFAULT_THREADS}: twice the CPU cores + 1, at most 8)")
    p.add_argument("--worker-threads", type=_positive, default=2, help="job worker threads (default 2)")
    p.add_argument("--no-worker", action="store_true",
                   help="run only the web server: the jobs are run by `kontora worker` processes started apart")

    p = command("worker", cmd_worker, "run only the job worker",
                "Runs background jobs (imports, mailings, reports, backups) and periodic jobs (reminders, the\n"
                "nightly backup) for larger installations whose web servers run elsewhere. It writes\n"
                "KONTORA_HOME/worker.heartbeat every few seconds for `kontora check`. Several workers can\n"
                "share one queue (KONTORA_REDIS_URL): each periodic job runs once per schedule, claimed in the\n"
                "base, and a job whose worker dies is taken over by another (KONTORA_JOB_LEASE_SECONDS).")
    p.add_argument("--threads", type=_positive, default=2, help="jobs run at the same time (default 2)")
    p.add_argument("--no-periodic", action="store_true", help="do not schedule periodic jobs here")

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
                "files folder. Refused while `kontora serve` or `kontora worker` runs on this base, started\n"
                "from any home on any machine: they register in the base (one killed outright counts 60 s more).\n"
                "A base that has data is backed up first. An archive whose file rows name files it does not\n"
                "hold, or with a member that is not a plain file under files/, is refused.")
    p.add_argument("archive", metavar="ARCHIVE", help="a kontora-backup-*.tar archive")
    p.add_argument("--no-backup", action="store_true", help="do not back up the current base first")
    p.add_argument("--accept-missing-files", action="store_true",
                   help="restore even if file rows name files the archive lacks (they are listed; their downloads "
                        "will fail)")

    p = command("createadmin", cmd_createadmin, "create an administrator",
                "Creates a user with the administrator role who sees all clients. The password is asked\n"
                "twice, or read from KONTORA_ADMIN_PASSWORD (for scripts), and checked like any password.")
    p.add_argument("--login", help="login (asked when not given)")
    p.add_argument("--full-name", help="full name (asked when not given)")

    command("check", cmd_check, "check that this installation works",
            "Checks that the database can be reached, that its version matches the program, that the files\n"
            "and backup folders are writable and that a job worker is alive; one line per check, exit code\n"
            "1 if any failed.")

    p = command("demo", cmd_demo, "fill the base with demonstration clients, their history, tasks and invoices",
                "Adds realistic Russian clients (valid INN, KPP and OGRN, phones, addresses in the settlements\n"
                "directory, 1-3 contact persons each) curated by 50 demo managers demo01...demo50, who get an\n"
                "unusable password unless --password is given; then events of their relationship history over\n"
                "the last two years and tasks from three months ago to a month ahead (mostly closed in the past,\n"
                "active around today); then their invoices with lines from the nomenclature (a small catalogue\n"
                "is added to a base without one) in every status, payments (partial, full, advances, a few\n"
                "cancelled), acts and invoice-facturas (also for advances) of a share of them, sales and works over\n"
                "the last two years. The same seed gives the same data.")
    p.add_argument("--clients", type=_positive, required=True, metavar="N", help="how many clients to add")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p.add_argument("--password", help="password of the demo users (default: they cannot sign in)")
    p.add_argument("--events", type=_count, metavar="N",
                   help="events of the relationship history to add about them (default: 5 per client; 0: none)")
    p.add_argument("--tasks", type=_count, metavar="N",
                   help="tasks to add about them (default: 1 per client; 0: none)")
    p.add_argument("--invoices", type=_count, metavar="N",
                   help="invoices (with their payments) to add for them (default: 1 per client; 0: none)")
    p.add_argument("--sales", type=_count, metavar="N", help="sales to add for them (default: 1 per client; 0: none)")
    p.add_argument("--works", type=_count, metavar="N", help="works to add for them (default: 1 per client; 0: none)")
    p.add_argument("--act-share", type=_percent, metavar="PERCENT",
                   help="of the paid invoices with services, those that get an act (default 60; 0: none)")
    p.add_argument("--factura-share", type=_percent, metavar="PERCENT",
                   help="of the invoices and advances of a payee with VAT, those that get an invoice-factura "
                        "(default 30; 0: none)")

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
