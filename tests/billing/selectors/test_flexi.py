"""The Flexi-filter's conditions about billing (REG-04, the Statistics tab): unpaid invoices, money paid in a
period (there are / none / the sum at least), the sales of a period (the sum at least / at most) — all card data:
a user who only lists a client learns nothing of its documents."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kontora.accounts.models import ClientScope
from kontora.billing.models import Payment
from kontora.billing.services.payments import Overpayment, payment_cancel, payment_record
from kontora.clients.flexi.hooks import CARD, FILTER_FIELDS
from kontora.clients.flexi.selectors.specs import describe, parse
from kontora.clients.models import Client
from tests.accounts.factories import UserFactory
from tests.billing.factories import SaleFactory, issued_invoice
from tests.clients.factories import ClientFactory
from tests.clients.support import filtered_names

pytestmark = [pytest.mark.django_db, pytest.mark.feature("REG-04")]

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def _names(user: Any, field: str, operator: str, value: Any = None) -> set[str]:
    spec = parse({"op": "and", "items": [{"field": field, "operator": operator, "value": value}]}, user=user)
    return set(filtered_names(user, spec))


def _period(low: datetime.date | None, high: datetime.date | None, amount: str | None = None) -> dict[str, Any]:
    return {"from": low.isoformat() if low else None, "to": high.isoformat() if high else None, "amount": amount}


def _paid(user: Any, client: Client, amount: str, day: datetime.date, **more: Any) -> Payment:
    payment = payment_record(acting_user=user, client=client, date=TODAY, amount=Decimal(amount),
                             overpayment=Overpayment.ADVANCE, **more)
    Payment.objects.filter(pk=payment.pk).update(date=day)  # dated back (the service dates from today on)
    return payment


@pytest.fixture
def clients(manager_user: Any) -> dict[str, Client]:
    return {name: ClientFactory(short_name=name, curator=manager_user) for name in ("А", "Б", "В")}


def test_billings_fields_read_card_data() -> None:
    for key in ("has_unpaid_invoices", "paid_in_period", "sales_in_period"):
        assert FILTER_FIELDS.get(key).reads == CARD and FILTER_FIELDS.get(key).tab == "statistics"


def test_unpaid_invoices(manager_user: Any, our_entity: Any, clients: dict[str, Client]) -> None:
    # given: А owes on an issued invoice, Б paid his in full, В has none
    issued_invoice(manager_user, clients["А"], "100.00")
    paid = issued_invoice(manager_user, clients["Б"], "50.00")
    payment_record(acting_user=manager_user, client=clients["Б"], date=TODAY, amount=Decimal("50.00"), invoice=paid)
    # then
    assert _names(manager_user, "has_unpaid_invoices", "is_true") == {"А"}
    assert _names(manager_user, "has_unpaid_invoices", "is_false") == {"Б", "В"}


def test_paid_in_a_period(manager_user: Any, admin_user: Any, our_entity: Any, clients: dict[str, Client]) -> None:
    # given: А paid 1 000 and 500 in March, Б 200 in March and 5 000 in April, В's March payment was cancelled
    march, april = datetime.date(2026, 3, 1), datetime.date(2026, 4, 1)
    _paid(manager_user, clients["А"], "1000.00", march + 4 * DAY)
    _paid(manager_user, clients["А"], "500.00", march + 20 * DAY)
    _paid(manager_user, clients["Б"], "200.00", march + 9 * DAY)
    _paid(manager_user, clients["Б"], "5000.00", april + 2 * DAY)
    cancelled = _paid(manager_user, clients["В"], "9000.00", march + 9 * DAY)
    payment_cancel(acting_user=admin_user, payment_id=cancelled.pk, reason="ошибка")
    in_march = _period(march, april - DAY)
    # then
    assert _names(manager_user, "paid_in_period", "exists", in_march) == {"А", "Б"}
    assert _names(manager_user, "paid_in_period", "not_exists", in_march) == {"В"}
    assert _names(manager_user, "paid_in_period", "sum_ge", _period(march, april - DAY, "1500")) == {"А"}
    assert _names(manager_user, "paid_in_period", "sum_ge", _period(march, april - DAY, "1500.01")) == set()
    # an open end: from March on
    assert _names(manager_user, "paid_in_period", "sum_ge", _period(march, None, "5200")) == {"Б"}


def test_sales_in_a_period(manager_user: Any, clients: dict[str, Client]) -> None:
    SaleFactory(client=clients["А"], author=manager_user, date=TODAY - DAY, amount=Decimal("300.00"))
    SaleFactory(client=clients["А"], author=manager_user, date=TODAY, amount=Decimal("200.00"))
    SaleFactory(client=clients["Б"], author=manager_user, date=TODAY, amount=Decimal("100.00"))
    SaleFactory(client=clients["Б"], author=manager_user, date=TODAY - 40 * DAY, amount=Decimal("9000.00"))
    week = (TODAY - 7 * DAY, TODAY)
    assert _names(manager_user, "sales_in_period", "sum_ge", _period(*week, "500")) == {"А"}
    assert _names(manager_user, "sales_in_period", "sum_ge", _period(*week, "100")) == {"А", "Б"}
    # "at most": В sold nothing, so his sum is 0
    assert _names(manager_user, "sales_in_period", "sum_le", _period(*week, "100")) == {"Б", "В"}
    assert _names(manager_user, "sales_in_period", "sum_le", _period(*week, "99.99")) == {"В"}


def test_a_sum_condition_is_cleaned_and_described(manager_user: Any) -> None:
    spec = parse({"field": "sales_in_period", "operator": "sum_ge",
                  "value": {"from": "2026-03-31", "to": "2026-03-01", "amount": "1 500,5"}}, user=manager_user)
    assert spec["items"][0]["value"] == {"from": "2026-03-01", "to": "2026-03-31", "amount": "1500.50"}
    text = describe(spec).replace("\xa0", " ")
    assert "Сумма продаж за период" in text and "1 500,50" in text and "01.03.2026 — 31.03.2026" in text
    # refused: no sum, a negative one, a fraction of a kopeck, a bad date, a wrong shape, an operator not offered
    for operator, value in (("sum_ge", {"from": None, "to": None}), ("sum_ge", {"amount": "-1"}),
                            ("sum_le", {"amount": "1.001"}), ("sum_ge", {"from": "31.03.2026", "amount": "1"}),
                            ("sum_ge", [1]), ("sum_ge", {"amount": "1", "count": 2}), ("exists", {})):
        with pytest.raises(ValidationError):
            parse({"field": "sales_in_period", "operator": operator, "value": value}, user=manager_user)
    # positive control: "there are" payments needs no sum
    parse({"field": "paid_in_period", "operator": "exists", "value": {"from": None, "to": None}}, user=manager_user)


def test_a_list_only_user_learns_nothing_of_billing_of_cards_he_cannot_open(
        manager_user: Any, our_entity: Any) -> None:
    # given: a manager who lists every client but opens his own; another's client with the same documents as his
    manager_user.client_scope = ClientScope.LIST_ALL
    manager_user.save()
    other = UserFactory(role="manager")
    theirs = ClientFactory(short_name="Чужой", curator=other)
    mine = ClientFactory(short_name="Свой", curator=manager_user)
    issued_invoice(other, theirs, "100.00")
    issued_invoice(manager_user, mine, "100.00")
    _paid(other, theirs, "100.00", TODAY)
    _paid(manager_user, mine, "100.00", TODAY)
    SaleFactory(client=theirs, author=other, amount=Decimal("100.00"))
    SaleFactory(client=mine, author=manager_user, amount=Decimal("100.00"))
    today = _period(TODAY, TODAY)
    # positive control: he lists both without a filter
    assert {"Чужой", "Свой"} <= set(filtered_names(manager_user, parse(
        {"field": "name", "operator": "contains", "value": "й"}, user=manager_user)))
    # then every condition holds only on the card he opens, negated ones too
    assert _names(manager_user, "has_unpaid_invoices", "is_true") == {"Свой"}
    assert "Чужой" not in _names(manager_user, "has_unpaid_invoices", "is_false")
    assert _names(manager_user, "paid_in_period", "exists", today) == {"Свой"}
    assert "Чужой" not in _names(manager_user, "paid_in_period", "not_exists", today)
    assert _names(manager_user, "sales_in_period", "sum_ge", _period(TODAY, TODAY, "100")) == {"Свой"}
    assert "Чужой" not in _names(manager_user, "sales_in_period", "sum_le", _period(TODAY, TODAY, "1"))
