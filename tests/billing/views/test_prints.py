"""The print forms of acts and invoice-facturas (INV-05, INV-06): the PDF's text, extracted with pypdfium2, carries the
document's key fields; the invoice-factura is printed in the form in force on its date (line 5б from 2026-04-01);
the УПД shows its status."""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal
from typing import Any

import pypdfium2 as pdfium
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from kontora.billing.services.acts import act_from_invoice
from kontora.billing.services.facturas import FacturaHeader, factura_advance, factura_from_invoice
from kontora.billing.services.payments import payment_record
from kontora.core.services.organisation import legal_entity_images_save
from tests.billing.factories import issued_invoice
from tests.clients.factories import ClientFactory
from tests.support.http import html
from tests.support.queries import assert_flat_queries

pytestmark = pytest.mark.django_db

BEFORE = datetime.date(2026, 3, 31)
AFTER = datetime.date(2026, 4, 1)


def _text(response: Any) -> str:
    """The PDF's text, its pages joined, whitespace (and the soft line breaks of the layout) made single spaces."""
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    document = pdfium.PdfDocument(response.content)
    try:
        pages = [document[index].get_textpage().get_text_range() for index in range(len(document))]
    finally:
        document.close()
    return re.sub(r"\s+", " ", " ".join(pages).replace("\r", " ").replace("\ufffe", "").replace("\u00ad", ""))


@pytest.mark.feature("INV-05", "INV-06")
def test_the_act_prints_its_number_parties_lines_totals_vat_and_sum_in_words(admin_user: Any, admin_client: Any,
                                                                             our_entity: Any) -> None:
    client = ClientFactory(full_name="ООО «Заказчик»", inn="7701234567")
    invoice = issued_invoice(admin_user, client, "1220.00", date=AFTER)
    act = act_from_invoice(acting_user=admin_user, invoice_id=invoice.pk, date=AFTER)
    text = _text(admin_client.get(f"/acts/{act.pk}/print/"))
    assert f"Акт № {act.shown_number} от 1 апреля 2026 г." in text
    assert "Исполнитель" in text and "ООО «Контора»" in text and "ИНН 7707083893" in text
    assert "Заказчик" in text and "ООО «Заказчик»" in text and "ИНН 7701234567" in text
    assert "Услуга" in text and "1 220,00" in text.replace("\xa0", " ")
    assert "В том числе НДС 22 %" in text and "220,00" in text
    assert f"Основание: Счёт № {invoice.shown_number} от 01.04.2026" in text
    assert "Всего оказано услуг 1, на сумму 1 220,00 руб." in text.replace("\xa0", " ")
    assert "Одна тысяча двести двадцать рублей 00 копеек" in text
    assert "Руководитель" not in text  # the act is signed by the contractor and the customer


def _png(name: str, colour: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGBA", (120, 120), colour).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _images(response: Any) -> int:
    """The pictures drawn on the PDF's first page."""
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    page = pdfium.PdfDocument(response.content)[0]
    return sum(1 for _obj in page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE], max_depth=5))


@pytest.fixture
def stamped_entity(admin_user: Any, our_entity: Any, files_home: Any) -> Any:
    """Our legal entity with its stamp and both facsimile signatures uploaded."""
    legal_entity_images_save(acting_user=admin_user, entity_id=our_entity.pk, uploads={
        "stamp": _png("stamp.png", "blue"), "director_signature": _png("director.png", "black"),
        "accountant_signature": _png("accountant.png", "navy")})
    our_entity.refresh_from_db()
    return our_entity


@pytest.mark.feature("INV-05", "INV-06")
def test_the_act_carries_the_stamp_and_the_directors_facsimile_only_when_asked(admin_user: Any, admin_client: Any,
                                                                              stamped_entity: Any) -> None:
    invoice = issued_invoice(admin_user, ClientFactory(), "1220.00", date=AFTER)
    act = act_from_invoice(acting_user=admin_user, invoice_id=invoice.pk, date=AFTER)
    # asked: the stamp and the director's facsimile (an act has no chief accountant's line)
    assert _images(admin_client.get(f"/acts/{act.pk}/print/?stamp=1")) == 2
    page = admin_client.get(f"/acts/{act.pk}/print/?format=html&stamp=1").content.decode()
    assert 'data-testid="act-print"' in page and 'data-testid="print-stamp"' in page
    assert 'data-testid="print-signature-contractor"' in page and 'src="data:image/png;base64,' in page
    assert 'data-testid="print-signature-customer"' not in page
    # the option is kept by the PDF link
    assert f'href="/acts/{act.pk}/print/?format=pdf&amp;stamp=1"' in page
    # not asked: none of them
    assert _images(admin_client.get(f"/acts/{act.pk}/print/")) == 0
    plain = admin_client.get(f"/acts/{act.pk}/print/?format=html").content.decode()
    assert 'data-testid="print-stamp"' not in plain and "data:image/png" not in plain
    assert 'data-testid="print-stamp-option"' in plain


@pytest.mark.feature("INV-05", "INV-06")
@pytest.mark.parametrize("form", ["", "&form=upd&status=1", "&form=upd&status=2"])
def test_the_invoice_factura_and_the_upd_never_carry_the_stamp_even_when_asked(admin_user: Any, admin_client: Any,
                                                                              stamped_entity: Any,
                                                                              form: str) -> None:
    invoice = issued_invoice(admin_user, ClientFactory(), "1220.00", date=AFTER)
    factura = factura_from_invoice(acting_user=admin_user, invoice_id=invoice.pk, date=AFTER)
    act = act_from_invoice(acting_user=admin_user, invoice_id=invoice.pk, date=AFTER)
    # the same entity's act, asked the same way, is stamped (the positive control)
    assert _images(admin_client.get(f"/acts/{act.pk}/print/?stamp=1")) == 2
    assert _images(admin_client.get(f"/facturas/{factura.pk}/print/?stamp=1{form}")) == 0
    page = admin_client.get(f"/facturas/{factura.pk}/print/?format=html&stamp=1{form}").content.decode()
    assert 'data-testid="factura-print"' in page and 'data-testid="print-pdf-link"' in page
    assert "data:image/png" not in page and 'data-testid="print-stamp' not in page


