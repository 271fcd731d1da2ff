"""The bank statement pages (INV-04): the upload, the lines with their matches, a line's choice by htmx, «Провести»,
the importer's own statements, and the page's queries not growing with the lines."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kontora.billing.models import Invoice, Payment, StatementImport, StatementLine
from kontora.core.models import BankAccount
from tests.accounts.factories import UserFactory
from tests.billing.factories import issued_invoice, statement_document, statement_file
from tests.clients.factories import ClientFactory
from tests.support.http import html, signed_in
from tests.support.queries import assert_flat_queries

pytestmark = [pytest.mark.django_db, pytest.mark.feature("INV-04")]
HX = {"HTTP_HX_REQUEST": "true"}


def _upload(http: Any, data: bytes, name: str = "dekabr.txt") -> Any:
    return http.post("/statements/new/", {"file": SimpleUploadedFile(name, data, content_type="text/plain")})


@pytest.fixture
def scene(manager_user: Any, our_entity: Any) -> dict[str, Any]:
    other = UserFactory(login="other", full_name="Борис Другой", role="manager", doc_prefix="БД")
    mine = ClientFactory(curator=manager_user, inn="7711111111", short_name="Ромашка")
    twins = ClientFactory(curator=manager_user, inn="7744444444", short_name="Близнецы")
    theirs = ClientFactory(curator=other, inn="7755555555", short_name="Чужой Василёк")
    to = BankAccount.objects.get(legal_entity=our_entity).account
    invoice = issued_invoice(manager_user, mine, "1000.00")
    pair = [issued_invoice(manager_user, twins, "200.00"), issued_invoice(manager_user, twins, "200.00")]
    issued_invoice(other, theirs, "700.00")
    data = statement_file(
        to,
        statement_document("101", "1000.00", f"Оплата по счёту № АМ-{invoice.number}", inn="7711111111", to=to),
        statement_document("104", "200.00", "Оплата", inn="7744444444", to=to),
        statement_document("105", "700.00", "Оплата по договору", inn="7755555555", to=to,
                           payer="ООО «Плательщик Б»"),
        statement_document("77", "500.00", "Аренда", to=to, outgoing=True),
    )
    return {"other": other, "mine": mine, "theirs": theirs, "invoice": invoice, "pair": pair, "data": data, "to": to}


def test_a_statement_is_loaded_decided_and_recorded(manager_user: Any, manager_client: Any,
                                                    scene: dict[str, Any]) -> None:
    # when the manager loads the statement from the upload page
    response = _upload(manager_client, scene["data"])
    statement = StatementImport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/statements/{statement.pk}/"
    page = html(manager_client.get(response["Location"]))
    # then the lines show what each pays; another manager's client is not named, the outgoing line counted
    assert "Ромашка" in page and f"Счёт АМ-{scene['invoice'].number}" in page
    assert "Чужой Василёк" not in page and "1 исходящая или другая строка пропущена" in page
    assert 'data-testid="statement-matched">1<' in page and 'data-testid="statement-unmatched">2<' in page
    # when he picks the second of the ambiguous pair (htmx)
    ambiguous = statement.lines.get(number="104")
    part = html(manager_client.post(f"/statement-lines/{ambiguous.pk}/",
                                    {"choice": f"invoice:{scene['pair'][1].pk}"}, **HX))
    # then the lines come back with two to record
    assert part.startswith('<div id="statement-lines"') and 'data-testid="statement-matched">2<' in part
    # when he types another manager's client's INN for the third line
    third = statement.lines.get(number="105")
    part = html(manager_client.post(f"/statement-lines/{third.pk}/", {"choice": "exclude", "typed": "7755555555"},
                                    **HX))
    # then it is not found, and the client is not named
    assert "Не найден ни открытый счёт" in part and "Чужой Василёк" not in part
    # when he records the statement
    response = manager_client.post(f"/statements/{statement.pk}/record/")
    page = html(manager_client.get(response["Location"]))
    # then two payments are recorded and one line is left for him
    assert "Проведено платежей: 2. Осталось строк: 1." in page
    assert Payment.objects.count() == 2
    scene["invoice"].refresh_from_db()
    assert (scene["invoice"].status, scene["invoice"].due) == (Invoice.Status.PAID, Decimal(0))
    assert 'data-testid="statement-recorded">2<' in page
    # and his statements are listed on the upload page
    assert "dekabr.txt" in html(manager_client.get("/statements/new/"))


def test_bad_files_are_refused_next_to_the_field(manager_client: Any, scene: dict[str, Any]) -> None:
    foreign = statement_file("40702810999999999999",
                             statement_document("1", "10.00", "Оплата", to="40702810999999999999"))
    for data, message in ((b"Hello;World\n", "Это не файл обмена с 1С"),
                          (scene["data"].decode("cp1251").encode("utf-8"), "Файл в кодировке UTF-8"),
                          (foreign, "это не счёт наших организаций")):
        response = _upload(manager_client, data)
        assert response.status_code == 400
        assert 'data-testid="error-file"' in html(response) and message in html(response)
    assert not StatementImport.objects.exists()


def test_a_statement_is_its_importers_and_an_administrators_only(manager_user: Any, manager_client: Any,
                                                                 admin_user: Any, scene: dict[str, Any]) -> None:
    _upload(manager_client, scene["data"])
    statement = StatementImport.objects.get()
    line = statement.lines.get(number="104")
    other = signed_in(scene["other"])
    # another manager gets the same 404 as for a missing statement, and may not decide a line
    assert other.get(f"/statements/{statement.pk}/").status_code == 404
    assert other.get("/statements/999999/").status_code == 404
    assert other.post(f"/statement-lines/{line.pk}/", {"choice": "exclude"}).status_code == 404
    assert other.post(f"/statements/{statement.pk}/record/").status_code == 404
    assert "dekabr.txt" not in html(other.get("/statements/new/"))
    assert StatementLine.objects.get(pk=line.pk).decision == StatementLine.Decision.PENDING
    # an administrator reads it (positive control) but does not decide for the importer
    admin = signed_in(admin_user)
    assert admin.get(f"/statements/{statement.pk}/").status_code == 200
    assert admin.post(f"/statements/{statement.pk}/record/").status_code == 403
    assert not Payment.objects.exists()


def test_the_statement_page_queries_do_not_grow_with_the_lines(manager_user: Any, manager_client: Any,
                                                               scene: dict[str, Any]) -> None:
    _upload(manager_client, scene["data"])
    statement = StatementImport.objects.get()
    first = statement.lines.get(number="104")

    def add(number: int) -> None:
        StatementLine.objects.create(
            statement=statement, position=100 + number, number=f"9{number}", date=timezone.localdate(),
            amount=Decimal("200.00"), payer_inn="7744444444", match=StatementLine.Match.AMBIGUOUS,
            candidates=first.candidates, client=scene["mine"] if number % 2 else None,
            invoice=scene["invoice"] if number % 2 else None,
            decision=StatementLine.Decision.RECORD if number % 2 else StatementLine.Decision.PENDING)

    page = assert_flat_queries(lambda: html(manager_client.get(f"/statements/{statement.pk}/")), add)
    assert page.count('data-testid="statement-line"') == 3 + 20


def test_the_menu_offers_the_statement_upload(manager_client: Any, scene: dict[str, Any]) -> None:
    page = html(manager_client.get("/statements/new/"))
    assert 'href="/statements/new/"' in page and "Загрузить банковскую выписку" in page
