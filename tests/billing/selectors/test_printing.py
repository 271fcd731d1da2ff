"""«Счёт на оплату» (INV-06) as printed: the PDF's text read back with pypdfium2 against the invoice (number, parties,
every line, totals, VAT, the sum in words), the payment QR code decoded from the drawn page with zxing-cpp, field by
field, and the stamp and signatures only when asked and only on the forms that may carry them."""

from __future__ import annotations

import datetime
import io
import re
import time
from decimal import Decimal
from typing import Any

import pypdfium2
import pytest
import zxingcpp
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from kontora.billing.models import Invoice
from kontora.billing.selectors.printing import document_images, invoice_pdf, invoice_print
from kontora.billing.services.invoices import InvoiceData, LineData, invoice_create, invoice_issue
from kontora.clients.models import ClientRegistration, ContactPerson
from kontora.core.models import LegalEntity
from kontora.core.services.organisation import legal_entity_images_save
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory

DAY = datetime.date(2026, 12, 7)


@pytest.fixture
def entity(db: Any) -> LegalEntity:
    """Our legal entity with its requisites and a default account at Sberbank."""
    entity = LegalEntity.objects.create(
        full_name="ООО «Контора»", short_name="Контора", inn="7707083893", kpp="770701001",
        legal_address="123456, Москва, ул. Тверская, д. 1", phone="+7 495 123-45-67",
        director="Иванов И. И.", chief_accountant="Петрова А. С.", is_default=True)
    entity.bank_accounts.create(bank_name="ПАО Сбербанк", bik="044525225", corr_account="30101810400000000225",
                                account="40702810538000012345", is_default=True)
    return entity


def _invoice(entity: LegalEntity, *, vat_mode: str = Invoice.VatMode.INCLUDED, rate: str | None = "22",
             discount: str = "0") -> Invoice:
    user = UserFactory(full_name="Смирнова Ольга", doc_prefix="АМ")
    client = ClientFactory(curator=user, full_name="ООО «Ромашка»", short_name="Ромашка", inn="7728168971",
                           kpp="772801001")
    ClientRegistration.objects.create(client=client, legal_address="101000, Москва, Мясницкая ул., д. 5")
    contact = ContactPerson.objects.create(client=client, full_name="Сидоров Пётр", email="petr@romashka.test")
    vat = None if rate is None else Decimal(rate)
    lines = [
        LineData(name="Монтаж вентиляции", quantity=Decimal("2"), unit="шт", price=Decimal("15000.00"),
                 vat_rate=vat, discount=Decimal(discount)),
        LineData(name="Выезд инженера", quantity=Decimal("1.5"), unit="ч", price=Decimal("1999.99"), vat_rate=vat),
        LineData(name="Воздуховод | оцинкованный", quantity=Decimal("12"), unit="м", price=Decimal("845.50"),
                 vat_rate=vat),
    ]
    invoice = invoice_create(acting_user=user, data=InvoiceData(
        client=client, date=DAY, lines=lines, attention=contact, due_date=DAY + datetime.timedelta(days=7),
        vat_mode=vat_mode))
    return invoice_issue(acting_user=user, invoice_id=invoice.pk)


