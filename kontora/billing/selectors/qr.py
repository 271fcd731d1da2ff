"""The payment QR code of GOST R 56042-2014 printed on «Счёт на оплату» (INV-06): a banking app reads it and fills
the transfer.

The payload is `ST00012|Name=…|PersonalAcc=…|BankName=…|BIC=…|CorrespAcc=…|PayeeINN=…|KPP=…|Purpose=…|Sum=…`:
the format tag `ST`, the version `0001`, the encoding `2` (UTF-8), then the mandatory requisites in the standard's
order and the additional ones. `|` separates the requisites, so it never appears inside a value: free text gets
`/` in its place; the standard's length limits are kept (a value too long is refused, not cut, except the bank's
name, which the BIC identifies anyway). `Sum` is in kopecks.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from decimal import Decimal

import segno
from django.utils.translation import gettext as _

from kontora.core.errors import Refused
from kontora.core.money import kopecks

HEADER = "ST00012"  # ST, version 0001, encoding 2 = UTF-8
SEPARATOR = "|"
NAME_MAX, BANK_NAME_MAX, PURPOSE_MAX = 160, 45, 210
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Payment:
    """What the payer's bank needs: the payee, its account and bank, the purpose and the amount in rubles."""

    name: str
    account: str
    bank_name: str
    bik: str
    corr_account: str
    inn: str
    kpp: str
    purpose: str
    amount: Decimal


def _text(value: str) -> str:
    # One line, no separator: the separator inside a value would split it into a requisite of its own.
    return _SPACES.sub(" ", value.replace(SEPARATOR, "/")).strip()


def _digits(value: str, lengths: tuple[int, ...], label: str) -> str:
    value = value.strip()
    if not (value.isascii() and value.isdigit() and len(value) in lengths):
        raise Refused(_("%(label)s for the payment QR code must be %(length)s digits.")
                      % {"label": label, "length": _(" or ").join(str(n) for n in lengths)})
    return value


def _limited(value: str, limit: int, label: str) -> str:
    if len(value) > limit:
        raise Refused(_("%(label)s is longer than %(limit)d characters, the limit of the payment QR code.")
                      % {"label": label, "limit": limit})
    return value


def payment_payload(payment: Payment) -> str:
    """The text of the payment QR code, in the standard's order; refused when a requisite breaks its format."""
    name = _limited(_text(payment.name), NAME_MAX, _("The payee's name"))
    if not name:
        raise Refused(_("The payee's name is required for the payment QR code."))
    bank_name = _text(payment.bank_name)[:BANK_NAME_MAX].rstrip()
    if not bank_name:
        raise Refused(_("The bank's name is required for the payment QR code."))
    purpose = _limited(_text(payment.purpose), PURPOSE_MAX, _("The purpose of payment"))
    kpp = payment.kpp.strip().upper()
    if kpp and not re.fullmatch(r"[0-9]{4}[0-9A-Z]{2}[0-9]{3}", kpp):
        raise Refused(_("The KPP for the payment QR code must be 9 characters."))
    total = kopecks(payment.amount)
    if total <= 0:
        raise Refused(_("The amount of the payment QR code must be greater than zero."))
    fields = [
        ("Name", name),
        ("PersonalAcc", _digits(payment.account, (20,), _("The settlement account"))),
        ("BankName", bank_name),
        ("BIC", _digits(payment.bik, (9,), _("The BIK"))),
        # The standard wants the field even for a bank without a correspondent account: then it is 0.
        ("CorrespAcc", _digits(payment.corr_account, (20,), _("The correspondent account"))
         if payment.corr_account.strip() else "0"),
        ("PayeeINN", _digits(payment.inn, (10, 12), _("The INN"))),
        ("KPP", kpp),
        ("Purpose", purpose),
        ("Sum", str(total)),
    ]
    return SEPARATOR.join([HEADER, *(f"{key}={value}" for key, value in fields if value)])


def _code(payload: str) -> segno.QRCode:
    # Byte mode in UTF-8 without an ECI marker (the encoding is the payload's flag), error correction M.
    return segno.make_qr(payload, error="m", encoding="utf-8", boost_error=False)


def payment_qr_svg(payload: str, *, scale: int = 4) -> bytes:
    """The QR code as an SVG document for the print form (4 modules of quiet zone, as the QR standard wants)."""
    buffer, image = io.BytesIO(), _code(payload)
    image.save(buffer, kind="svg", scale=scale, border=4, xmldecl=False)
    return buffer.getvalue()


def payment_qr_png(payload: str, *, scale: int = 4) -> bytes:
    """The QR code as a PNG image (for formats that take no SVG)."""
    buffer, image = io.BytesIO(), _code(payload)
    image.save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()
