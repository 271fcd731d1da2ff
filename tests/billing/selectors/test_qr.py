"""The payment QR code of GOST R 56042-2014 on «Счёт на оплату» (INV-06): the payload and the image read back."""

from __future__ import annotations

import io
from dataclasses import replace
from decimal import Decimal

import pytest
import zxingcpp
from lxml import etree
from PIL import Image

from kontora.billing.selectors.qr import Payment, payment_payload, payment_qr_png, payment_qr_svg
from kontora.core.errors import Refused

pytestmark = pytest.mark.feature("INV-06")

PAYMENT = Payment(
    name="ООО «Ромашка»",
    account="40702810900000000001",
    bank_name="ПАО СБЕРБАНК",
    bik="044525225",
    corr_account="30101810400000000225",
    inn="7701234567",
    kpp="770101001",
    purpose="Оплата по счёту № АМ-422 от 06.12.2026, в т.ч. НДС 22 % — 2 200,00",
    amount=Decimal("12200.05"),
)
EXPECTED = (
    "ST00012|Name=ООО «Ромашка»|PersonalAcc=40702810900000000001|BankName=ПАО СБЕРБАНК|BIC=044525225"
    "|CorrespAcc=30101810400000000225|PayeeINN=7701234567|KPP=770101001"
    "|Purpose=Оплата по счёту № АМ-422 от 06.12.2026, в т.ч. НДС 22 % — 2 200,00|Sum=1220005"
)


def _fields(payload: str) -> dict[str, str]:
    header, *rest = payload.split("|")
    assert header == "ST00012"
    return dict(part.split("=", 1) for part in rest)


def test_the_payload_in_the_standards_order_with_the_sum_in_kopecks() -> None:
    assert payment_payload(PAYMENT) == EXPECTED


def test_the_separator_never_appears_inside_a_value() -> None:
    # given a purpose and a name with the separator and line breaks
    payment = replace(PAYMENT, name="ИП Иванов | опт", purpose="Счёт 1|2\r\nдоставка")
    fields = _fields(payment_payload(payment))
    assert fields["Name"] == "ИП Иванов / опт"
    assert fields["Purpose"] == "Счёт 1/2 доставка"
    assert len(fields) == 9


def test_optional_requisites_are_left_out_and_a_bank_without_corr_account_gets_zero() -> None:
    payment = replace(PAYMENT, kpp="", corr_account="", inn="770123456789")
    fields = _fields(payment_payload(payment))
    assert "KPP" not in fields
    assert fields["CorrespAcc"] == "0"
    assert fields["PayeeINN"] == "770123456789"


def test_length_limits() -> None:
    long_bank = replace(PAYMENT, bank_name="ФИЛИАЛ «ЦЕНТРАЛЬНЫЙ» БАНКА ВТБ (ПУБЛИЧНОЕ АКЦИОНЕРНОЕ ОБЩЕСТВО)")
    assert len(_fields(payment_payload(long_bank))["BankName"]) <= 45
    with pytest.raises(Refused, match="Назначение платежа длиннее 210 символов"):
        payment_payload(replace(PAYMENT, purpose="я" * 211))
    with pytest.raises(Refused, match="Наименование получателя длиннее 160 символов"):
        payment_payload(replace(PAYMENT, name="я" * 161))
    assert _fields(payment_payload(replace(PAYMENT, purpose="я" * 210)))["Purpose"] == "я" * 210


@pytest.mark.parametrize(("change", "message"), [
    ({"account": "4070281090000000000"}, "Расчётный счёт для QR-кода оплаты должен состоять из 20 цифр."),
    ({"bik": "04452522X"}, "БИК для QR-кода оплаты должен состоять из 9 цифр."),
    ({"inn": "77012345"}, "ИНН для QR-кода оплаты должен состоять из 10 или 12 цифр."),
    ({"kpp": "77|101001"}, "КПП для QR-кода оплаты должен состоять из 9 символов."),
    ({"amount": Decimal(0)}, "Сумма QR-кода оплаты должна быть больше нуля."),
    ({"name": " | "}, None),
])
def test_bad_requisites_are_refused(change: dict[str, object], message: str | None) -> None:
    payment = replace(PAYMENT, **change)  # type: ignore[arg-type]
    if message is None:
        # a name of the separator alone is "/" — a name, if an odd one; nothing is refused
        assert _fields(payment_payload(payment))["Name"] == "/"
        return
    with pytest.raises(Refused) as raised:
        payment_payload(payment)
    assert raised.value.message == message


def test_the_png_decodes_back_to_the_payload() -> None:
    # given the rendered PNG / when a QR reader decodes it / then it reads the payload, Cyrillic and all
    image = Image.open(io.BytesIO(payment_qr_png(EXPECTED)))
    found = zxingcpp.read_barcodes(image)
    assert [(code.format, code.text) for code in found] == [(zxingcpp.BarcodeFormat.QRCode, EXPECTED)]


def test_the_svg_is_a_drawing_of_the_same_code() -> None:
    svg = payment_qr_svg(EXPECTED)
    root = etree.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert not svg.startswith(b"<?xml")
    # drawn to pixels and decoded, it is the same text
    cairosvg = pytest.importorskip("cairosvg")
    png = cairosvg.svg2png(bytestring=svg, output_width=600, output_height=600, background_color="white")
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert [code.text for code in found] == [EXPECTED]
