"""The receivables by age (`billing.selectors.reports.debts_ageing`, issue 18): the buckets and totals are the exact
sums of the open invoices' dues, whatever the mix of statuses, dates and due dates; another curator's private client
is neither summed nor named; one query whatever the number of clients and managers."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from kontora.billing.models import Invoice
from kontora.billing.selectors.reports import AGES, debts_ageing
from tests.accounts.factories import UserFactory
from tests.billing.factories import issued_invoice, payee, shipped_vat_rates
from tests.clients.factories import ClientFactory
from tests.support.queries import assert_queries

pytestmark = [pytest.mark.django_db, pytest.mark.feature("INV-04", "RPT-01")]

ON = timezone.localdate()
DAY = datetime.timedelta(days=1)
# Days past the due date on the bounds of the ages (0 is due today, not overdue), and between them.
OVERDUE = (-40, -1, 0, 1, 2, 29, 30, 31, 45, 60, 61, 75, 90, 91, 92, 400)


def _copies(template: Invoice, n: int, **fields: Any) -> list[Invoice]:
    """`n` invoices like `template` (numbers of their own), with `fields` set on each (a callable: called)."""
    made = []
    for number in range(n):
        invoice = Invoice.objects.get(pk=template.pk)
        invoice.pk = None
        invoice.number = template.number + 1 + number + Invoice.objects.count()
        for name, value in fields.items():
            setattr(invoice, name, value() if callable(value) else value)
        made.append(invoice)
    return Invoice.objects.bulk_create(made)


def _expected(invoices: list[Invoice], on: datetime.date) -> dict[tuple[int, int], tuple[int, list[Decimal]]]:
    """Python's own exact sums: per client and author, the open invoices dated up to `on` and their due by age."""
    found: dict[tuple[int, int], tuple[int, list[Decimal]]] = defaultdict(lambda: (0, [Decimal("0.00")] * 5))
    for invoice in invoices:
        if invoice.status not in (Invoice.Status.ISSUED, Invoice.Status.PARTLY_PAID) or invoice.date > on:
            continue
        late = (on - (invoice.due_date or invoice.date)).days
        index = next(n for n, (_key, first, last) in enumerate(AGES)
                     if (first is None or late >= first) and (last is None or late <= last))
        count, ages = found[(invoice.client_id, invoice.author_id)]
        ages = list(ages)
        ages[index] += invoice.due
        found[(invoice.client_id, invoice.author_id)] = (count + 1, ages)
    return dict(found)


def test_the_ages_and_totals_are_the_exact_sums_of_the_open_invoices(admin_user: Any) -> None:
    # given random invoices of three clients by two managers: every status, dates around the report's day, due
    # dates on and between the ages' bounds or none, dues to the kopeck (partly paid ones too)
    shipped_vat_rates()
    payee()
    rng = random.Random(18)
    authors = [admin_user, UserFactory(full_name="Борис Коллегин", role="manager")]
    clients = [ClientFactory(short_name=name) for name in ("Альфа", "бета", "Гамма")]
    template = issued_invoice(admin_user, clients[0], "1.00")
    statuses = [status for status, _label in Invoice.Status.choices]

    def gross() -> Decimal:
        return Decimal(rng.randint(1, 10_000_000)) / 100

    made = _copies(template, 150, client=lambda: rng.choice(clients), author=lambda: rng.choice(authors),
                   status=lambda: rng.choice(statuses), gross=gross,
                   date=lambda: ON - rng.randint(-5, 300) * DAY)
    for invoice in made:
        invoice.due_date = (None if rng.random() < 0.2 else
                            max(invoice.date, ON - rng.choice(OVERDUE) * DAY))
        invoice.paid = (invoice.gross * rng.randint(1, 99) / 100).quantize(Decimal("0.01")) \
            if invoice.status == Invoice.Status.PARTLY_PAID else Decimal("0.00")
        invoice.due = invoice.gross - invoice.paid
    Invoice.objects.bulk_update(made, ["due_date", "paid", "due"])
    every = list(Invoice.objects.all())
    expected = _expected(every, ON)
    assert len(expected) == 6  # every client owes each manager something: the mix is wide enough

    found = debts_ageing(admin_user, on=ON)

    # then each client and manager has Python's exact sums (Decimal, two places), and their totals add up
    assert {(debt.client_id, debt.author_id): (debt.invoices, list(debt.ages)) for debt in found} == expected
    assert all(amount.as_tuple().exponent == -2 for debt in found for amount in debt.ages)
    assert sum((debt.total for debt in found), Decimal(0)) == sum(
        (invoice.due for invoice in every if invoice.status in ("issued", "partly_paid") and invoice.date <= ON),
        Decimal(0))
    # and each bucket holds something (the data reaches every age)
    assert all(sum((debt.ages[index] for debt in found), Decimal(0)) for index in range(len(AGES)))
    # ordered by manager's name, then client's name regardless of case
    assert [(debt.author, debt.client) for debt in found] == sorted(
        ((debt.author, debt.client) for debt in found), key=lambda pair: (pair[0].casefold(), pair[1].casefold()))
    assert [debt.client for debt in found][:3] == ["Альфа", "бета", "Гамма"]


