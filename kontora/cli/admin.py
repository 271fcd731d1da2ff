"""`kontora createadmin` and `kontora manage`."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from kontora.cli.common import EXIT_OK, Failure
from kontora.cli.database import prepare, require_current_schema


def _ask_password(attempts: int = 3) -> str:
    for _attempt in range(attempts):
        first = getpass.getpass("Password: ")
        second = getpass.getpass("Password (again): ")
        if first == second:
            return first
        print("The passwords do not match; try again.", file=sys.stderr)
    raise Failure("the passwords did not match")


def cmd_createadmin(args: argparse.Namespace) -> int:
    prepare()
    require_current_schema()
    from django.core.exceptions import ValidationError

    from kontora.accounts.models import ClientScope, Role
    from kontora.accounts.selectors import login_taken
    from kontora.accounts.services.users import UserAccess, UserProfile, user_create

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
    if login_taken(login):
        raise Failure(f"a user with the login {login} already exists")
    try:
        # The service the user card uses: the login key, the password rules, the audit row.
        user_create(
            acting_user=None, profile=UserProfile(login=login, full_name=full_name),
            access=UserAccess(role=Role.ADMIN, client_scope=ClientScope.FULL), password=password,
        )
    except ValidationError as exc:
        errors = exc.message_dict
        if "login" in errors:
            raise Failure(f"a user with the login {login} already exists") from None
        for message in errors.get("password", []):
            print(f"password: {message}", file=sys.stderr)
        raise Failure("the password was not accepted") from None
    print(f"administrator {login} ({full_name}) created")
    return EXIT_OK


def cmd_manage(args: argparse.Namespace) -> int:
    prepare(connect=False, english=False)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kontora", *args.rest])
    return EXIT_OK
