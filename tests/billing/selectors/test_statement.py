"""Bank statements read from the 1C exchange file (INV-04): accounts, period, documents, direction, refusals."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from kontora.billing.selectors.statement import Direction, statement_read
from kontora.core.errors import Refused

pytestmark = pytest.mark.feature("INV-04")

OURS = "40702810900000000001"
HEADER = [
    "1CClientBankExchange",
    "ВерсияФормата=1.03",
    "Кодировка=Windows",
    "Отправитель=Бухгалтерия предприятия, редакция 3.0",
    "Получатель=",
    "ДатаСоздания=06.12.2026",
    "ВремяСоздания=10:15:00",
    "ДатаНачала=01.12.2026",
    "ДатаКонца=05.12.2026",
    f"РасчСчет={OURS}",
    "Документ=Платежное поручение",
]
ACCOUNT = [
    "СекцияРасчСчет",
    "ДатаНачала=01.12.2026",
    "ДатаКонца=05.12.2026",
    f"РасчСчет={OURS}",
    "НачальныйОстаток=1000.00",
    "ВсегоПоступило=15700.50",
    "ВсегоСписано=500",
    "КонечныйОстаток=16200.50",
    "КонецРасчСчет",
]
INCOMING = [
    "СекцияДокумент=Платежное поручение",
    "Номер=318",
    "Дата=02.12.2026",
    "Сумма=12200.50",
    "ПлательщикСчет=40702810100000000777",
    "Плательщик=ИНН 7707083893 ООО «Василёк»",
    "ПлательщикИНН=7707083893",
    "Плательщик1=ООО «Василёк»",
    "ПлательщикРасчСчет=40702810100000000777",
    "ПлательщикБанк1=ПАО СБЕРБАНК",
    "ПлательщикБИК=044525225",
    "ПлательщикКПП=770701001",
    f"ПолучательСчет={OURS}",
    "ДатаПоступило=03.12.2026",
    "Получатель=ИНН 7701234567 ООО «Ромашка»",
    "ПолучательИНН=7701234567",
    "Получатель1=ООО «Ромашка»",
    f"ПолучательРасчСчет={OURS}",
    "ПолучательКПП=770101001",
    "ВидОплаты=01",
    "Очередность=5",
    "НазначениеПлатежа=Оплата по счёту № АМ-422 от 01.12.2026, в т.ч. НДС 22 % — 2 200,09",
    "КонецДокумента",
]
OUTGOING = [
    "СекцияДокумент=Платежное поручение",
    "Номер=77",
    "Дата=04.12.2026",
    "Сумма=500",
    f"ПлательщикСчет={OURS}",
    "Плательщик1=ООО «Ромашка»",
    "ПлательщикИНН=7701234567",
    "ДатаСписано=04.12.2026",
    "ПолучательСчет=40702810500000000002",
    "Получатель1=ИП Петров Пётр Петрович",
    "ПолучательИНН=770123456789",
    "НазначениеПлатежа1=Аренда за декабрь",
    "НазначениеПлатежа2=Без НДС",
    "КонецДокумента",
]
ORDER = [
    "СекцияДокумент=Банковский ордер",
    "Номер=5",
    "Дата=05.12.2026",
    "Сумма=3500,00",
    "ПлательщикСчет=40702810100000000888",
    "Плательщик=АО «Лютик»",
    "ПлательщикИНН=5001234567",
    f"ПолучательСчет={OURS}",
    "Получатель=ООО «Ромашка»",
    "ДатаПоступило=05.12.2026",
    "НазначениеПлатежа=Предоплата",
    "КонецДокумента",
]


def _file(*blocks: list[str], end: bool = True, encoding: str = "cp1251") -> bytes:
    lines = [line for block in blocks for line in block] + (["КонецФайла"] if end else [])
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def test_a_statement_with_incoming_and_outgoing_documents() -> None:
    # given a statement of one account with three documents, Cyrillic, CRLF, Windows-1251
    data = _file(HEADER, ACCOUNT, INCOMING, OUTGOING, ORDER)

    # when it is read
    statement = statement_read(data)

    # then the account, the period, the balances and every document as the bank wrote it
    assert statement.accounts == (OURS,)
    assert (statement.start, statement.end, statement.created) == (
        datetime.date(2026, 12, 1), datetime.date(2026, 12, 5), datetime.date(2026, 12, 6))
    (section,) = statement.sections
    assert (section.opening, section.incoming, section.outgoing, section.closing) == (
        Decimal("1000.00"), Decimal("15700.50"), Decimal(500), Decimal("16200.50"))
    incoming, outgoing, order = statement.documents
    assert incoming.kind == "Платежное поручение"
    assert (incoming.number, incoming.date, incoming.amount) == ("318", datetime.date(2026, 12, 2), Decimal("12200.50"))
    assert (incoming.payer, incoming.payer_inn, incoming.payer_kpp, incoming.payer_account) == (
        "ООО «Василёк»", "7707083893", "770701001", "40702810100000000777")
    assert (incoming.recipient, incoming.recipient_inn, incoming.recipient_account) == (
        "ООО «Ромашка»", "7701234567", OURS)
    assert incoming.purpose == "Оплата по счёту № АМ-422 от 01.12.2026, в т.ч. НДС 22 % — 2 200,09"
    assert (incoming.received, incoming.written_off) == (datetime.date(2026, 12, 3), None)
    assert incoming.direction == Direction.INCOMING
    assert incoming.line == len(HEADER) + len(ACCOUNT) + 1

    assert outgoing.direction == Direction.OUTGOING
    assert (outgoing.amount, outgoing.written_off) == (Decimal("500"), datetime.date(2026, 12, 4))
    assert outgoing.purpose == "Аренда за декабрь Без НДС"
    assert outgoing.recipient == "ИП Петров Пётр Петрович"

    assert (order.kind, order.amount, order.payer, order.direction) == (
        "Банковский ордер", Decimal("3500.00"), "АО «Лютик»", Direction.INCOMING)


def test_the_dos_encoding_and_plain_line_feeds_are_read_too() -> None:
    header = [line if not line.startswith("Кодировка") else "Кодировка=DOS" for line in HEADER]
    document = [line.replace("«", '"').replace("»", '"').replace("—", "-") for line in INCOMING]
    data = "\n".join([*header, *document, "КонецФайла"]).encode("cp866")
    (read,) = statement_read(data).documents
    assert (read.payer, read.direction) == ('ООО "Василёк"', Direction.INCOMING)


def _refusal(data: bytes) -> Refused:
    with pytest.raises(Refused) as raised:
        statement_read(data)
    return raised.value


def test_not_a_1c_file_is_refused() -> None:
    error = _refusal(b"<html>statement</html>")
    assert error.message == "Это не файл обмена с 1С: он должен начинаться со строки «1CClientBankExchange»."


def test_a_file_in_utf8_is_refused() -> None:
    error = _refusal(_file(HEADER, INCOMING, encoding="utf-8"))
    assert error.message == "Файл в кодировке UTF-8, а файл обмена с 1С должен быть в Windows-1251 (или DOS)."


def test_a_malformed_amount_is_refused_with_its_line() -> None:
    bad = [line if not line.startswith("Сумма") else "Сумма=12 200.50" for line in INCOMING]
    error = _refusal(_file(HEADER, bad))
    assert error.message == (
        f"Строка {len(HEADER) + 4}: «12 200.50» — не сумма (рубли, не больше двух знаков после точки).")


def test_a_malformed_date_is_refused_with_its_line() -> None:
    bad = [line if not line.startswith("Дата=") else "Дата=2026-12-02" for line in INCOMING]
    error = _refusal(_file(HEADER, bad))
    assert error.message == f"Строка {len(HEADER) + 3}: «2026-12-02» — не дата (ДД.ММ.ГГГГ)."


def test_a_file_cut_short_is_refused() -> None:
    cut = f"Строка {len(HEADER) + 1}: секция, которая начинается здесь, не закончена."
    assert _refusal(_file(HEADER, INCOMING[:-1])).message == cut
    assert _refusal(_file(HEADER, INCOMING[:-1], end=False)).message == cut
    assert _refusal(_file(HEADER, INCOMING, end=False)).message == (
        "В файле нет «КонецФайла»: возможно, он обрезан.")


def test_a_document_without_its_amount_is_refused() -> None:
    bad = [line for line in INCOMING if not line.startswith("Сумма")]
    assert _refusal(_file(HEADER, bad)).message == f"Строка {len(HEADER) + 1}: в документе нет «Сумма»."


def test_a_line_that_is_not_key_value_is_refused() -> None:
    bad = [*INCOMING[:3], "мусор", *INCOMING[3:]]
    message = f"Строка {len(HEADER) + 4}: «мусор» — не строка вида «ключ=значение»."
    assert _refusal(_file(HEADER, bad)).message == message


def test_a_statement_of_two_accounts_tells_each_documents_direction() -> None:
    # given a statement of two of our accounts, a transfer between them and a payment naming neither
    second = "40702810000000000009"
    transfer = [line.replace("40702810500000000002", second) for line in OUTGOING]
    stranger = [
        line for line in INCOMING if not line.startswith(("ПолучательСчет", "ПолучательРасчСчет"))
    ]
    data = _file([*HEADER, f"РасчСчет={second}"], transfer, stranger)

    # when it is read
    statement = statement_read(data)

    # then both accounts are ours; the transfer reaches one of them; the other is told by its receipt date
    assert statement.accounts == (OURS, second)
    assert [document.direction for document in statement.documents] == [Direction.INCOMING, Direction.INCOMING]
    assert statement.documents[1].recipient_account == ""


def test_an_unknown_encoding_is_refused() -> None:
    header = [line if not line.startswith("Кодировка") else "Кодировка=KOI8" for line in HEADER]
    assert _refusal(_file(header, INCOMING)).message == (
        "Неизвестная кодировка «koi8»: файл обмена с 1С бывает в кодировке Windows или DOS.")
