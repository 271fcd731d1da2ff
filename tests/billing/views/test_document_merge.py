"""An act's or an invoice-factura's page saved from a stale copy (INV-05, core.conflicts), through the views: it
carries what was read (its snapshot, the lines among it); the other user's changes stay, and a field — or the lines —
both changed comes back marked next to it, nothing saved, the page re-based to choose."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from kontora.billing.models import Act, InvoiceFactura
from kontora.billing.services.acts import act_from_invoice
from kontora.billing.services.facturas import HEADER_FIELDS, factura_from_invoice
from kontora.core.models import AuditEvent
from tests.billing.factories import issued_invoice
from tests.clients.factories import ClientFactory
from tests.support.http import html

pytestmark = pytest.mark.django_db

Document = Act | InvoiceFactura
CONFLICT = "Пока вы редактировали, другой пользователь изменил те же поля"
MARKED = "Поле изменено другим пользователем, пока вы редактировали."


def _day(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def _act(user: Any) -> Act:
    return act_from_invoice(acting_user=user,
                            invoice_id=issued_invoice(user, ClientFactory(curator=user), "100.00").pk)


def _factura(user: Any) -> InvoiceFactura:
    return factura_from_invoice(acting_user=user,
                                invoice_id=issued_invoice(user, ClientFactory(curator=user), "100.00").pk)


KINDS: list[Any] = [pytest.param((_act, "acts"), id="act"), pytest.param((_factura, "facturas"), id="factura")]


def _url(stem: str, document: Document) -> str:
    return f"/{stem}/{document.pk}/"


def _read(page: str) -> str:
    found = re.search(r'name="document-read" value="([^"]+)"', page)
    assert found is not None, "the page carries what was read"
    return found.group(1)


def _post(document: Document, read: str, *lines: tuple[str, str], **head: Any) -> dict[str, Any]:
    """The page as the browser posts it: the header as read unless changed, `lines` as (name, price)."""
    data: dict[str, Any] = {"document-read": read, "date": document.date.isoformat(), "note": document.note,
                            "lines-TOTAL_FORMS": str(len(lines)), "lines-INITIAL_FORMS": "0"}
    if isinstance(document, InvoiceFactura):
        data.update({name: getattr(document, name) for name in HEADER_FIELDS})
    data.update(head)
    for index, (name, price) in enumerate(lines):
        data.update({f"lines-{index}-name": name, f"lines-{index}-price": price, f"lines-{index}-quantity": "1",
                     f"lines-{index}-vat_rate": "22"})
    return data


def _lines_of(document: Document) -> list[tuple[str, Decimal]]:
    return [(row.name, row.price) for row in document.lines.order_by("position")]


def _opened(user_client: Any, url: str) -> str:
    return _read(html(user_client.get(url)))


@dataclass(frozen=True)
class Both:
    """A document of the manager's whose page he and the administrator both opened: the snapshots they carry."""

    document: Document
    url: str
    mine: str
    theirs: str


@pytest.fixture(params=KINDS)
def both(request: Any, manager_user: Any, manager_client: Any, admin_client: Any, our_entity: Any) -> Both:
    make, stem = request.param
    document = make(manager_user)
    url = _url(stem, document)
    return Both(document, url, _opened(manager_client, url), _opened(admin_client, url))


@pytest.mark.feature("INV-05")
def test_a_stale_page_keeps_the_other_users_date_and_saves_the_note(
        both: Both, manager_client: Any, admin_client: Any) -> None:
    document, url, mine, theirs = both.document, both.url, both.mine, both.theirs
    # when the administrator saves a new date, then the manager his note from the stale page
    assert admin_client.post(url, _post(document, theirs, ("Услуга", "100"),
                                                         date=_day(3).isoformat())).status_code == 302
    answer = manager_client.post(url, _post(document, mine, ("Услуга", "100"), note="Подписан"))
    # then the manager's save goes through and both changes are kept
    assert answer.status_code == 302, html(answer)
    document.refresh_from_db()
    assert (document.date, document.note) == (_day(3), "Подписан")
    assert AuditEvent.objects.filter(target_id=document.pk, event__endswith=".update").count() == 2


