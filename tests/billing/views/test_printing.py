"""«Счёт на оплату» of an invoice (INV-06): the PDF and the printable page, the stamp option, and «Отправить по e-mail»
— the letter with the PDF attached leaves through the user's own mailbox (a real SMTP server); both only for whoever
may open the invoice's client."""

from __future__ import annotations

import datetime
from typing import Any

import pypdfium2
import pytest
from django.utils import timezone

from kontora.core.models import AuditEvent
from kontora.messaging.models import Letter, LetterAttachment
from kontora.messaging.services.outbox import letter_send
from tests.accounts.factories import UserFactory
from tests.billing.factories import issued_invoice
from tests.clients.factories import ClientFactory
from tests.messaging.support import mailbox_of
from tests.support.http import html, signed_in
from tests.support.queries import assert_flat_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoice(our_entity: Any, manager_user: Any) -> Any:
    from kontora.clients.models import ContactPerson

    client = ClientFactory(curator=manager_user, full_name="ООО «Ромашка»", short_name="Ромашка",
                           email="office@romashka.test")
    contact = ContactPerson.objects.create(client=client, full_name="Сидоров Пётр", email="petr@romashka.test")
    return issued_invoice(manager_user, client, "1200.00", "350.50", attention=contact,
                          due_date=timezone.localdate() + datetime.timedelta(days=5))


def _pdf_text(body: bytes) -> str:
    return " ".join(page.get_textpage().get_text_range() for page in pypdfium2.PdfDocument(body))