@pytest.mark.feature("INV-05", "INV-06")
@pytest.mark.parametrize(("on", "has_5b"), [(BEFORE, False), (AFTER, True)])
def test_the_invoice_factura_prints_the_form_in_force_on_its_date(admin_user: Any, admin_client: Any,
                                                                   our_entity: Any, on: datetime.date,
                                                                   has_5b: bool) -> None:
    client = ClientFactory(full_name="ООО «Покупатель»", inn="7701234567", kpp="770101001")
    invoice = issued_invoice(admin_user, client, "122.00", date=on)
    factura = factura_from_invoice(acting_user=admin_user, invoice_id=invoice.pk, date=on,
                                   header=FacturaHeader(consignee="ООО «Покупатель», Москва",
                                                        advance_facturas="№ 7 от 01.03.2026"))
    text = _text(admin_client.get(f"/facturas/{factura.pk}/print/"))
    day = "31 марта 2026 г." if on == BEFORE else "1 апреля 2026 г."
    assert f"Счёт-фактура № {factura.shown_number} от {day}" in text
    assert "Продавец: ООО «Контора»" in text and "ИНН/КПП покупателя: 7701234567/770101001" in text
    assert "Грузополучатель и его адрес: ООО «Покупатель», Москва" in text
    assert "Российский рубль, 643" in text and "22%" in text and "122,00" in text
    # the 2026 amendment's line 5б only from its effective date
    assert ("(5б)" in text) is has_5b
    assert ("№ 7 от 01.03.2026" in text) is has_5b
    assert ("действующей с 1 апреля 2026 г." in text) is has_5b
    # the amending decree named on the 2026 form; column 11 as the form names it since traceability came in
    assert ("постановления Правительства Российской Федерации от 23 января 2026 г. № 26" in text) is has_5b
    assert ("действовавшей до 1 апреля 2026 г." in text) is not has_5b
    assert "Регистрационный номер декларации на товары или регистрационный номер партии товара, подлежащего " \
           "прослеживаемости" in text


@pytest.mark.feature("INV-05", "INV-06")
def test_the_advance_invoice_factura_prints_the_calculated_rate_and_the_payment(admin_user: Any, admin_client: Any,
                                                                               our_entity: Any) -> None:
    payment = payment_record(acting_user=admin_user, client=ClientFactory(), date=AFTER, amount=Decimal("122.00"),
                             bank_document="345")
    factura = factura_advance(acting_user=admin_user, payment_id=payment.pk, date=AFTER)
    text = _text(admin_client.get(f"/facturas/{factura.pk}/print/"))
    assert "22/122" in text and "К платёжно-расчётному документу: № 345 от 01.04.2026" in text
    assert "Предварительная оплата" in text


@pytest.mark.feature("INV-05", "INV-06")
@pytest.mark.parametrize("status", ["1", "2"])
def test_the_upd_prints_the_same_data_with_its_status(admin_user: Any, admin_client: Any, our_entity: Any,
                                                      status: str) -> None:
    invoice = issued_invoice(admin_user, ClientFactory(), "122.00", date=AFTER)
    factura = factura_from_invoice(acting_user=admin_user, invoice_id=invoice.pk, date=AFTER)
    text = _text(admin_client.get(f"/facturas/{factura.pk}/print/?form=upd&status={status}"))
    assert "Универсальный передаточный документ" in text and f"Статус: {status}" in text
    assert f"Счёт № {invoice.shown_number}" in text and "Товар (груз) передал" in text
    assert admin_client.get(f"/facturas/{factura.pk}/print/?form=upd&status=3").status_code == 404


@pytest.mark.feature("INV-05", "INV-06")
@pytest.mark.parametrize("kind", ["act", "factura", "upd"])
def test_the_printable_pages_cost_the_same_queries_whatever_the_number_of_lines(admin_user: Any, admin_client: Any,
                                                                              our_entity: Any, kind: str) -> None:
    from kontora.billing.models import ActLine, InvoiceFacturaLine

    invoice = issued_invoice(admin_user, ClientFactory(), "122.00", date=AFTER)
    if kind == "act":
        document: Any = act_from_invoice(acting_user=admin_user, invoice_id=invoice.pk, date=AFTER)
        url, model, owner = f"/acts/{document.pk}/print/?format=html", ActLine, "act"
    else:
        document = factura_from_invoice(acting_user=admin_user, invoice_id=invoice.pk, date=AFTER)
        url = f"/facturas/{document.pk}/print/?format=html" + ("&form=upd&status=1" if kind == "upd" else "")
        model, owner = InvoiceFacturaLine, "factura"

    def add(number: int) -> None:
        model.objects.create(**{owner: document}, position=10 + number, name=f"Строка {number}", quantity=1,
                             price=Decimal("1.00"), net=Decimal("1.00"), vat=Decimal("0.00"), gross=Decimal("1.00"))

    page = assert_flat_queries(lambda: html(admin_client.get(url)), add)
    assert page.count('data-testid="print-line"') == 21
