"""Sales and works of the client card (SAL-01, SAL-02): recorded, changed and deleted through their services — by a
user who may edit the client, later only by the author or an administrator, back-dated only with the right, every
write audited, bad input refused with the field's message and nothing saved."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kontora.accounts.models import UserRight
from kontora.accounts.policies import forget
from kontora.billing.models import PaymentKind, Sale, Work
from kontora.billing.services.sales import sale_create, sale_delete, sale_update
from kontora.billing.services.works import work_create, work_delete, work_update
from kontora.core.audit import AuditEvent
from kontora.core.errors import NotAllowed
from kontora.core.models import LegalEntity
from tests.accounts.factories import UserFactory
from tests.billing.factories import SaleFactory, WorkFactory
from tests.clients.factories import ClientFactory
from tests.directories.factories import NomenclatureItemFactory

pytestmark = pytest.mark.django_db

# The one past-date refusal of billing (billing.policies.refuse_past_date), as invoices and payments give it.
PAST = "У вас нет права изменять данные прошедших дат: выберите сегодняшнюю или более позднюю дату."


def _today() -> datetime.date:
    return timezone.localdate()


def _sale_values(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {"date": _today(), "item": NomenclatureItemFactory(name="Бумага А4"),
                              "quantity": Decimal("3"), "amount": Decimal("1234.56"), "paid": True,
                              "paid_on": _today(), "payment_method": PaymentKind.NON_CASH, "responsible": None,
                              "note": "  первая партия  "}
    values.update(changes)
    return values


def _errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


@pytest.mark.feature("SAL-01")
def test_a_sale_is_recorded_with_its_author_as_responsible_and_audited(manager_user: Any) -> None:
    # given a client of the manager
    client = ClientFactory(curator=manager_user)
    # when he records a sale
    sale = sale_create(acting_user=manager_user, client=client, values=_sale_values())
    # then it is kept with its fields, exact money, the author responsible by default, and an audit row
    sale.refresh_from_db()
    assert (sale.quantity, sale.amount, sale.paid, sale.note) == (Decimal("3.000"), Decimal("1234.56"), True,
                                                                  "первая партия")
    assert sale.author_id == sale.responsible_id == manager_user.pk
    assert AuditEvent.objects.filter(event="billing.sale.create", client_id=client.pk, target_id=sale.pk).exists()


@pytest.mark.feature("SAL-01")
@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"quantity": Decimal("0")}, "quantity", "Количество должно быть больше нуля."),
    ({"quantity": Decimal("-1")}, "quantity", "Количество должно быть больше нуля."),
    ({"amount": Decimal("-0.01")}, "amount", "Сумма не может быть отрицательной."),
    ({"item": None}, "item", "Выберите проданный товар."),
])
def test_bad_input_is_refused_next_to_its_field_and_nothing_is_saved(manager_user: Any, changes: dict[str, Any],
                                                                     field: str, message: str) -> None:
    client = ClientFactory(curator=manager_user)
    with pytest.raises(ValidationError) as refused:
        sale_create(acting_user=manager_user, client=client, values=_sale_values(**changes))
    assert _errors(refused) == {field: [message]}
    assert not Sale.objects.exists() and not AuditEvent.objects.filter(event="billing.sale.create").exists()


@pytest.mark.feature("SAL-01")
def test_a_zero_amount_is_allowed(manager_user: Any) -> None:
    # the positive control of the negative amount: a free sale is a sale
    client = ClientFactory(curator=manager_user)
    sale = sale_create(acting_user=manager_user, client=client, values=_sale_values(amount=Decimal("0")))
    assert sale.amount == Decimal("0")


@pytest.mark.feature("SAL-01")
def test_a_past_date_needs_the_right(manager_user: Any) -> None:
    client = ClientFactory(curator=manager_user)
    yesterday = _today() - datetime.timedelta(days=1)
    # without the right: refused next to the date
    with pytest.raises(ValidationError) as refused:
        sale_create(acting_user=manager_user, client=client, values=_sale_values(date=yesterday))
    assert _errors(refused) == {"date": [PAST]}
    assert not Sale.objects.exists()
    # with it: recorded
    UserRight.objects.create(user=manager_user, code="change_past_data")
    forget(manager_user)
    assert sale_create(acting_user=manager_user, client=client, values=_sale_values(date=yesterday)).date == yesterday


@pytest.mark.feature("SAL-01")
def test_only_the_author_or_an_administrator_changes_or_deletes_a_sale(manager_user: Any, admin_user: Any) -> None:
    # given a sale of the manager on his client, which a colleague opening every client may also edit
    colleague = UserFactory(client_scope="full")
    client = ClientFactory(curator=manager_user)
    sale = SaleFactory(client=client, author=manager_user)
    # when the colleague changes or deletes it: refused, nothing changes
    with pytest.raises(NotAllowed):
        sale_update(acting_user=colleague, sale=sale, values={"note": "чужая правка"})
    with pytest.raises(NotAllowed):
        sale_delete(acting_user=colleague, sale=sale)
    sale.refresh_from_db()
    assert sale.note != "чужая правка"
    # the author changes it (audited with the change), an administrator deletes it (audited)
    sale_update(acting_user=manager_user, sale=sale, values={"note": "своя правка", "quantity": Decimal("2")})
    sale.refresh_from_db()
    assert (sale.note, sale.quantity, sale.changed_by_id) == ("своя правка", Decimal("2.000"), manager_user.pk)
    assert AuditEvent.objects.filter(event="billing.sale.update", target_id=sale.pk).exists()
    sale_delete(acting_user=admin_user, sale=sale)
    assert not Sale.objects.filter(pk=sale.pk).exists()
    assert AuditEvent.objects.filter(event="billing.sale.delete", client_id=client.pk).exists()


@pytest.mark.feature("SAL-01")
def test_a_client_the_user_may_not_edit_takes_no_sale(manager_user: Any) -> None:
    # given a stranger's client a manager of his own clients cannot open
    stranger_client = ClientFactory(curator=UserFactory())
    manager_user.client_scope = "own"
    manager_user.save(update_fields=["client_scope"])
    with pytest.raises(NotAllowed):
        sale_create(acting_user=manager_user, client=stranger_client, values=_sale_values())
    assert not Sale.objects.exists()


@pytest.mark.feature("SAL-01")
def test_an_update_that_moves_a_sale_into_the_past_needs_the_right(manager_user: Any) -> None:
    sale = SaleFactory(client=ClientFactory(curator=manager_user), author=manager_user)
    with pytest.raises(ValidationError) as refused:
        sale_update(acting_user=manager_user, sale=sale, values={"date": _today() - datetime.timedelta(days=3)})
    assert _errors(refused) == {"date": [PAST]}
    sale.refresh_from_db()
    assert sale.date == _today()


def _work_values(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {"date": _today(), "work_type": "Монтаж стеллажей", "output": "12 секций",
                              "receiver": None, "responsible": None, "amount": Decimal("5000"), "paid": False,
                              "paid_on": _today(), "description": "Склад на Лесной", "norm_hours": Decimal("7.5")}
    values.update(changes)
    return values


@pytest.mark.feature("SAL-02")
def test_a_work_is_recorded_with_its_receiver_and_labour(manager_user: Any) -> None:
    entity = LegalEntity.objects.create(full_name="ООО «Ромашка»", short_name="Ромашка", inn="7707083893")
    client = ClientFactory(curator=manager_user)
    work = work_create(acting_user=manager_user, client=client, values=_work_values(receiver=entity))
    work.refresh_from_db()
    assert (work.work_type, work.output, work.receiver_id, work.norm_hours, work.amount) == (
        "Монтаж стеллажей", "12 секций", entity.pk, Decimal("7.50"), Decimal("5000.00"))
    # unpaid: no payment date kept
    assert work.paid_on is None and work.responsible_id == manager_user.pk
    assert AuditEvent.objects.filter(event="billing.work.create", target_id=work.pk).exists()


@pytest.mark.feature("SAL-02")
@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"amount": Decimal("-1")}, "amount", "Сумма не может быть отрицательной."),
    ({"norm_hours": Decimal("-0.5")}, "norm_hours", "Трудозатраты в нормо-часах не могут быть отрицательными."),
    ({"work_type": "  "}, "work_type", "Укажите вид работ."),
])
def test_bad_work_input_is_refused_and_nothing_is_saved(manager_user: Any, changes: dict[str, Any], field: str,
                                                        message: str) -> None:
    client = ClientFactory(curator=manager_user)
    with pytest.raises(ValidationError) as refused:
        work_create(acting_user=manager_user, client=client, values=_work_values(**changes))
    assert _errors(refused) == {field: [message]}
    assert not Work.objects.exists()


@pytest.mark.feature("SAL-02")
def test_a_work_follows_the_same_rules(manager_user: Any, admin_user: Any) -> None:
    colleague = UserFactory(client_scope="full")
    client = ClientFactory(curator=manager_user)
    work = WorkFactory(client=client, author=manager_user)
    with pytest.raises(NotAllowed):
        work_update(acting_user=colleague, work=work, values={"output": "чужое"})
    with pytest.raises(NotAllowed):
        work_delete(acting_user=colleague, work=work)
    with pytest.raises(ValidationError) as refused:
        work_create(acting_user=manager_user, client=client,
                    values=_work_values(date=_today() - datetime.timedelta(days=1)))
    assert _errors(refused) == {"date": [PAST]}
    work_update(acting_user=manager_user, work=work, values={"output": "своё"})
    work.refresh_from_db()
    assert work.output == "своё"
    work_delete(acting_user=admin_user, work=work)
    assert not Work.objects.exists()
    assert AuditEvent.objects.filter(event="billing.work.delete", client_id=client.pk).exists()