@pytest.mark.feature("INV-05")
def test_a_note_both_changed_is_marked_next_to_it_and_nothing_is_saved(
        both: Both, manager_client: Any, admin_client: Any) -> None:
    document, url, mine, theirs = both.document, both.url, both.mine, both.theirs
    admin_client.post(url, _post(document, theirs, ("Услуга", "100"), note="От администратора"))
    # when the manager's stale page changes the date and the note to another text
    page = html(manager_client.post(url, _post(
        document, mine, ("Услуга", "100"), date=_day(2).isoformat(), note="От менеджера")))
    # then the page says so, the note marked with who changed it to what, beside his own text
    assert CONFLICT in page
    marked = page[page.index('data-testid="conflict-note"'):]
    assert "Администратор Системы" in marked[:400] and "От администратора" in marked[:400]
    assert f'data-testid="error-note">{MARKED}<' in page
    assert 'data-testid="conflict-date"' not in page and 'data-testid="conflict-table"' not in page
    assert "От менеджера</textarea>" in page
    # and nothing is saved (not even the date)
    document.refresh_from_db()
    assert (document.date, document.note) == (timezone.localdate(), "От администратора")
    # when he saves the re-based page again, keeping his note (positive control)
    again = manager_client.post(url, _post(
        document, _read(page), ("Услуга", "100"), date=_day(2).isoformat(), note="От менеджера"))
    assert again.status_code == 302, html(again)
    document.refresh_from_db()
    assert (document.date, document.note) == (_day(2), "От менеджера")


@pytest.mark.feature("INV-05")
def test_the_other_users_lines_stay_under_a_stale_change_of_the_header(
        both: Both, manager_client: Any, admin_client: Any) -> None:
    document, url, mine, theirs = both.document, both.url, both.mine, both.theirs
    # when the administrator adds a line and the manager's stale page changes only the note
    admin_client.post(url, _post(document, theirs, ("Услуга", "100"), ("Доставка", "50")))
    answer = manager_client.post(url, _post(document, mine, ("Услуга", "100"), note="Моё"))
    # then the administrator's lines are kept under the manager's note
    assert answer.status_code == 302, html(answer)
    document.refresh_from_db()
    assert _lines_of(document) == [("Услуга", Decimal("100.00")), ("Доставка", Decimal("50.00"))]
    assert document.note == "Моё" and document.gross == Decimal("150.00")


@pytest.mark.feature("INV-05")
def test_lines_both_changed_are_marked_above_the_table_and_nothing_is_saved(
        both: Both, manager_client: Any, admin_client: Any) -> None:
    document, url, mine, theirs = both.document, both.url, both.mine, both.theirs
    admin_client.post(url, _post(document, theirs, ("Услуга", "120")))
    # when the manager's stale page changes the lines too (and the note)
    page = html(manager_client.post(url, _post(
        document, mine, ("Услуга", "100"), ("Доставка", "5"), note="Моё")))
    # then the table is marked with the administrator's lines; his own lines stay in the table to choose
    assert CONFLICT in page
    marked = page[page.index('data-testid="conflict-table"'):]
    assert "Администратор Системы" in marked[:500] and "Услуга × 1 × 120" in marked[:500]
    assert 'name="document-read-theirs" value="table"' in marked[:1000]
    assert page.index('data-testid="conflict-table"') < page.index('data-testid="document-lines"')
    assert 'value="Доставка"' in page
    # and nothing is saved
    document.refresh_from_db()
    assert _lines_of(document) == [("Услуга", Decimal("120.00"))] and document.note == ""
    # when he ticks «take theirs» and saves again: the administrator's lines stay, his note is saved
    again = manager_client.post(url, {**_post(
        document, _read(page), ("Услуга", "100"), ("Доставка", "5"), note="Моё"), "document-read-theirs": "table"})
    assert again.status_code == 302, html(again)
    document.refresh_from_db()
    assert _lines_of(document) == [("Услуга", Decimal("120.00"))] and document.note == "Моё"


@pytest.mark.feature("INV-05")
def test_a_conflict_on_the_header_redraws_the_other_users_lines(
        both: Both, manager_client: Any, admin_client: Any) -> None:
    document, url, mine, theirs = both.document, both.url, both.mine, both.theirs
    admin_client.post(url, _post(document, theirs, ("Услуга", "120"), note="От администратора"))
    page = html(manager_client.post(url, _post(document, mine, ("Услуга", "100"), note="Моё")))
    # the manager did not touch the lines: the re-based page shows the administrator's, so saving it keeps them
    assert 'data-testid="conflict-note"' in page and 'data-testid="conflict-table"' not in page
    assert re.search(r'name="lines-0-price" value="120"', page)
    again = manager_client.post(url, _post(document, _read(page), ("Услуга", "120"), note="Моё"))
    assert again.status_code == 302, html(again)
    document.refresh_from_db()
    assert _lines_of(document) == [("Услуга", Decimal("120.00"))] and document.note == "Моё"