def _text(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(pdf)
    text = "\n".join(page.get_textpage().get_text_range() for page in document)
    return re.sub(r"[\s\u00a0\u202f]+", " ", text)


def _money(amount: Decimal) -> str:
    whole, fraction = f"{amount:.2f}".split(".")
    return f"{int(whole):,}".replace(",", " ") + "," + fraction


def _page_image(pdf: bytes) -> Image.Image:
    return pypdfium2.PdfDocument(pdf)[0].render(scale=300 / 72).to_pil()


def _image_objects(pdf: bytes) -> int:
    page = pypdfium2.PdfDocument(pdf)[0]
    return sum(1 for _obj in page.get_objects(filter=[pypdfium2.raw.FPDF_PAGEOBJ_IMAGE], max_depth=5))


@pytest.mark.feature("INV-06")
def test_the_pdf_says_what_the_invoice_holds(entity: LegalEntity) -> None:
    invoice = _invoice(entity)
    invoice_pdf(invoice)  # the process's first drawing also finds and loads the fonts (about two seconds)
    started = time.perf_counter()
    pdf = invoice_pdf(invoice)
    elapsed = time.perf_counter() - started
    text = _text(pdf)
    number = invoice.shown_number
    # the bank block and the title
    for requisite in ("ПАО Сбербанк", "044525225", "30101810400000000225", "40702810538000012345",
                      "ИНН 7707083893", "КПП 770701001", "Банк получателя", "Получатель"):
        assert requisite in text, requisite
    assert f"Счёт на оплату № {number} от 7 декабря 2026 г." in text
    # the parties and «Вниманию»
    assert ("Поставщик (Исполнитель): ООО «Контора», ИНН 7707083893, КПП 770701001, 123456, Москва, "
            "ул. Тверская, д. 1") in text
    assert ("Покупатель (Заказчик): ООО «Ромашка», ИНН 7728168971, КПП 772801001, 101000, Москва, "
            "Мясницкая ул., д. 5") in text
    assert "Вниманию: Сидоров Пётр" in text
    # every line: its number, name, quantity, unit, price and sum
    for line in invoice.lines.order_by("position"):
        quantity = format(line.quantity.normalize(), "f").replace(".", ",")
        row = f"{line.position} {line.name} {quantity} {line.unit} {_money(line.price)} {_money(line.gross)}"
        assert row in text, row
    # the totals: VAT included in the price
    assert f"Итого: {_money(invoice.gross)}" in text
    assert f"В том числе НДС 22 %: {_money(invoice.vat)}" in text
    assert f"Всего к оплате: {_money(invoice.gross)}" in text
    assert f"Всего наименований 3, на сумму {_money(invoice.gross)} руб." in text
    # the sum in words, the due date, the signers
    assert invoice.gross == Decimal("43145.99")
    assert "Сорок три тысячи сто сорок пять рублей 99 копеек" in text
    assert "Оплатить не позднее 14.12.2026." in text
    assert "Руководитель" in text and "Иванов И. И." in text
    assert "Главный бухгалтер" in text and "Петрова А. С." in text
    # the time budget of one invoice, 1 s (about 0.6 s here; kept loose for a shared two-core machine)
    assert elapsed < 2, elapsed


@pytest.mark.feature("INV-06")
def test_vat_on_top_is_an_added_line_and_no_vat_says_so(entity: LegalEntity) -> None:
    on_top = _invoice(entity, vat_mode=Invoice.VatMode.ON_TOP, discount="10")
    text = _text(invoice_pdf(on_top))
    assert f"Итого: {_money(on_top.net)}" in text
    assert f"НДС 22 %: {_money(on_top.vat)}" in text and "В том числе" not in text
    assert f"Всего к оплате: {_money(on_top.gross)}" in text
    assert on_top.net + on_top.vat == on_top.gross
    # the discount column appears with a discount: 2 × 15 000,00 less 10 % = 27 000,00
    assert "Скидка" in text and "1 Монтаж вентиляции 2 шт 15 000,00 10 % 27 000,00" in text

    without = _invoice(entity, rate=None)
    text = _text(invoice_pdf(without))
    assert "Без НДС —" in text and "НДС 22" not in text and "Скидка" not in text
    assert f"Всего к оплате: {_money(without.gross)}" in text


@pytest.mark.feature("INV-06")
def test_the_printed_qr_code_carries_every_payment_field(entity: LegalEntity) -> None:
    invoice = _invoice(entity)
    decoded = zxingcpp.read_barcodes(_page_image(invoice_pdf(invoice)), formats=zxingcpp.BarcodeFormat.QRCode)
    assert len(decoded) == 1
    header, *pairs = decoded[0].text.split("|")
    fields = dict(pair.split("=", 1) for pair in pairs)
    assert header == "ST00012"
    assert fields == {
        "Name": "ООО «Контора»",
        "PersonalAcc": "40702810538000012345",
        "BankName": "ПАО Сбербанк",
        "BIC": "044525225",
        "CorrespAcc": "30101810400000000225",
        "PayeeINN": "7707083893",
        "KPP": "770701001",
        # «|» in a line's name is no business of the code's: the purpose names the invoice, not the lines
        "Purpose": f"Оплата по счёту № {invoice.shown_number} от 07.12.2026, в т.ч. НДС 22 % "
                   f"{_money(invoice.vat)} руб.",
        "Sum": "4314599",
    }
    assert [key for key, _value in (pair.split("=", 1) for pair in pairs)] == [
        "Name", "PersonalAcc", "BankName", "BIC", "CorrespAcc", "PayeeINN", "KPP", "Purpose", "Sum"]


def _png(colour: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGBA", (120, 120), colour).save(buffer, format="PNG")
    return SimpleUploadedFile("stamp.png", buffer.getvalue(), content_type="image/png")


@pytest.mark.feature("INV-06")
def test_the_stamp_and_signatures_appear_only_when_asked_and_only_on_the_invoice(
        entity: LegalEntity, files_home: Any, admin_user: Any) -> None:
    legal_entity_images_save(acting_user=admin_user, entity_id=entity.pk, uploads={
        "stamp": _png("blue"), "director_signature": _png("black"), "accountant_signature": _png("navy")})
    entity.refresh_from_db()
    invoice = _invoice(entity)
    # asked: the stamp and both facsimiles are drawn on the page
    stamped = invoice_print(invoice, stamped=True)
    assert stamped.stamp.startswith("data:image/png;base64,")
    assert all(signer.signature for signer in stamped.signers)
    assert _image_objects(invoice_pdf(invoice, stamped=True)) == 3
    # not asked: none of them
    plain = invoice_print(invoice, stamped=False)
    assert plain.stamp == "" and not any(signer.signature for signer in plain.signers)
    assert _image_objects(invoice_pdf(invoice)) == 0
    # an invoice-factura or a УПД never takes them, even when asked; the act does
    assert document_images(entity, form="invoice_factura", stamped=True) == {}
    assert document_images(entity, form="upd", stamped=True) == {}
    assert set(document_images(entity, form="act", stamped=True)) == {
        "stamp", "director_signature", "accountant_signature"}
