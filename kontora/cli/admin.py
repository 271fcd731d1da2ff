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
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from kontora.accounts.models import User
    from kontora.accounts.rights import ClientScope, Role
    from kontora.accounts.selectors import login_taken

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


def cmd_manage(args: argparse.Namespace) -> int:
    prepare(connect=False, english=False)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kontora", *args.rest])
    return EXIT_OK
