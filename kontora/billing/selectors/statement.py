"""Bank statements read from the 1C exchange file (`1CClientBankExchange`, INV-04): the statement's accounts and
period, and each payment document, incoming or outgoing relative to our accounts.

The file is the format of 1C:Enterprise and client banks (version 1.02/1.03): lines `key=value` in Windows-1251
(or DOS, cp866, as its `Кодировка` says), a header, `СекцияРасчСчет` … `КонецРасчСчет` per account,
`СекцияДокумент=<kind>` … `КонецДокумента` per document, and `КонецФайла`. Unknown keys are skipped; what cannot
be read is refused with its line number, so the user knows where the bank's file is wrong.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext as _

from kontora.core.errors import Refused

SIGNATURE = "1CClientBankExchange"
ENCODINGS = {"windows": "cp1251", "dos": "cp866"}
_AMOUNT = re.compile(r"[0-9]{1,15}([.,][0-9]{1,2})?")
_DATE = re.compile(r"([0-9]{2})\.([0-9]{2})\.([0-9]{4})")


def _refused(message: str, *, line: int = 0) -> Refused:
    """The file is not a readable 1C statement: the message names the 1-based line at fault (0: the whole file)."""
    return Refused(_("Line %(line)d: %(message)s") % {"line": line, "message": message} if line else message)


class Direction(StrEnum):
    """Money coming to our account, or leaving it."""

    INCOMING = "incoming"
    OUTGOING = "outgoing"


@dataclass(frozen=True)
class AccountSection:
    """A `СекцияРасчСчет`: one of our accounts over the period, with its balances and turnovers when given."""

    account: str
    start: datetime.date | None
    end: datetime.date | None
    opening: Decimal | None
    incoming: Decimal | None
    outgoing: Decimal | None
    closing: Decimal | None


@dataclass(frozen=True)
class Document:
    """A payment document of the statement; `line` is where its section starts in the file."""

    line: int
    kind: str
    number: str
    date: datetime.date
    amount: Decimal
    payer: str
    payer_inn: str
    payer_kpp: str
    payer_account: str
    recipient: str
    recipient_inn: str
    recipient_kpp: str
    recipient_account: str
    purpose: str
    received: datetime.date | None
    written_off: datetime.date | None
    direction: Direction | None


@dataclass(frozen=True)
class Statement:
    """The statement: our accounts, its period, the account sections and the documents in the file's order."""

    accounts: tuple[str, ...]
    start: datetime.date | None
    end: datetime.date | None
    created: datetime.date | None
    sections: tuple[AccountSection, ...]
    documents: tuple[Document, ...]


def _decode(data: bytes) -> list[str]:
    if not data.lstrip(b"\xef\xbb\xbf").startswith(SIGNATURE.encode()):
        raise _refused(_("This is not a 1C exchange file: it must start with «1CClientBankExchange»."))
    declared = "windows"
    for raw in data.splitlines()[:30]:
        if raw.startswith("Кодировка=".encode("cp1251")):
            declared = raw.split(b"=", 1)[1].decode("ascii", "replace").strip().lower()
        elif raw.startswith("Кодировка=".encode("cp866")):
            declared = raw.split(b"=", 1)[1].decode("ascii", "replace").strip().lower()
    if declared not in ENCODINGS:
        raise _refused(_("Unknown encoding «%(name)s»: a 1C exchange file is in Windows or DOS.")
                             % {"name": declared})
    if not data.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass  # as expected: Cyrillic in Windows-1251 or DOS is never valid UTF-8
        else:
            raise _refused(_("The file is in UTF-8; a 1C exchange file must be in Windows-1251 (or DOS)."))
    codec = ENCODINGS[declared]
    lines = data.removeprefix(b"\xef\xbb\xbf").decode(codec, errors="replace").splitlines()
    for number, line in enumerate(lines, start=1):
        if "\ufffd" in line:
            raise _refused(_("the text is not in the encoding the file declares."), line=number)
    return lines


def _date(value: str, line: int) -> datetime.date | None:
    if not value:
        return None
    match = _DATE.fullmatch(value)
    try:
        if match is None:
            raise ValueError(value)
        return datetime.date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        raise _refused(_("«%(value)s» is not a date (DD.MM.YYYY).") % {"value": value}, line=line) from None


def _amount(value: str, line: int) -> Decimal | None:
    if not value:
        return None
    if _AMOUNT.fullmatch(value) is None:
        raise _refused(_("«%(value)s» is not an amount (rubles with up to two decimals).") % {"value": value},
                             line=line)
    return Decimal(value.replace(",", "."))


class _Fields:
    """The `key=value` lines of one block, each remembering its line number for messages."""

    def __init__(self, start: int) -> None:
        self.start = start
        self.values: dict[str, tuple[str, int]] = {}

    def put(self, key: str, value: str, line: int) -> None:
        self.values[key] = (value, line)

    def text(self, *keys: str) -> str:
        for key in keys:
            if self.values.get(key, ("", 0))[0]:
                return self.values[key][0]
        return ""

    def line(self, key: str) -> int:
        return self.values.get(key, ("", self.start))[1]

    def date(self, key: str) -> datetime.date | None:
        return _date(self.text(key), self.line(key))

    def amount(self, key: str) -> Decimal | None:
        return _amount(self.text(key), self.line(key))