@pytest.mark.feature("INV-06")
def test_the_invoice_prints_as_a_pdf_by_default_and_as_a_page_on_request(manager_client: Any, invoice: Any) -> None:
    response = manager_client.get(f"/invoices/{invoice.pk}/print/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="invoice-{invoice.number_year}-{invoice.number}.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert f"Счёт на оплату № {invoice.shown_number}" in _pdf_text(response.content)

    page = html(manager_client.get(f"/invoices/{invoice.pk}/print/?format=html"))
    assert 'data-testid="invoice-print"' in page and 'data-testid="print-button"' in page
    assert f"Счёт на оплату № {invoice.shown_number}" in page
    assert 'data-testid="print-qr"' in page and 'src="data:image/svg+xml;base64,' in page
    # the option «с печатью и подписью» and the PDF link keep each other
    assert 'name="stamp"' in page and "с печатью и подписью" in page
    assert f'href="/invoices/{invoice.pk}/print/?format=pdf"' in page
    stamped = html(manager_client.get(f"/invoices/{invoice.pk}/print/?format=html&stamp=1"))
    assert f'href="/invoices/{invoice.pk}/print/?format=pdf&amp;stamp=1"' in stamped


@pytest.mark.feature("INV-06")
def test_another_managers_client_s_invoice_is_neither_printed_nor_sent(manager_client: Any, invoice: Any,
                                                                     smtp_starttls: Any) -> None:
    stranger = UserFactory(login="other", full_name="Другой Менеджер", role="manager", client_scope="own")
    mailbox_of(stranger, smtp_starttls)
    other = signed_in(stranger)
    for url in (f"/invoices/{invoice.pk}/print/", f"/invoices/{invoice.pk}/print/?format=html",
                f"/invoices/{invoice.pk}/send/"):
        assert other.get(url).status_code == 404, url
    refused = other.post(f"/invoices/{invoice.pk}/send/", {"recipient": "spy@example.test", "subject": "Счёт",
                                                           "text": "Вот"})
    assert refused.status_code == 404
    assert not Letter.objects.exists() and not smtp_starttls.inbox.letters
    # the positive control: its curator reaches both
    assert manager_client.get(f"/invoices/{invoice.pk}/print/?format=html").status_code == 200
    assert manager_client.get(f"/invoices/{invoice.pk}/send/").status_code == 200


@pytest.mark.feature("INV-06")
def test_the_send_form_is_prefilled_from_the_attention_contact_else_the_client(manager_client: Any,
                                                                             invoice: Any) -> None:
    page = html(manager_client.get(f"/invoices/{invoice.pk}/send/"))
    assert 'value="petr@romashka.test"' in page
    assert f'value="Счёт № {invoice.shown_number} от {invoice.date.day}' in page
    assert "Добрый день, Сидоров Пётр!" in page
    invoice.attention = None
    invoice.save(update_fields=["attention"])
    assert 'value="office@romashka.test"' in html(manager_client.get(f"/invoices/{invoice.pk}/send/"))


@pytest.mark.feature("INV-06")
def test_without_a_mailbox_the_form_points_to_the_mail_parameters_and_sends_nothing(manager_client: Any,
                                                                                  invoice: Any) -> None:
    page = html(manager_client.get(f"/invoices/{invoice.pk}/send/"))
    assert 'data-testid="invoice-send-problem"' in page
    assert "Настройки → Параметры → «Почта»" in page and 'href="/settings/parameters/"' in page
    response = manager_client.post(f"/invoices/{invoice.pk}/send/", {
        "recipient": "petr@romashka.test", "subject": "Счёт", "text": "Во вложении."})
    assert response.status_code == 200
    assert "Сначала настройте свой почтовый ящик" in html(response)
    assert not Letter.objects.exists()


@pytest.mark.feature("INV-06")
def test_the_invoice_leaves_by_e_mail_with_its_pdf_attached(manager_user: Any, manager_client: Any, invoice: Any,
                                                          smtp_starttls: Any, files_home: Any) -> None:
    mailbox_of(manager_user, smtp_starttls)
    response = manager_client.post(f"/invoices/{invoice.pk}/send/", {
        "recipient": "petr@romashka.test", "subject": f"Счёт № {invoice.shown_number}", "text": "Во вложении.",
        "next": f"/clients/{invoice.client_id}/"})
    assert response.status_code == 302 and response["Location"] == f"/clients/{invoice.client_id}/"
    letter = Letter.objects.get()
    # a transactional letter about the client, its PDF kept in the storage
    assert letter.purpose == Letter.Purpose.TRANSACTIONAL and letter.client_id == invoice.client_id
    assert letter.author_id == manager_user.pk and letter.recipient == "petr@romashka.test"
    attached = LetterAttachment.objects.get(letter=letter)
    assert attached.name == f"Счёт {invoice.shown_number} от {invoice.date:%d.%m.%Y}.pdf"
    assert (files_home / attached.content.name).is_file()
    # an audit row on the client's card
    row = AuditEvent.objects.get(event="billing.invoice.send")
    assert row.client_id == invoice.client_id and "petr@romashka.test" in row.summary
    # the worker sends it: the PDF arrives as the letter's attachment
    sent = letter_send(letter_id=letter.pk)
    assert sent is not None and sent.state == Letter.State.SENT
    got = smtp_starttls.inbox.letters[0]
    assert str(got["Subject"]) == f"Счёт № {invoice.shown_number}" and got["To"] == "petr@romashka.test"
    assert got.get_body(("plain",)).get_content().strip() == "Во вложении."
    (pdf,) = list(got.iter_attachments())
    assert pdf.get_content_type() == "application/pdf" and pdf.get_filename() == attached.name
    text = _pdf_text(pdf.get_content())
    assert f"Счёт на оплату № {invoice.shown_number}" in text
    assert "Одна тысяча пятьсот пятьдесят рублей 50 копеек" in text


@pytest.mark.feature("INV-06")
def test_the_printable_page_costs_the_same_queries_whatever_the_number_of_lines(manager_client: Any,
                                                                              invoice: Any) -> None:
    from decimal import Decimal

    from kontora.billing.models import InvoiceLine

    def add(number: int) -> None:
        InvoiceLine.objects.create(invoice=invoice, position=10 + number, name=f"Строка {number}", quantity=1,
                                   price=Decimal("1.00"), net=Decimal("1.00"), vat=Decimal("0.00"),
                                   gross=Decimal("1.00"))

    page = assert_flat_queries(lambda: html(manager_client.get(f"/invoices/{invoice.pk}/print/?format=html")), add)
    assert page.count('data-testid="print-line"') == 22