def test_an_earlier_day_ages_the_invoices_to_it_and_leaves_out_later_ones(admin_user: Any) -> None:
    shipped_vat_rates()
    payee()
    client = ClientFactory(short_name="Альфа")
    invoice = issued_invoice(admin_user, client, "100.00")
    Invoice.objects.filter(pk=invoice.pk).update(date=ON - 50 * DAY, due_date=ON - 40 * DAY)
    issued_invoice(admin_user, client, "7.00")  # dated today
    # on the day 10 days ago the first was 30 days overdue and the second not written yet
    (debt,) = debts_ageing(admin_user, on=ON - 10 * DAY)
    assert debt.invoices == 1 and debt.ages == (Decimal("0.00"), Decimal("100.00"), *[Decimal("0.00")] * 3)
    # today: 40 days overdue, and the new one not overdue
    (debt,) = debts_ageing(admin_user, on=ON)
    assert debt.invoices == 2 and debt.ages[:3] == (Decimal("7.00"), Decimal("0.00"), Decimal("100.00"))


@pytest.mark.feature("RPT-02")
def test_another_curators_private_client_is_neither_summed_nor_named(admin_user: Any) -> None:
    shipped_vat_rates()
    payee()
    supervisor = UserFactory(full_name="Сергей Супервизоров", role="supervisor", client_scope="full")
    curator = UserFactory(full_name="Вера Чужая", role="manager")
    private = ClientFactory(short_name="Тайная фирма", curator=curator, private=True)
    shared = ClientFactory(short_name="Открытая фирма", curator=curator)
    issued_invoice(curator, private, "777.00")
    issued_invoice(curator, shared, "50.00")
    # the supervisor opens every card but the private one of another curator
    assert [debt.client for debt in debts_ageing(supervisor, on=ON)] == ["Открытая фирма"]
    # positive control: the curator sees both
    assert sorted(debt.client for debt in debts_ageing(curator, on=ON)) == ["Открытая фирма", "Тайная фирма"]
    # and one employee's invoices only, when asked
    assert len(debts_ageing(curator, on=ON, authors=[curator.pk])) == 2
    assert debts_ageing(curator, on=ON, authors=[admin_user.pk]) == []


def test_one_query_whatever_the_number_of_clients_and_managers(admin_user: Any) -> None:
    shipped_vat_rates()
    payee()
    template = issued_invoice(admin_user, ClientFactory(short_name="Первая"), "10.00")
    with assert_queries(1):
        assert len(debts_ageing(admin_user, on=ON)) == 1
    managers = [UserFactory(full_name=f"Менеджер {n}", role="manager") for n in range(5)]
    clients = [ClientFactory(short_name=f"Фирма {n}") for n in range(8)]
    _copies(template, 40, client=iter(clients * 5).__next__, author=iter(managers * 8).__next__)
    with assert_queries(1):
        assert len(debts_ageing(admin_user, on=ON)) == 41  # (n % 8, n % 5) differ for n < 40