def _section(fields: _Fields) -> AccountSection:
    return AccountSection(
        account=fields.text("РасчСчет"), start=fields.date("ДатаНачала"), end=fields.date("ДатаКонца"),
        opening=fields.amount("НачальныйОстаток"), incoming=fields.amount("ВсегоПоступило"),
        outgoing=fields.amount("ВсегоСписано"), closing=fields.amount("КонечныйОстаток"),
    )


def _document(kind: str, fields: _Fields, ours: set[str]) -> Document:
    for key in ("Номер", "Дата", "Сумма"):
        if not fields.text(key):
            raise _refused(_("the document has no «%(key)s».") % {"key": key}, line=fields.start)
    date, amount = fields.date("Дата"), fields.amount("Сумма")
    assert date is not None and amount is not None  # present, checked above
    payer_accounts = {fields.text("ПлательщикСчет"), fields.text("ПлательщикРасчСчет")} - {""}
    recipient_accounts = {fields.text("ПолучательСчет"), fields.text("ПолучательРасчСчет")} - {""}
    received, written_off = fields.date("ДатаПоступило"), fields.date("ДатаСписано")
    direction: Direction | None
    if recipient_accounts & ours:
        direction = Direction.INCOMING
    elif payer_accounts & ours:
        direction = Direction.OUTGOING
    else:
        direction = Direction.INCOMING if received else (Direction.OUTGOING if written_off else None)
    purpose = fields.text("НазначениеПлатежа") or " ".join(
        part for part in (fields.text(f"НазначениеПлатежа{n}") for n in range(1, 7)) if part
    )
    return Document(
        line=fields.start, kind=kind, number=fields.text("Номер"), date=date, amount=amount,
        payer=fields.text("Плательщик1", "Плательщик"), payer_inn=fields.text("ПлательщикИНН"),
        payer_kpp=fields.text("ПлательщикКПП"), payer_account=fields.text("ПлательщикРасчСчет", "ПлательщикСчет"),
        recipient=fields.text("Получатель1", "Получатель"), recipient_inn=fields.text("ПолучательИНН"),
        recipient_kpp=fields.text("ПолучательКПП"),
        recipient_account=fields.text("ПолучательРасчСчет", "ПолучательСчет"),
        purpose=purpose, received=received, written_off=written_off, direction=direction,
    )


def statement_read(data: bytes) -> Statement:
    """The statement in a 1C exchange file's bytes; refused (`Refused`, naming the line) when it is not one."""
    lines = _decode(data)
    header = _Fields(1)
    sections: list[AccountSection] = []
    blocks: list[tuple[str, _Fields]] = []
    current: _Fields | None = None
    kind = ""  # "" in the header, "account" in a СекцияРасчСчет, the document's kind in a СекцияДокумент
    ended = False
    header_accounts: list[str] = []
    for number, raw in enumerate(lines[1:], start=2):
        line = raw.strip()
        if not line:
            continue
        if ended:
            raise _refused(_("text after «КонецФайла»."), line=number)
        key, has_value, value = line.partition("=")
        key, value = key.strip(), value.strip()
        if key == "СекцияРасчСчет" or key == "СекцияДокумент":
            if current is not None:
                raise _refused(_("a new section starts before the previous one ends."), line=number)
            current, kind = _Fields(number), ("account" if key == "СекцияРасчСчет" else value or "—")
        elif key == "КонецРасчСчет" or key == "КонецДокумента":
            if current is None or (key == "КонецРасчСчет") != (kind == "account"):
                raise _refused(_("«%(key)s» without its section.") % {"key": key}, line=number)
            if kind == "account":
                sections.append(_section(current))
            else:
                blocks.append((kind, current))
            current = None
        elif key == "КонецФайла":
            if current is not None:
                raise _refused(_("the section that starts here has no end."), line=current.start)
            ended = True
        elif not has_value:
            raise _refused(_("«%(text)s» is not a «key=value» line.") % {"text": line[:60]}, line=number)
        else:
            (current or header).put(key, value, number)
            if current is None and key == "РасчСчет" and value:
                header_accounts.append(value)
    if current is not None:
        raise _refused(_("the section that starts here has no end."), line=current.start)
    if not ended:
        raise _refused(_("The file has no «КонецФайла»: it may have been cut short."))
    accounts = tuple(dict.fromkeys(
        header_accounts + [section.account for section in sections if section.account]
    ))
    ours = set(accounts)
    return Statement(
        accounts=accounts, start=header.date("ДатаНачала"), end=header.date("ДатаКонца"),
        created=header.date("ДатаСоздания"), sections=tuple(sections),
        documents=tuple(_document(kind, fields, ours) for kind, fields in blocks),
    )
