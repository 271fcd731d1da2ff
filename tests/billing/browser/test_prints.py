"""The act, the invoice-factura and the УПД printed in a real browser (INV-05, INV-06): from the document's page to
its printable page; the act takes the stamp and the director's facsimile when «с печатью и подписью» is ticked, the
invoice-factura (in the form with line 5б, dated after 2026-04-01) and the УПД offer no such option. With
KONTORA_SCREENSHOTS=1 the pages are drawn for docs/guide/acts-facturas.md."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from kontora.billing.services.acts import act_from_invoice
from kontora.billing.services.facturas import FacturaHeader, factura_from_invoice
from kontora.core.services.organisation import legal_entity_images_save
from tests.billing.factories import issued_invoice, payee, shipped_vat_rates
from tests.clients.factories import ClientFactory
from tests.support.browser import csp_violations, screenshot, sign_in, watch_csp


def _picture(name: str, draw: Any) -> SimpleUploadedFile:
    image = Image.new("RGBA", (300, 300), (0, 0, 0, 0))
    draw(ImageDraw.Draw(image))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _stamp(pen: Any) -> None:
    pen.ellipse((10, 10, 290, 290), outline=(30, 60, 170, 255), width=8)
    pen.ellipse((60, 60, 240, 240), outline=(30, 60, 170, 255), width=4)


def _signature(pen: Any) -> None:
    pen.line([(20, 200), (80, 90), (120, 210), (170, 100), (230, 190), (280, 150)], fill=(20, 30, 120, 255), width=6)


@pytest.mark.feature("INV-05", "INV-06")
def test_the_act_factura_and_upd_print_from_the_documents_page(page, live_server, manager_user, settings, tmp_path,
                                                               transactional_db):
    base = live_server.url
    settings.FILES_DIR = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}}}
    # given our legal entity with its stamp and facsimiles, and the manager's client's invoice, act and factura
    shipped_vat_rates()
    entity = payee()
    entity.full_name, entity.kpp, entity.director = "ООО «Контора»", "770701001", "Иванов И. И."
    entity.chief_accountant, entity.legal_address = "Петрова А. С.", "123456, Москва, ул. Тверская, д. 1"
    entity.save()
    legal_entity_images_save(acting_user=manager_user, entity_id=entity.pk, uploads={
        "stamp": _picture("stamp.png", _stamp), "director_signature": _picture("director.png", _signature),
        "accountant_signature": _picture("accountant.png", _signature)})
    client = ClientFactory(curator=manager_user, short_name="Ромашка", full_name="ООО «Ромашка»",
                           inn="7728168971", kpp="772801001")
    today = timezone.localdate()
    invoice = issued_invoice(manager_user, client, "12200.00", "3050.00", date=today)
    act = act_from_invoice(acting_user=manager_user, invoice_id=invoice.pk, date=today)
    factura = factura_from_invoice(acting_user=manager_user, invoice_id=invoice.pk, date=today,
                                   header=FacturaHeader(consignee="ООО «Ромашка», Москва"))
    watch_csp(page)
    sign_in(page, base, "manager")

    # the act's «Печать» opens its printable page, without the stamp until asked
    page.goto(f"{base}/acts/{act.pk}/")
    expect(page.get_by_test_id("document-print")).to_have_attribute("href", f"/acts/{act.pk}/print/?format=html")
    page.goto(f"{base}/acts/{act.pk}/print/?format=html")
    expect(page.get_by_test_id("print-title")).to_contain_text(f"Акт № {act.shown_number}")
    expect(page.get_by_test_id("print-customer")).to_contain_text("ООО «Ромашка»")
    expect(page.get_by_test_id("print-line")).to_have_count(2)
    expect(page.get_by_test_id("print-stamp")).to_have_count(0)
    # ticked «с печатью и подписью»: the stamp and the director's facsimile, and the PDF link keeps the choice
    page.get_by_test_id("print-stamp-option").check()
    page.get_by_role("button", name="Показать").click()
    expect(page.get_by_test_id("print-stamp")).to_be_visible()
    expect(page.get_by_test_id("print-signature-contractor")).to_be_visible()
    expect(page.get_by_test_id("print-pdf-link")).to_have_attribute(
        "href", f"/acts/{act.pk}/print/?format=pdf&stamp=1")
    screenshot(page, "act-print")

    # the invoice-factura: the form with line 5б, no stamp option
    page.goto(f"{base}/facturas/{factura.pk}/")
    expect(page.get_by_test_id("document-print")).to_have_attribute(
        "href", f"/facturas/{factura.pk}/print/?format=html")
    page.goto(f"{base}/facturas/{factura.pk}/print/?format=html&stamp=1")
    expect(page.get_by_test_id("print-title")).to_contain_text(f"Счёт-фактура № {factura.shown_number}")
    expect(page.get_by_test_id("line-5b")).to_be_visible()
    expect(page.get_by_test_id("print-line")).to_have_count(2)
    expect(page.get_by_test_id("print-stamp-option")).to_have_count(0)
    expect(page.get_by_test_id("print-stamp")).to_have_count(0)
    screenshot(page, "factura-print")

    # the УПД of status 1 from the same page
    page.goto(f"{base}/facturas/{factura.pk}/")
    upd = page.get_by_test_id("document-upd1")
    expect(upd).to_have_attribute("href", f"/facturas/{factura.pk}/print/?format=html&form=upd&status=1")
    page.goto(base + upd.get_attribute("href"))
    expect(page.get_by_test_id("upd-status")).to_have_text("1")
    expect(page.get_by_test_id("print-stamp")).to_have_count(0)
    expect(page.get_by_test_id("print-pdf-link")).to_have_attribute(
        "href", f"/facturas/{factura.pk}/print/?format=pdf&form=upd&status=1")
    screenshot(page, "upd-print")
    assert csp_violations(page) == []
