"""The phone keys the duplicate check seeks (CLI-16, models.PhoneKey): one row per number of a client's main phones
and of each contact person's phones, rewritten whenever those fields are written.

`client_phones_keep` and `contact_phones_keep` are called by the services that write the phones (services.card),
in their transaction; a deleted contact or client takes its keys with it (CASCADE). `phone_keys_fill` writes the
keys of many clients at once in plain SQL — the migration that brought the keys and the demo fill use it: a
million clients with two million contacts take seconds, not the minutes of a row-by-row loop.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection

from kontora.clients.models import Client, ContactPerson, PhoneKey
from kontora.clients.selectors.duplicates import MIN_PHONE_DIGITS, phone_keys


def _keys(client_id: int, contact_id: int | None, texts: Iterable[str]) -> list[PhoneKey]:
    return [PhoneKey(client_id=client_id, contact_id=contact_id, tail=number[-MIN_PHONE_DIGITS:], number=number)
            for number in phone_keys(*texts)]


def client_phones_keep(client: Client, *, new: bool = False) -> None:
    """The keys of the client's own phone field, as it is now (call after the client is saved; a `new` one has
    none to replace)."""
    if not new:
        PhoneKey.objects.filter(client_id=client.pk, contact__isnull=True).delete()
    keys = _keys(client.pk, None, (client.phone,))
    if keys:
        PhoneKey.objects.bulk_create(keys)


def contact_phones_keep(contact: ContactPerson) -> None:
    """The keys of a contact's three phone fields, as they are now (call after the contact is saved)."""
    PhoneKey.objects.filter(contact_id=contact.pk).delete()
    keys = _keys(contact.client_id, contact.pk, (contact.phone_office, contact.phone_mobile, contact.phone_home))
    if keys:
        PhoneKey.objects.bulk_create(keys)


# --- in bulk: the migration and the demo fill ---

_CHARS = "0-9 ()+.-"  # a field made only of these (and no double space) holds one number: its digits are the key
_STRIPPED = (" ", "(", ")", "+", "-", ".")


def _simple(column: str, vendor: str) -> str:
    """SQL: the field holds at most one number written with digits and the usual punctuation only. Any other
    field (two numbers, an extension in words …) is keyed in Python by phone_keys itself."""
    if vendor == "postgresql":
        return f"({column} !~ '[^{_CHARS}]' AND {column} NOT LIKE '%%  %%')"
    return f"({column} NOT GLOB '*[^{_CHARS}]*' AND {column} NOT LIKE '%%  %%')"


def _digits_sql(column: str) -> str:
    expression = column
    for char in _STRIPPED:
        expression = f"replace({expression}, '{char}', '')"
    return expression


def _tail_sql(expression: str, length: int, vendor: str) -> str:
    return f"right({expression}, {length})" if vendor == "postgresql" else f"substr({expression}, -{length})"


def phone_keys_fill(*, clients_from: int = 0, using: Any = None) -> int:
    """Writes the keys of every client with id >= `clients_from` and of its contacts (they must have none yet);
    returns how many rows were written. Plain SQL for the fields of one plain number (all the demo's, nearly all
    typed ones), phone_keys in Python for the few others."""
    conn = using or connection
    vendor = conn.vendor
    written = 0
    with conn.cursor() as cursor:
        # The client's field: its digits are already kept in phone_digits.
        cursor.execute(
            "INSERT INTO clients_phonekey (client_id, contact_id, tail, number) "  # noqa: S608 — constants only
            f"SELECT id, NULL, {_tail_sql('phone_digits', MIN_PHONE_DIGITS, vendor)}, "
            f"{_tail_sql('phone_digits', 10, vendor)} FROM clients_client "
            f"WHERE id >= %s AND length(phone_digits) >= %s AND {_simple('phone', vendor)}",
            [clients_from, MIN_PHONE_DIGITS],
        )
        written += max(cursor.rowcount, 0)
        fields = ("phone_office", "phone_mobile", "phone_home")
        all_simple = " AND ".join(_simple(name, vendor) for name in fields)
        for name in fields:
            number = _digits_sql(name)
            cursor.execute(
                "INSERT INTO clients_phonekey (client_id, contact_id, tail, number) "  # noqa: S608 — constants
                f"SELECT client_id, id, {_tail_sql('d', MIN_PHONE_DIGITS, vendor)}, {_tail_sql('d', 10, vendor)} "
                f"FROM (SELECT client_id, id, {number} AS d FROM clients_contactperson "
                f"WHERE client_id >= %s AND {name} <> '' AND {all_simple}) AS numbers WHERE length(d) >= %s",
                [clients_from, MIN_PHONE_DIGITS],
            )
            written += max(cursor.rowcount, 0)
        # The rest, field by field as the services key them.
        cursor.execute(
            "SELECT id, phone FROM clients_client "  # noqa: S608 — constants only
            f"WHERE id >= %s AND phone <> '' AND NOT {_simple('phone', vendor)}",
            [clients_from],
        )
        rows: list[PhoneKey] = []
        for client_id, phone in cursor.fetchall():
            rows += _keys(client_id, None, (phone,))
        cursor.execute(
            f"SELECT client_id, id, {', '.join(fields)} FROM clients_contactperson "  # noqa: S608 — constants
            f"WHERE client_id >= %s AND NOT ({all_simple})",
            [clients_from],
        )
        for client_id, contact_id, *phones in cursor.fetchall():
            rows += _keys(client_id, contact_id, phones)
        # Raw rows, not bulk_create: the migration runs this against the schema as it was then.
        if rows:
            cursor.executemany(
                "INSERT INTO clients_phonekey (client_id, contact_id, tail, number) VALUES (%s, %s, %s, %s)",
                [(row.client_id, row.contact_id, row.tail, row.number) for row in rows],
            )
    return written + len(rows)
