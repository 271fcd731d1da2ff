"""Document numbers and record codes (core.numbering): gapless per kind, legal entity and year, safe when
several people (and several servers) save at once."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from kontora.clients.models import Client
from kontora.core import numbering
from kontora.core.errors import Refused
from kontora.core.models import AuditEvent, NumberCounter
from tests.clients.factories import ClientFactory
from tests.support.threads import at_once


def _in_document(kind: str = "invoice", **key: Any) -> int:
    with transaction.atomic():
        return numbering.number_next(kind=kind, **key)


@pytest.mark.django_db
def test_numbers_run_per_kind_entity_and_year() -> None:
    # when
    first = [_in_document(legal_entity=1, year=2026) for _ in range(3)]
    other_entity = _in_document(legal_entity=2, year=2026)
    next_year = _in_document(legal_entity=1, year=2027)
    other_kind = _in_document(kind="act", legal_entity=1, year=2026)
    # then
    assert first == [1, 2, 3]
    assert (other_entity, next_year, other_kind) == (1, 1, 1)
    assert numbering.number_peek(kind="invoice", legal_entity=1, year=2026) == 4


@pytest.mark.django_db
def test_a_rolled_back_document_gives_its_number_back() -> None:
    # given
    assert _in_document(year=2026) == 1
    # when a document fails after taking number 2
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        assert numbering.number_next(kind="invoice", year=2026) == 2
        _ = 1 / 0
    # then the next document takes 2: no gap
    assert _in_document(year=2026) == 2


@pytest.mark.django_db(transaction=True)
def test_a_number_is_taken_only_inside_the_documents_transaction() -> None:
    with pytest.raises(RuntimeError, match="inside the transaction"):
        numbering.number_next(kind="invoice", year=2026)
    assert not NumberCounter.objects.filter(kind="invoice").exists()
    # a positive control: inside a transaction it works
    assert _in_document(year=2026) == 1


@pytest.mark.django_db(transaction=True)
def test_eight_documents_saved_at_once_take_eight_numbers_without_a_gap() -> None:
    def issue() -> int:
        with transaction.atomic():
            number = numbering.number_next(kind="invoice", legal_entity=7, year=2026)
            # Hold the transaction a little, as a document's save does, so the others queue behind the lock.
            Client.objects.exists()
            return number

    numbers, errors = at_once(8, issue)

    assert errors == []
    assert sorted(numbers) == list(range(1, 9))
    assert NumberCounter.objects.get(kind="invoice", entity=7, year=2026).last == 8


@pytest.mark.django_db
def test_the_administrator_raises_the_next_number_but_never_below_a_given_one(admin_user: Any) -> None:
    # given numbers 1 and 2 given
    _in_document(legal_entity=1, year=2026)
    _in_document(legal_entity=1, year=2026)
    # when the administrator continues a paper journal from 500
    numbering.number_set_next(acting_user=admin_user, kind="invoice", legal_entity=1, year=2026, next_number=500)
    # then
    assert _in_document(legal_entity=1, year=2026) == 500
    row = AuditEvent.objects.get(event="core.number.set_next")
    assert (row.actor, row.changes) == (admin_user, [{"field": "Следующий номер", "old": "3", "new": "500"}])
    # and going back below a given number is refused, with the reason next to the field
    with pytest.raises(Refused) as refused:
        numbering.number_set_next(acting_user=admin_user, kind="invoice", legal_entity=1, year=2026,
                                  next_number=499)
    assert refused.value.field == "next_number"
    assert refused.value.message == "Номер 500 уже выдан; следующий номер может быть только 501 или больше."
    assert _in_document(legal_entity=1, year=2026) == 501


def test_the_prefix_is_printed_in_front_of_the_number() -> None:
    assert numbering.number_shown(422, "АМ") == "АМ-422"
    assert numbering.number_shown(422) == "422"


@pytest.mark.django_db
def test_codes_continue_above_codes_written_directly(manager_user: Any) -> None:
    # given a client code written by a bulk load, past the counter
    ClientFactory(code=5000, curator=manager_user)
    # when the load catches the counter up
    numbering.code_catch_up("client")
    # then the next card gets the next free code, and codes never repeat
    assert ClientFactory(curator=manager_user).code == 5001
    numbering.codes_catch_up()
    assert numbering.code_next("client") == 5002
