"""Who sees invoices and payments (INV-01, INV-04): those of the clients whose card the user may open."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.http import Http404
from django.utils import timezone

from kontora.billing import policies
from kontora.billing.selectors.invoices import (
    access_invoice,
    client_advance,
    invoice_defaults,
    invoice_list,
    invoice_payments,
    rates_offered,
)
from kontora.billing.services.payments import Overpayment, payment_record
from kontora.core.services.organisation import tax_regime_add
from tests.accounts.factories import UserFactory
from tests.billing.factories import issued_invoice, payee
from tests.clients.factories import ClientFactory

pytestmark = pytest.mark.django_db


@pytest.mark.feature("INV-01")
def test_a_manager_never_sees_another_managers_clients_invoices_or_payments(
    manager_user: Any, admin_user: Any, our_entity: Any,
) -> None:
    # given an invoice and a payment of the manager's client and of another manager's client
    other = UserFactory(login="other", role="manager")
    mine, theirs = ClientFactory(curator=manager_user), ClientFactory(curator=other)
    my_invoice = issued_invoice(manager_user, mine, "10.00")
    their_invoice = issued_invoice(other, theirs, "20.00")
    payment_record(acting_user=manager_user, client=mine, invoice=my_invoice, date=timezone.localdate(),
                   amount=Decimal("15.00"), overpayment=Overpayment.ADVANCE)
    their_payment = payment_record(acting_user=other, client=theirs, invoice=their_invoice,
                                   date=timezone.localdate(), amount=Decimal("5.00"))
    # then the manager's lists hold only his client's rows
    assert list(invoice_list(fetched_by=manager_user)) == [my_invoice]
    assert list(policies.visible_payments(manager_user).values_list("client", flat=True)) == [mine.pk]
    # the other invoice is a 404, the same as a missing one; its payments and advance are none of his
    with pytest.raises(Http404):
        access_invoice(manager_user, their_invoice.pk)
    with pytest.raises(Http404):
        access_invoice(manager_user, 10**9)
    assert list(invoice_payments(fetched_by=manager_user, invoice=their_invoice)) == []
    assert client_advance(fetched_by=manager_user, client=theirs) == 0
    assert not policies.payments.can(manager_user, "view", their_payment)
    # while the administrator sees both, and the manager his own advance
    assert access_invoice(admin_user, their_invoice.pk) == their_invoice
    assert set(invoice_list(fetched_by=admin_user)) == {my_invoice, their_invoice}
    assert client_advance(fetched_by=manager_user, client=mine) == Decimal("5.00")


@pytest.mark.feature("INV-01")
def test_invoice_defaults_are_the_default_entity_and_its_default_account(manager_user: Any) -> None:
    # given a second, non-default entity made first and the default one after it
    payee("ИП Иванов", default=False)
    ours = payee()
    # then a new invoice is pre-filled with the default entity and its account
    defaults = invoice_defaults(fetched_by=manager_user)
    assert defaults.legal_entity == ours
    assert defaults.bank_account is not None and defaults.bank_account.legal_entity == ours


@pytest.mark.feature("INV-03")
def test_the_rates_offered_follow_the_payees_regime_periods(admin_user: Any, our_entity: Any) -> None:
    # given an entity on the general regime until 2025 and the simplified one with 7 % from 2026
    tax_regime_add(acting_user=admin_user, entity_id=our_entity.pk, regime="general",
                   valid_to=datetime.date(2025, 12, 31))
    tax_regime_add(acting_user=admin_user, entity_id=our_entity.pk, regime="simplified_vat",
                   valid_from=datetime.date(2026, 1, 1), reduced_rate=Decimal(7))
    # then 2025 offers 20 % first, 2026 the reduced rates with 7 % pre-filled
    old = rates_offered(our_entity, datetime.date(2025, 12, 31))
    new = rates_offered(our_entity, datetime.date(2026, 1, 1))
    assert old.default == Decimal(20) and Decimal(22) not in old.rates
    assert new.rates == (Decimal(5), Decimal(7), None) and new.default == Decimal(7)


@pytest.mark.feature("INV-01")
def test_clients_with_invoices_or_payments_are_named_before_an_import_takes_clients_back(
    manager_user: Any, our_entity: Any,
) -> None:
    from kontora.clients.hooks import CLIENT_ROWS

    # given one client with an invoice, one with an advance and one with nothing
    invoiced, paid, bare = (ClientFactory(curator=manager_user) for _ in range(3))
    issued_invoice(manager_user, invoiced, "1.00")
    payment_record(acting_user=manager_user, client=paid, date=timezone.localdate(), amount=Decimal("1.00"))
    ids = [invoiced.pk, paid.pk, bare.pk]
    # then billing's client rows answer which of them have such rows
    assert CLIENT_ROWS.get("invoices").having(ids) == {invoiced.pk}
    assert CLIENT_ROWS.get("payments").having(ids) == {paid.pk}


# --- «Журнал счетов» (invoice_journal) ---------------------------------------------------------------------------


@pytest.mark.feature("INV-01")
def test_the_journal_selector_pages_newest_first_within_the_choice(our_entity: Any) -> None:
    from kontora.billing.models import Invoice
    from kontora.billing.selectors.invoices import invoice_journal

    manager = UserFactory(role="manager")
    client = ClientFactory(curator=manager)
    made = [issued_invoice(manager, client, "10.00") for _n in range(5)]
    Invoice.objects.filter(pk=made[0].pk).update(status=Invoice.Status.PAID, paid=Decimal("10.00"))
    first = invoice_journal(fetched_by=manager, status="issued", size=2)
    assert [row.pk for row in first.rows] == [made[4].pk, made[3].pk] and first.after
    rest = invoice_journal(fetched_by=manager, status="issued", after=first.after, size=2)
    assert [row.pk for row in rest.rows] == [made[2].pk, made[1].pk]
    today = timezone.localdate()
    assert invoice_journal(fetched_by=manager, date_from=today + datetime.timedelta(days=1)).rows == []
    assert len(invoice_journal(fetched_by=manager, date_from=today, date_to=today).rows) == 5


@pytest.mark.feature("INV-01", "ACL-01")
def test_the_journal_selector_keeps_own_invoices_without_the_right_to_all_journals(our_entity: Any) -> None:
    from kontora.billing.selectors.invoices import invoice_journal

    manager = UserFactory(role="manager", client_scope="open_all")
    colleague = UserFactory(role="manager", client_scope="open_all")
    supervisor = UserFactory(role="supervisor", client_scope="open_all")
    client = ClientFactory(curator=manager)
    mine, theirs = issued_invoice(manager, client, "1.00"), issued_invoice(colleague, client, "2.00")
    stranger_client = ClientFactory(curator=UserFactory(role="manager"), private=True)
    hidden = issued_invoice(stranger_client.curator, stranger_client, "3.00")
    assert [row.pk for row in invoice_journal(fetched_by=manager).rows] == [mine.pk]
    assert {row.pk for row in invoice_journal(fetched_by=manager, client=client).rows} == {mine.pk, theirs.pk}
    everyone = {row.pk for row in invoice_journal(fetched_by=supervisor).rows}
    assert everyone == {mine.pk, theirs.pk} and hidden.pk not in everyone


@pytest.mark.feature("INV-01")
def test_the_journal_pages_through_prepared_statements_equal_the_filtered_queryset(our_entity: Any,
                                                                                  caplog: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kontora.billing.models import Invoice
    from kontora.billing.selectors.invoices import JournalChoice, invoice_journal, journal_invoices

    supervisor = UserFactory(role="supervisor", client_scope="open_all")
    other = payee("ООО «Вторая»", default=False)
    today = timezone.localdate()
    client = ClientFactory(curator=supervisor, short_name="Альфа")
    made = [issued_invoice(supervisor, client, "10.00", legal_entity=other if n % 3 == 0 else our_entity)
            for n in range(9)]
    for n, invoice in enumerate(made):  # over four days, two of them paid
        Invoice.objects.filter(pk=invoice.pk).update(date=today - datetime.timedelta(days=n % 4),
                                                     status=Invoice.Status.PAID if n in (1, 5) else invoice.status)
    choices = [
        {}, {"status": "issued"}, {"status": "paid"}, {"date_from": today - datetime.timedelta(days=1)},
        {"date_from": today - datetime.timedelta(days=2), "date_to": today - datetime.timedelta(days=1)},
        {"legal_entity": other}, {"legal_entity": our_entity, "status": "issued"}, {"client": client},
        {"client": client, "date_to": today - datetime.timedelta(days=3)},
    ]
    # when each choice is read twice (the statement compiled by the first call, only bound by the second), in
    # pages of 2
    for _round in range(2):
        for choice in choices:
            expected = list(journal_invoices(supervisor, JournalChoice(**choice)).order_by("-date", "-id")
                            .values_list("pk", flat=True))
            got, after = [], ""
            while True:
                page = invoice_journal(fetched_by=supervisor, after=after, size=2, **choice)
                got += [row.pk for row in page.rows]
                if not page.after:
                    break
                after = page.after
            # then the journal lists what the filtered queryset does, in its order
            assert got == expected, choice
    assert "cannot be prepared" not in caplog.text
    # and a page's row shows the invoice as the journal draws it, in one query
    with CaptureQueriesContext(connection) as captured:
        row = invoice_journal(fetched_by=supervisor, status="paid", size=1).rows[0]
    assert len(captured) == 1
    invoice = Invoice.objects.get(pk=row.pk)
    assert (row.shown_number, row.get_status_display(), row.client_name, row.legal_entity_name, row.gross) == (
        invoice.shown_number, invoice.get_status_display(), "Альфа", invoice.legal_entity.short_name, invoice.gross)
