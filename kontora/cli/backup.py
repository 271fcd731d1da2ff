"""`kontora backup` and `kontora restore`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kontora.cli.common import EXIT_OK, Failure, lock_message
from kontora.cli.database import prepare


def cmd_backup(args: argparse.Namespace) -> int:
    prepare()
    from kontora.core.backup import backup_create
    from kontora.core.schema import database_version

    if database_version() == 0:
        raise Failure("the base is empty (no migrations applied): nothing to back up; run `kontora upgrade` first")
    path = backup_create(to=Path(args.to) if args.to else None, keep=args.keep)
    print(path)

    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    prepare()
    from kontora.core.backup import ENGINE_LABEL, LockHeld, backup_restore

    archive = Path(args.archive).resolve()
    try:
        result = backup_restore(archive, safety_backup=not args.no_backup,
                                accept_missing_files=args.accept_missing_files)
    except LockHeld as exc:
        raise Failure(lock_message(exc, "restoring")) from None
    if result.safety_backup:
        print(f"the base as it was before the restore is saved in {result.safety_backup}")
    files = f"{result.files} attached file{'' if result.files == 1 else 's'}"
    print(
        f"restored the {ENGINE_LABEL[result.engine]} database (version {result.schema_version}) and {files} "
        f"from {archive} (made {result.created_at} by Kontora {result.program_version})"
    )
    if result.missing_files:
        count = len(result.missing_files)
        rows = "1 file row of the restored base names" if count == 1 else f"{count} file rows of the restored base name"
        print(f"kontora: {rows} stored files the archive did not hold; their downloads will fail:", file=sys.stderr)
        for name in result.missing_files:
            print(f"  {name}", file=sys.stderr)
    from kontora.core import numbering
    from kontora.core.schema import program_version

    if result.database_version == program_version():
        # Codes given after the archive was made must not be given again (an older base: `kontora upgrade`).
        numbering.codes_catch_up()
    if result.database_version < program_version():
        print(f"database version {result.database_version}, program expects {program_version()}: "
              "run `kontora upgrade` before starting the server")
    return EXIT_OK
