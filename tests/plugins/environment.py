"""Autouse fixtures every test runs under: a fast password hasher, a fresh "base has users" flag, and on
PostgreSQL code sequences that start after the codes of the test's base."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.utils import translation

from kontora.accounts import selectors as account_selectors
from kontora.core import numbering
from kontora.core.hooks import CODE_KINDS

DB_FIXTURES = frozenset({"db", "transactional_db", "live_server", "_django_db_helper"})


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings: Any) -> None:
    # Argon2 is deliberately slow; tests sign in hundreds of times. Argon2 stays second so
    # hashes made by the product's settings still verify (tests/accounts/views/test_signin.py checks the setting).
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
    ]


@pytest.fixture(autouse=True)
def _language_restored() -> Iterator[None]:
    # The command line switches its process to English (operator messages); a test that runs it in-process must
    # not leave the next test's services speaking English.
    language = translation.get_language()
    yield
    if language:
        translation.activate(language)
    else:
        translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_setup_state() -> Iterator[None]:
    # The "base has users" flag is remembered per process; every test starts from its own base.
    account_selectors.forget_setup_state()
    yield
    account_selectors.forget_setup_state()


@pytest.fixture(autouse=True)
def _codes_start_after_the_base(request: pytest.FixtureRequest) -> None:
    """PostgreSQL's code sequences are not rolled back with a test's transaction (SQLite's counter row is):
    start every test's codes right after the codes in its base, so no test depends on the ones before it."""
    if connection.vendor != "postgresql":
        return
    if request.node.get_closest_marker("django_db") is None and not DB_FIXTURES & set(request.fixturenames):
        return
    request.getfixturevalue("_django_db_helper")
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for item in CODE_KINDS.items():
            cursor.execute(
                f"SELECT setval(%s::regclass, GREATEST(v, 1), v >= 1) FROM "
                f"(SELECT COALESCE(MAX({qn(item.column)}), 0) AS v FROM {qn(item.table)}) AS t",
                [numbering.sequence_name(item.kind)],
            )
