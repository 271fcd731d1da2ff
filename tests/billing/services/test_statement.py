"""Bank statement import (INV-04): a 1C file's incoming lines matched by the invoice number in the purpose, then by
the payer's INN and the amount, confirmed and recorded in one go; ambiguous and unmatched lines stay for the user;
all or nothing; duplicates; another manager's client is never found; bad files refused in Russian."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kontora.billing.models import Invoice, Payment, StatementImport, StatementLine
from kontora.billing.selectors.invoices import client_advance
from kontora.billing.selectors.statement_match import Incoming, match_lines, references
from kontora.billing.services.invoices import invoice_cancel
from kontora.billing.services.payments import payment_record
from kontora.billing.services.statement import statement_line_set, statement_load, statement_record
from kontora.core.errors import NotAllowed, Refused
from kontora.core.models import AuditEvent, BankAccount
from tests.accounts.factories import UserFactory
from tests.billing.factories import issued_invoice, statement_document, statement_file
from tests.clients.factories import ClientFactory

pytestmark = [pytest.mark.django_db, pytest.mark.feature("INV-04")]
Match, Decision = StatementLine.Match, StatementLine.Decision


def _account(entity: Any) -> str:
    return BankAccount.objects.get(legal_entity=entity).account


def _state(invoice: Invoice) -> tuple[str, Decimal]:
    invoice.refresh_from_db()
    return invoice.status, invoice.due


@pytest.fixture
def book(manager_user: Any, our_entity: Any) -> dict[str, Any]:
    """The manager's clients and their issued invoices; another manager's client with an invoice of his."""
    other = UserFactory(login="other", full_name="Борис Другой", role="manager", doc_prefix="БД")
    a = ClientFactory(curator=manager_user, inn="7711111111")
    b = ClientFactory(curator=manager_user, inn="7722222222")
    c = ClientFactory(curator=manager_user, inn="7733333333")
    d = ClientFactory(curator=manager_user, inn="7744444444")
    e = ClientFactory(curator=other, inn="7755555555")
    return {
        "a": a, "b": b, "c": c, "d": d, "e": e, "other": other,
        "a1": issued_invoice(manager_user, a, "1000.00"), "a2": issued_invoice(manager_user, a, "500.00"),
        "b1": issued_invoice(manager_user, b, "300.00"),
        "d1": issued_invoice(manager_user, d, "200.00"), "d2": issued_invoice(manager_user, d, "200.00"),
        "e1": issued_invoice(other, e, "700.00"),
    }


def _file(entity: Any, book: dict[str, Any]) -> bytes:
    to = _account(entity)
    today = f"{timezone.localdate():%d.%m.%Y}"
    return statement_file(
        to,
        statement_document("101", "1000.00", f"Оплата по счёту № АМ-{book['a1'].number} от {today}, НДС 22 %",
                           inn="7711111111", to=to),
        statement_document("102", "300.00", "Оплата за услуги связи", inn="7722222222", to=to),
        statement_document("103", "5000.00", "Предоплата по договору 15", inn="7733333333", to=to),
        statement_document("104", "200.00", "Оплата", inn="7744444444", to=to),
        statement_document("105", "700.00", f"Оплата по сч. БД-{book['e1'].number}", inn="7755555555", to=to),
        statement_document("106", "50.00", "Возврат займа", inn="7799999999", to=to),
        statement_document("77", "500.00", "Аренда за декабрь", to=to, outgoing=True),
    )


def test_invoice_numbers_are_read_as_printed_in_purposes() -> None:
    on = datetime.date(2026, 12, 5)
    # when purposes name invoices in the usual ways
    # then the prefix, number and year (the purpose's date, else the document's) are read
    assert [(r.prefix, r.number, r.year) for r in references("Оплата по счёту № АМ-422, НДС 22%", on)] == [
        ("АМ", 422, 2026)]
    assert [(r.prefix, r.number, r.year) for r in references("опл. сч. 422 от 01.12.2025", on)] == [("", 422, 2025)]
    assert [(r.prefix, r.number, r.year) for r in references("по счету №АМ-422", on)] == [("АМ", 422, 2026)]
    assert [(r.prefix, r.number, r.year) for r in references("Счет на оплату № 15 от 3.12.26", on)] == [
        ("", 15, 2026)]
    # and a word that merely contains «сч», or an invoice-factura, names no invoice
    assert references("Расчет 422 за декабрь", on) == []
    assert references("Счет-фактура 12 от 01.12.2026", on) == []


def test_lines_are_matched_confirmed_and_recorded_in_one_go(manager_user: Any, our_entity: Any,
                                                            book: dict[str, Any]) -> None:
    # when the manager loads the statement
    statement = statement_load(acting_user=manager_user, data=_file(our_entity, book), filename="kl_to_1c.txt")
    lines = {line.number: line for line in statement.lines.all()}
    # then the outgoing line is skipped and counted, each incoming one matched as it can be
    assert statement.skipped_outgoing == 1 and statement.legal_entity == our_entity
    assert (lines["101"].match, lines["101"].invoice) == (Match.BY_NUMBER, book["a1"])
    assert (lines["102"].match, lines["102"].invoice) == (Match.BY_INN_SUM, book["b1"])
    assert (lines["103"].match, lines["103"].client, lines["103"].invoice) == (Match.CLIENT, book["c"], None)
    assert lines["104"].match == Match.AMBIGUOUS
    assert [c["invoice"] for c in lines["104"].candidates] == [book["d1"].pk, book["d2"].pk]
    # another manager's client is not found, as a stranger's INN is not: nothing names him
    assert (lines["105"].match, lines["105"].client, lines["105"].candidates) == (Match.NOT_FOUND, None, [])
    assert lines["106"].match == Match.NOT_FOUND
    assert [lines[n].decision for n in ("101", "102", "103", "104", "105", "106")] == [
        Decision.RECORD, Decision.RECORD, Decision.RECORD, Decision.PENDING, Decision.PENDING, Decision.PENDING]
    # when he picks the ambiguous line's second invoice and excludes the loan's return
    statement_line_set(acting_user=manager_user, line_id=lines["104"].pk, choice=f"invoice:{book['d2'].pk}")
    statement_line_set(acting_user=manager_user, line_id=lines["106"].pk, choice="exclude")
    # and records the statement
    result = statement_record(acting_user=manager_user, statement_id=statement.pk)
    # then four payments are recorded, non-cash, with the payer and the bank document
    assert (result.recorded, result.left, result.duplicates) == (4, 1, 0)
    assert Payment.objects.count() == 4
    paid = Payment.objects.get(bank_document="101")
    assert (paid.kind, paid.payer, paid.invoice, paid.amount) == (
        Payment.Kind.NON_CASH, "ООО «Плательщик»", book["a1"], Decimal("1000.00"))
    # the invoices are paid, the other of the ambiguous pair still due, the advance kept
    assert _state(book["a1"]) == (Invoice.Status.PAID, Decimal(0))
    assert _state(book["a2"]) == (Invoice.Status.ISSUED, Decimal("500.00"))
    assert _state(book["b1"]) == (Invoice.Status.PAID, Decimal(0))
    assert _state(book["d1"]) == (Invoice.Status.ISSUED, Decimal("200.00"))
    assert _state(book["d2"]) == (Invoice.Status.PAID, Decimal(0))
    assert client_advance(fetched_by=manager_user, client=book["c"]) == Decimal("5000.00")
    # the unmatched line stays for the user, the other manager's invoice untouched
    assert _state(book["e1"]) == (Invoice.Status.ISSUED, Decimal("700.00"))
    statement.refresh_from_db()
    assert statement.status == StatementImport.Status.PARTLY_RECORDED
    assert StatementLine.objects.get(pk=lines["105"].pk).payment is None
    assert AuditEvent.objects.filter(event="billing.statement.record", target_id=str(statement.pk)).count() == 1
    assert AuditEvent.objects.filter(event="billing.payment.record").count() == 4


def test_one_refused_line_leaves_nothing_recorded(manager_user: Any, admin_user: Any, our_entity: Any,
                                                  book: dict[str, Any]) -> None:
    statement = statement_load(acting_user=manager_user, data=_file(our_entity, book), filename="kl_to_1c.txt")
    # given the second line's invoice cancelled after the statement was matched
    invoice_cancel(acting_user=admin_user, invoice_id=book["b1"].pk, reason="ошибка")
    # when the statement is recorded
    with pytest.raises(Refused) as refused:
        statement_record(acting_user=manager_user, statement_id=statement.pk)
    # then the message names the line and why, and nothing is recorded — not even the first line
    assert refused.value.message.startswith("Строка 2 (документ № 102 от ")
    assert "аннулирован" in refused.value.message and refused.value.message.endswith("Ничего не проведено.")
    assert not Payment.objects.exists()
    assert not StatementLine.objects.filter(payment__isnull=False).exists()
    assert _state(book["a1"]) == (Invoice.Status.ISSUED, Decimal("1000.00"))
    statement.refresh_from_db()
    assert statement.status == StatementImport.Status.LOADED


def test_a_payment_recorded_before_is_a_duplicate_and_not_recorded_again(manager_user: Any, our_entity: Any,
                                                                          book: dict[str, Any]) -> None:
    # given the first document recorded by hand already
    payment_record(acting_user=manager_user, client=book["a"], invoice=book["a1"], date=timezone.localdate(),
                   amount=Decimal("1000.00"), bank_document="101")
    # when the statement is loaded
    statement = statement_load(acting_user=manager_user, data=_file(our_entity, book), filename="kl_to_1c.txt")
    first = statement.lines.get(number="101")
    # then that line is a duplicate, not to be recorded nor chosen
    assert (first.match, first.decision) == (Match.DUPLICATE, Decision.PENDING)
    with pytest.raises(Refused):
        statement_line_set(acting_user=manager_user, line_id=first.pk, choice="record")
    result = statement_record(acting_user=manager_user, statement_id=statement.pk)
    assert result.recorded == 2 and Payment.objects.filter(bank_document="101").count() == 1
    # when the same file is loaded again after recording
    again = statement_load(acting_user=manager_user, data=_file(our_entity, book), filename="kl_to_1c.txt")
    # then every line recorded before is a duplicate
    assert set(again.lines.filter(match=Match.DUPLICATE).values_list("number", flat=True)) == {"101", "102", "103"}
    with pytest.raises(Refused):
        statement_record(acting_user=manager_user, statement_id=again.pk)
    assert Payment.objects.count() == 3


def test_unmatched_lines_are_picked_by_typed_number_or_inn_within_access(manager_user: Any, our_entity: Any,
                                                                          book: dict[str, Any]) -> None:
    statement = statement_load(acting_user=manager_user, data=_file(our_entity, book), filename="kl_to_1c.txt")
    stranger_line = statement.lines.get(number="105")
    loan = statement.lines.get(number="106")
    # when the manager types another manager's invoice or client for a line
    for typed in (f"БД-{book['e1'].number}", "7755555555"):
        with pytest.raises(Refused) as refused:
            statement_line_set(acting_user=manager_user, line_id=stranger_line.pk, choice="typed", typed=typed)
        # then it is not found, as a missing one is not
        assert refused.value.message.startswith("Не найден ни открытый счёт")
    # when he types his own invoice's number or his client's INN
    line = statement_line_set(acting_user=manager_user, line_id=loan.pk, choice="typed",
                              typed=f"АМ-{book['a2'].number}")
    assert (line.match, line.invoice, line.decision) == (Match.CHOSEN, book["a2"], Decision.RECORD)
    line = statement_line_set(acting_user=manager_user, line_id=loan.pk, choice="typed", typed="7733333333")
    assert (line.invoice, line.client) == (None, book["c"])
    # and another user may not decide his lines at all
    with pytest.raises(NotAllowed):
        statement_line_set(acting_user=book["other"], line_id=loan.pk, choice="exclude")


def test_bad_files_are_refused_with_a_clear_message(manager_user: Any, our_entity: Any, book: dict[str, Any]) -> None:
    good = _file(our_entity, book)
    cases = {
        b"Date;Amount\n01.12.2026;100\n": "Это не файл обмена с 1С",
        good.decode("cp1251").encode("utf-8"): "Файл в кодировке UTF-8",
        statement_file("40702810999999999999", statement_document("1", "10.00", "Оплата",
                                                                  to="40702810999999999999")):
            "Выписка по счёту 40702810999999999999, а это не счёт наших организаций",
        b"": "Файл пуст",
    }
    for data, message in cases.items():
        # when such a file is loaded
        with pytest.raises(Refused) as refused:
            statement_load(acting_user=manager_user, data=data, filename="bad.txt")
        # then the message says why, at the file's field, and nothing is kept
        assert refused.value.message.startswith(message), refused.value.message
        assert refused.value.field == "file"
    assert not StatementImport.objects.exists()


def test_past_dated_lines_need_the_right(manager_user: Any, our_entity: Any, book: dict[str, Any]) -> None:
    to = _account(our_entity)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    data = statement_file(to, statement_document("201", "300.00", "Оплата", inn="7722222222", to=to, on=yesterday))
    statement = statement_load(acting_user=manager_user, data=data, filename="old.txt")
    # when a manager without the right records yesterday's money
    with pytest.raises(Refused) as refused:
        statement_record(acting_user=manager_user, statement_id=statement.pk)
    # then he is told which right it needs, and nothing is recorded
    assert "«Изменение основных данных прошедшей датой»" in refused.value.message
    assert not Payment.objects.exists()


def test_matching_queries_do_not_grow_with_the_lines(manager_user: Any, our_entity: Any,
                                                    book: dict[str, Any]) -> None:
    def lines(count: int) -> list[Incoming]:
        today = timezone.localdate()
        made = []
        for n in range(count):
            made += [Incoming(today, Decimal("1000.00"), "7711111111", f"Оплата по счёту № АМ-{book['a1'].number}"),
                     Incoming(today, Decimal("300.00"), "7722222222", f"Оплата {n}"),
                     Incoming(today, Decimal("77.00"), f"77{n:08d}", "Оплата")]
        return made

    counts = []
    for count in (1, 40):
        with CaptureQueriesContext(connection) as captured:
            found = match_lines(fetched_by=manager_user, legal_entity_id=our_entity.pk, lines=lines(count))
        counts.append(len(captured))
        assert [f.match for f in found[:3]] == [Match.BY_NUMBER, Match.BY_INN_SUM, Match.NOT_FOUND]
    assert counts[0] == counts[1] <= 6


def test_a_named_invoice_no_longer_open_is_not_matched_by_its_number(manager_user: Any, admin_user: Any,
                                                                     our_entity: Any, book: dict[str, Any]) -> None:
    # given the invoice the first line names cancelled before the statement is loaded
    invoice_cancel(acting_user=admin_user, invoice_id=book["a1"].pk, reason="ошибка")
    # when the statement is loaded
    statement = statement_load(acting_user=manager_user, data=_file(our_entity, book), filename="kl_to_1c.txt")
    first = statement.lines.get(number="101")
    # then the line is not matched to it: the payer is found by his INN, with no open invoice of that amount
    assert (first.match, first.invoice, first.client) == (Match.CLIENT, None, book["a"])
    # while an open invoice named the same way still is (positive control)
    assert statement.lines.get(number="102").invoice == book["b1"]


def test_duplicates_are_the_same_document_on_its_own_dates_and_any_payer(manager_user: Any, admin_user: Any,
                                                                         our_entity: Any,
                                                                         book: dict[str, Any]) -> None:
    today = timezone.localdate()
    # given the first document's number and amount recorded a year ago (a payer numbers his orders anew each year)
    payment_record(acting_user=admin_user, client=book["a"], invoice=None, date=today - datetime.timedelta(days=365),
                   amount=Decimal("1000.00"), bank_document="101")
    # and the loan's return recorded from a statement to a client picked by hand (another INN than the payer's)
    first = statement_load(acting_user=manager_user, data=_file(our_entity, book), filename="kl_to_1c.txt")
    loan = first.lines.get(number="106")
    statement_line_set(acting_user=manager_user, line_id=loan.pk, choice=f"client:{book['c'].pk}")
    for line in first.lines.exclude(pk=loan.pk):
        statement_line_set(acting_user=manager_user, line_id=line.pk, choice="exclude")
    assert statement_record(acting_user=manager_user, statement_id=first.pk).recorded == 1
    # when the file is loaded again
    again = statement_load(acting_user=manager_user, data=_file(our_entity, book), filename="kl_to_1c.txt")
    # then the line recorded by hand is a duplicate, the year-old namesake is not
    assert set(again.lines.filter(match=Match.DUPLICATE).values_list("number", flat=True)) == {"106"}
    assert again.lines.get(number="101").match == Match.BY_NUMBER


def test_loading_takes_queries_that_do_not_grow_with_the_lines(manager_user: Any, our_entity: Any) -> None:
    to = _account(our_entity)
    counts = []
    for round_, size in enumerate((1, 3, 12)):
        documents = []
        for n in range(size):
            inn = f"78{round_}{n:07d}"
            client = ClientFactory(curator=manager_user, inn=inn)
            invoice = issued_invoice(manager_user, client, "1000.00")
            # by the invoice's number, by the payer's INN and amount, the payer's advance, a stranger
            documents += [
                statement_document(f"{round_}-{n}-1", "1000.00", f"Оплата по счёту № АМ-{invoice.number}", inn=inn,
                                   to=to),
                statement_document(f"{round_}-{n}-2", "1000.00", "Оплата", inn=inn, to=to),
                statement_document(f"{round_}-{n}-3", "100.00", "Предоплата", inn=inn, to=to),
                statement_document(f"{round_}-{n}-4", "100.00", "Возврат", inn=f"79{round_}{n:07d}", to=to),
            ]
        with CaptureQueriesContext(connection) as captured:
            statement = statement_load(acting_user=manager_user, data=statement_file(to, *documents),
                                       filename=f"{round_}.txt")
        assert statement.lines.filter(match=Match.BY_NUMBER).count() == size
        counts.append(len(captured))
    assert counts[0] == counts[1] == counts[2] <= 20
