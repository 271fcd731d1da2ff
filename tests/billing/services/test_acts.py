"""Acts of completed works and services (INV-05): from an invoice or on their own, numbers, edits, cancelling, past
dates, access."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from kontora.accounts.models import UserRight
from kontora.accounts.policies import forget
from kontora.billing.models import Act, ActLine
from kontora.billing.services.acts import ActData, act_cancel, act_create, act_from_invoice, act_update
from kontora.billing.services.documents import line_data
from kontora.billing.services.invoices import InvoiceData, invoice_create
from kontora.core.errors import NotAllowed, Refused
from kontora.core.models import AuditEvent
from tests.accounts.factories import UserFactory
from tests.billing.factories import issued_invoice, line, payee, shipped_vat_rates
from tests.clients.factories import ClientFactory
from tests.support.threads import at_once

pytestmark = pytest.mark.django_db

NEW_YEARS_EVE = datetime.date(2025, 12, 31)
NEW_YEAR = datetime.date(2026, 1, 1)


def _today() -> datetime.date:
    return timezone.localdate()


@pytest.mark.feature("INV-05")
def test_an_act_from_an_invoice_copies_its_lines_and_amounts_and_leaves_out_the_lines_asked(
    manager_user: Any, our_entity: Any,
) -> None:
    # given an issued invoice of three lines
    client = ClientFactory(curator=manager_user)
    invoice = issued_invoice(manager_user, client, "122.00", "61.00", "10.01")
    # when an act is entered from it
    act = act_from_invoice(acting_user=manager_user, invoice_id=invoice.pk)
    # then it is the invoice's client, legal entity, lines and totals, with the author's prefix and number 1
    assert (act.client, act.legal_entity, act.invoice) == (client, invoice.legal_entity, invoice)
    assert (act.net, act.vat, act.gross) == (invoice.net, invoice.vat, invoice.gross)
    copied = [(row.position, row.name, row.quantity, row.price, row.vat_rate, row.gross)
              for row in act.lines.order_by("position")]
    assert copied == [(row.position, row.name, row.quantity, row.price, row.vat_rate, row.gross)
                      for row in invoice.lines.order_by("position")]
    assert act.shown_number == "АМ-1" and act.status == Act.Status.ISSUED and act.date == _today()
    assert AuditEvent.objects.filter(event="billing.act.create", client_id=client.pk).count() == 1
    # and a second act leaving out the invoice's second line numbers the rest again and sums them
    second = act_from_invoice(acting_user=manager_user, invoice_id=invoice.pk, dropped=[2])
    rows = list(second.lines.order_by("position"))
    assert [(row.position, row.gross) for row in rows] == [(1, Decimal("122.00")), (2, Decimal("10.01"))]
    assert second.gross == Decimal("132.01") and second.vat == sum(row.vat for row in rows)
    assert second.number == 2
    # leaving out every line is refused, nothing saved
    with pytest.raises(Refused) as refused:
        act_from_invoice(acting_user=manager_user, invoice_id=invoice.pk, dropped=[1, 2, 3])
    assert refused.value.message == "Оставьте хотя бы одну строку счёта."
    assert Act.objects.count() == 2


@pytest.mark.feature("INV-05")
def test_an_act_is_entered_only_from_an_issued_invoice_of_a_client_the_user_may_open(
    manager_user: Any, our_entity: Any,
) -> None:
    client = ClientFactory(curator=manager_user)
    draft = invoice_create(acting_user=manager_user, data=InvoiceData(client=client, date=_today(),
                                                                      lines=[line("10.00")]))
    with pytest.raises(Refused):
        act_from_invoice(acting_user=manager_user, invoice_id=draft.pk)
    # another manager's client's invoice is not found at all
    other = UserFactory(role="manager")
    theirs = issued_invoice(other, ClientFactory(curator=other), "10.00")
    with pytest.raises(Http404):
        act_from_invoice(acting_user=manager_user, invoice_id=theirs.pk)
    assert not Act.objects.exists()


@pytest.mark.feature("INV-05")
def test_act_numbers_run_per_legal_entity_and_year_apart_from_invoices_and_a_rolled_back_act_leaves_no_gap(
    admin_user: Any, our_entity: Any,
) -> None:
    other = payee("ИП Иванов", default=False)
    client = ClientFactory()

    def act(on: datetime.date, rate: str = "22", entity: Any = None) -> Act:
        return act_create(acting_user=admin_user, data=ActData(client=client, date=on, legal_entity=entity,
                                                               lines=[line("1.00", vat_rate=rate)]))

    # given invoices already numbered (their own counter)
    issued_invoice(admin_user, client, "5.00", date=NEW_YEAR)
    # when acts are made for two entities and two years, one rolled back after it was saved
    first = act(NEW_YEAR)
    with pytest.raises(RuntimeError), transaction.atomic():
        act(NEW_YEAR)
        raise RuntimeError("rolled back")
    second = act(NEW_YEAR)
    theirs = act(NEW_YEAR, entity=other)
    last_year = act(NEW_YEARS_EVE, rate="20")
    # then each entity and year counts acts from 1 without a gap
    assert (first.number, second.number, theirs.number, last_year.number) == (1, 2, 1, 1)


@pytest.mark.django_db(transaction=True)
@pytest.mark.feature("INV-05")
def test_eight_acts_saved_at_once_take_eight_numbers_without_a_gap(manager_user: Any) -> None:
    payee()
    shipped_vat_rates()
    client = ClientFactory(curator=manager_user)
    _results, errors = at_once(8, lambda: act_create(acting_user=manager_user, data=ActData(
        client=client, date=_today(), lines=[line("1.00")])))
    assert errors == []
    assert sorted(Act.objects.values_list("number", flat=True)) == list(range(1, 9))


@pytest.mark.feature("INV-05")
def test_an_act_of_its_own_takes_the_rates_in_force_on_its_date(admin_user: Any, our_entity: Any) -> None:
    client = ClientFactory()
    act = act_create(acting_user=admin_user, data=ActData(client=client, date=NEW_YEAR, lines=[
        line("122.00"), line("50.00", vat_rate=None, name="Консультация")]))
    assert (act.net, act.vat, act.gross) == (Decimal("150.00"), Decimal("22.00"), Decimal("172.00"))
    assert act.invoice is None
    with pytest.raises(Refused) as refused:
        act_create(acting_user=admin_user, data=ActData(client=client, date=NEW_YEAR,
                                                        lines=[line("1.00", vat_rate="20")]))
    assert refused.value.field == "vat_rate"
    with pytest.raises(Refused) as refused:
        act_create(acting_user=admin_user, data=ActData(client=client, date=NEW_YEAR,
                                                        lines=[line("1.00", quantity="0")]))
    assert refused.value.field == "quantity"
    assert Act.objects.count() == 1


@pytest.mark.feature("INV-05")
def test_a_back_dated_act_is_refused_without_the_right_and_made_with_it(manager_user: Any,
                                                                         our_entity: Any) -> None:
    client = ClientFactory(curator=manager_user)
    invoice = issued_invoice(manager_user, client, "100.00")
    yesterday = _today() - datetime.timedelta(days=1)
    with pytest.raises(Refused) as refused:
        act_from_invoice(acting_user=manager_user, invoice_id=invoice.pk, date=yesterday)
    assert refused.value.field == "date"
    assert refused.value.message == ("У вас нет права изменять данные прошедших дат: выберите сегодняшнюю или "
                                     "более позднюю дату.")
    with pytest.raises(Refused):
        act_create(acting_user=manager_user, data=ActData(client=client, date=yesterday, lines=[line("1.00")]))
    assert not Act.objects.exists()
    # positive control: today's act is made, and with the right the back-dated one too
    assert act_from_invoice(acting_user=manager_user, invoice_id=invoice.pk).number == 1
    UserRight.objects.create(user=manager_user, code="change_past_data")
    forget(manager_user)
    assert act_from_invoice(acting_user=manager_user, invoice_id=invoice.pk, date=yesterday).date == yesterday


@pytest.mark.feature("INV-05")
def test_an_act_is_changed_with_a_line_removed_and_its_year_kept(manager_user: Any, our_entity: Any) -> None:
    client = ClientFactory(curator=manager_user)
    act = act_from_invoice(acting_user=manager_user,
                           invoice_id=issued_invoice(manager_user, client, "122.00", "244.00").pk)
    kept = [row for row in act.lines.order_by("position") if row.position == 2]
    changed = act_update(acting_user=manager_user, act_id=act.pk, date=act.date, note="Без первой строки",
                         lines=[line_data(row) for row in kept])
    assert changed.gross == Decimal("244.00") and changed.vat == Decimal("44.00")
    assert list(ActLine.objects.filter(act=act).values_list("position", "gross")) == [(1, Decimal("244.00"))]
    audit = AuditEvent.objects.get(event="billing.act.update")
    assert any(change["field"] == "Строки" for change in audit.changes)
    with pytest.raises(Refused) as refused:
        act_update(acting_user=manager_user, act_id=act.pk, date=datetime.date(act.date.year + 1, 1, 1))
    assert refused.value.field == "date"


@pytest.mark.feature("INV-05")
def test_cancelling_an_act_needs_the_right_and_a_reason_and_ends_its_changes(
    manager_user: Any, supervisor_user: Any, our_entity: Any,
) -> None:
    client = ClientFactory(curator=manager_user)
    act = act_from_invoice(acting_user=manager_user, invoice_id=issued_invoice(manager_user, client, "10.00").pk)
    # a manager has no right to cancel
    with pytest.raises(NotAllowed):
        act_cancel(acting_user=manager_user, act_id=act.pk, reason="ошибка")
    # a supervisor who may edit the client must say why
    UserRight.objects.create(user=supervisor_user, code="cancel_invoices")
    forget(supervisor_user)
    client.specialist = supervisor_user
    client.save(update_fields=["specialist"])
    with pytest.raises(Refused) as refused:
        act_cancel(acting_user=supervisor_user, act_id=act.pk, reason=" ")
    assert refused.value.field == "reason"
    assert Act.objects.get(pk=act.pk).status == Act.Status.ISSUED
    cancelled = act_cancel(acting_user=supervisor_user, act_id=act.pk, reason="Работы не приняты")
    assert (cancelled.status, cancelled.cancelled_by, cancelled.cancel_reason) == (
        Act.Status.CANCELLED, supervisor_user, "Работы не приняты")
    assert AuditEvent.objects.filter(event="billing.act.cancel", client_id=client.pk).exists()
    # a cancelled act is only viewed
    with pytest.raises(Refused):
        act_update(acting_user=manager_user, act_id=act.pk, date=act.date)
