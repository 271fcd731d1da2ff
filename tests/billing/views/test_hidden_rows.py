"""Billing's work journals — «Журнал счетов», «Журнал платежей», «Журнал актов», «Журнал счетов-фактур» — say how
many rows of the filtered set client access keeps from the user, as the other work journals do (the tasks'): about
clients he may not open; never about someone else's private client; for a user without «журналы всех сотрудников»
only his own work that he no longer opens."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from kontora.billing.services.acts import ActData, act_create
from kontora.billing.services.facturas import FacturaData, factura_create
from kontora.billing.services.payments import payment_record
from kontora.clients.models import Client
from tests.accounts.factories import UserFactory
from tests.billing.factories import issued_invoice, line
from tests.clients.factories import ClientFactory
from tests.support.http import html, signed_in

pytestmark = pytest.mark.django_db


def _today() -> datetime.date:
    return timezone.localdate()


def _invoice(user: Any, client: Any) -> Any:
    return issued_invoice(user, client, "100.00")


def _payment(user: Any, client: Any) -> Any:
    return payment_record(acting_user=user, client=client, date=_today(), amount=Decimal("100.00"))


def _act(user: Any, client: Any) -> Any:
    return act_create(acting_user=user, data=ActData(client=client, date=_today(), lines=[line("100.00")]))


def _factura(user: Any, client: Any) -> Any:
    return factura_create(acting_user=user, data=FacturaData(client=client, date=_today(), lines=[line("100.00")]))


# (the journal's address, the hidden count's test id, what writes one of its rows)
JOURNALS: list[tuple[str, str, Callable[[Any, Any], Any]]] = [
    ("/invoices/", "invoices-hidden", _invoice),
    ("/payments/", "payments-hidden", _payment),
    ("/acts/", "documents-hidden", _act),
    ("/facturas/", "documents-hidden", _factura),
]


def _hidden(browser: Any, url: str, testid: str, **params: str) -> int | None:
    """The journal's «N rows hidden», None when it says nothing."""
    answer = browser.get(url, params)
    assert answer.status_code == 200, url
    found = re.search(rf'data-testid="{testid}">(\d+) строк', html(answer))
    return int(found.group(1)) if found else None


@pytest.mark.feature("INV-01", "INV-04", "INV-05", "ACL-01")
@pytest.mark.parametrize(("url", "testid", "write"), JOURNALS, ids=["invoices", "payments", "acts", "facturas"])
def test_a_journal_counts_the_rows_of_its_filter_kept_from_a_supervisor_by_client_access(
    url: str, testid: str, write: Callable[[Any, Any], Any], supervisor_user: Any, our_entity: Any,
) -> None:
    # given a supervisor («журналы всех сотрудников», his own clients only) with a row of his client, and another
    # manager's rows: two about his shared client, one about his private client
    write(supervisor_user, ClientFactory(curator=supervisor_user, short_name="Клиент супервизора"))
    other = UserFactory(role="manager")
    shared = ClientFactory(curator=other)
    write(other, shared)
    write(other, shared)
    write(other, ClientFactory(curator=other, is_private=True))
    browser = signed_in(supervisor_user)
    # when he opens the journal
    page = html(browser.get(url))
    # then his client's row is listed and the two rows about the shared client are counted, the private one not
    assert "Клиент супервизора" in page
    assert _hidden(browser, url, testid) == 2
    # a filter that finds none of them counts none
    yesterday = (_today() - datetime.timedelta(days=1)).strftime("%d.%m.%Y")
    assert _hidden(browser, url, testid, date_to=yesterday) is None
    # and once he may open the client, nothing is hidden any more
    Client.objects.filter(pk=shared.pk).update(curator=supervisor_user)
    assert _hidden(browser, url, testid) is None


@pytest.mark.feature("INV-01", "INV-04", "INV-05", "ACL-01")
@pytest.mark.parametrize(("url", "testid", "write"), JOURNALS, ids=["invoices", "payments", "acts", "facturas"])
def test_without_journals_of_all_employees_only_his_own_rows_he_no_longer_opens_are_counted(
    url: str, testid: str, write: Callable[[Any, Any], Any], manager_user: Any, manager_client: Any,
    our_entity: Any,
) -> None:
    # given the manager's row about his client, and a colleague's row about the colleague's client
    client = ClientFactory(curator=manager_user)
    write(manager_user, client)
    colleague = UserFactory(role="manager")
    write(colleague, ClientFactory(curator=colleague))
    # then nothing is hidden from his journal: the colleague's row is not his work (positive control below)
    assert _hidden(manager_client, url, testid) is None
    # when his client passes to the colleague, his own row is kept from him by access: counted
    Client.objects.filter(pk=client.pk).update(curator=colleague)
    assert _hidden(manager_client, url, testid) == 1
