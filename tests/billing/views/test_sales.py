"""The client card's «Продажи» and «Работы» journals and their forms (SAL-01, SAL-02, CLI-14)."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from kontora.billing.models import Sale, Work
from kontora.core.models import SystemSettings
from tests.accounts.factories import UserFactory
from tests.billing.factories import SaleFactory, WorkFactory
from tests.clients.factories import ClientFactory
from tests.directories.factories import NomenclatureItemFactory
from tests.support.http import html, signed_in
from tests.support.queries import assert_flat_queries

pytestmark = pytest.mark.django_db

SALE_ROW = re.compile(r'data-testid="card-sale"')
WORK_ROW = re.compile(r'data-testid="card-work"')
HX = {"HTTP_HX_REQUEST": "true"}


def _switch(**flags: bool) -> None:
    SystemSettings.objects.update_or_create(pk=1, defaults=flags)


@pytest.mark.feature("CLI-14", "SAL-01", "SAL-02")
def test_the_card_has_the_sales_and_works_journals(manager_user: Any, manager_client: Any) -> None:
    client = ClientFactory(curator=manager_user)
    page = html(manager_client.get(f"/clients/{client.pk}/"))
    assert f'hx-get="/clients/{client.pk}/sales/"' in page and f'hx-get="/clients/{client.pk}/works/"' in page
    assert "Продажи" in page and "Работы" in page


@pytest.mark.feature("CLI-14", "SAL-01", "SAL-02")
def test_switched_off_the_journals_disappear_and_their_urls_refuse(manager_user: Any, manager_client: Any) -> None:
    client = ClientFactory(curator=manager_user)
    sale = SaleFactory(client=client, author=manager_user)
    work = WorkFactory(client=client, author=manager_user)
    _switch(sales_enabled=False, works_enabled=False)
    page = html(manager_client.get(f"/clients/{client.pk}/"))
    assert f"/clients/{client.pk}/sales/" not in page and f"/clients/{client.pk}/works/" not in page
    for url in (f"/clients/{client.pk}/sales/", f"/clients/{client.pk}/sales/new/", f"/sales/{sale.pk}/",
                f"/clients/{client.pk}/works/", f"/clients/{client.pk}/works/new/", f"/works/{work.pk}/"):
        assert manager_client.get(url).status_code == 404, url
    assert manager_client.post(f"/sales/{sale.pk}/delete/").status_code == 404
    assert Sale.objects.filter(pk=sale.pk).exists()
    # switched on again, they answer
    _switch(sales_enabled=True, works_enabled=True)
    assert manager_client.get(f"/clients/{client.pk}/sales/").status_code == 200


@pytest.mark.feature("CLI-14", "SAL-01")
def test_the_sales_journal_lists_the_clients_sales_with_the_goods_group_and_totals(manager_user: Any,
                                                                                  manager_client: Any) -> None:
    from kontora.directories.models import GoodsGroup

    client = ClientFactory(curator=manager_user)
    group = GoodsGroup.objects.create(name="Канцтовары", name_key="канцтовары")
    item = NomenclatureItemFactory(name="Бумага А4", goods_group=group)
    SaleFactory(client=client, author=manager_user, item=item, quantity=Decimal("2"), amount=Decimal("1000.50"),
                paid=True, note="Первая")
    SaleFactory(client=client, author=manager_user, amount=Decimal("0.25"), note="Вторая",
                date=timezone.localdate() - datetime.timedelta(days=1))
    SaleFactory(note="Чужая")
    pane = html(manager_client.get(f"/clients/{client.pk}/sales/"))
    assert pane.index("Первая") < pane.index("Вторая") and "Чужая" not in pane
    for text in ("Бумага А4", "Канцтовары", "1\xa0000,50", manager_user.full_name):
        assert text in pane, text
    assert "Итого: 2 продажи" in pane
    assert re.search(r'data-testid="card-sales-amount">1\xa0000,75<', pane)
    assert 'data-key="Insert"' in pane and 'data-testid="sale-add"' in pane


@pytest.mark.feature("CLI-14", "SAL-02")
def test_the_works_journal_lists_works_with_the_norm_hours_total(manager_user: Any, manager_client: Any) -> None:
    client = ClientFactory(curator=manager_user)
    WorkFactory(client=client, author=manager_user, work_type="Монтаж", norm_hours=Decimal("2.5"))
    WorkFactory(client=client, author=manager_user, work_type="Наладка", norm_hours=Decimal("1.25"))
    pane = html(manager_client.get(f"/clients/{client.pk}/works/"))
    assert "Монтаж" in pane and "Наладка" in pane and "Итого: 2 работы" in pane
    assert re.search(r'data-testid="card-works-hours">3,75<', pane)


@pytest.mark.feature("CLI-14", "SAL-01")
def test_the_sales_journal_reads_as_many_queries_for_twenty_rows_as_for_one(manager_user: Any,
                                                                          manager_client: Any) -> None:
    client = ClientFactory(curator=manager_user)

    def add(number: int) -> None:
        SaleFactory(client=client, author=UserFactory() if number % 2 else manager_user)

    page = assert_flat_queries(lambda: html(manager_client.get(f"/clients/{client.pk}/sales/")), add, rows=20)
    assert len(SALE_ROW.findall(page)) == 20


@pytest.mark.feature("CLI-14", "SAL-02")
def test_the_works_journal_reads_as_many_queries_for_twenty_rows_as_for_one(manager_user: Any,
                                                                          manager_client: Any) -> None:
    from kontora.core.models import LegalEntity

    client = ClientFactory(curator=manager_user)
    entity = LegalEntity.objects.create(full_name="ООО «Ромашка»", short_name="Ромашка", inn="7707083893")

    def add(number: int) -> None:
        WorkFactory(client=client, author=UserFactory() if number % 2 else manager_user, receiver=entity)

    page = assert_flat_queries(lambda: html(manager_client.get(f"/clients/{client.pk}/works/")), add, rows=20)
    assert len(WORK_ROW.findall(page)) == 20


@pytest.mark.feature("CLI-14", "SAL-01")
def test_show_more_pages_on_past_fifty(manager_user: Any, manager_client: Any) -> None:
    client = ClientFactory(curator=manager_user)
    SaleFactory.create_batch(55, client=client, author=manager_user)
    first = html(manager_client.get(f"/clients/{client.pk}/sales/"))
    assert len(SALE_ROW.findall(first)) == 50
    more = re.search(r'hx-get="([^"]+)" hx-trigger="click"', first)
    assert more is not None
    rest = html(manager_client.get(more.group(1).replace("&amp;", "&")))
    assert len(SALE_ROW.findall(rest)) == 5


@pytest.mark.feature("SAL-01")
def test_a_sale_is_recorded_through_the_form_and_the_journal_is_drawn_again(manager_user: Any,
                                                                           manager_client: Any) -> None:
    client = ClientFactory(curator=manager_user)
    item = NomenclatureItemFactory(name="Степлер")
    form = html(manager_client.get(f"/clients/{client.pk}/sales/new/", **HX))
    assert 'name="item"' in form and "Степлер" in form
    answer = manager_client.post(f"/clients/{client.pk}/sales/new/", {
        "date": timezone.localdate().strftime("%d.%m.%Y"), "item": item.pk, "quantity": "2", "amount": "150.40",
        "paid": "on", "payment_method": "cash", "responsible": manager_user.pk, "note": "Через кассу"}, **HX)
    assert answer.status_code == 200
    assert Sale.objects.exists(), html(answer)
    sale = Sale.objects.get()
    assert (sale.item_id, sale.quantity, sale.amount, sale.paid, sale.payment_method) == (
        item.pk, Decimal("2.000"), Decimal("150.40"), True, "cash")
    assert "Через кассу" in html(answer)


@pytest.mark.feature("SAL-01")
def test_bad_input_is_shown_in_russian_next_to_the_fields_and_nothing_is_saved(manager_user: Any,
                                                                               manager_client: Any) -> None:
    client = ClientFactory(curator=manager_user)
    answer = html(manager_client.post(f"/clients/{client.pk}/sales/new/", {
        "date": timezone.localdate().strftime("%d.%m.%Y"), "quantity": "0", "amount": "-5"}, **HX))
    for message in ("Выберите проданный товар.", "Количество должно быть больше нуля.",
                    "Сумма не может быть отрицательной."):
        assert message in answer, message
    assert not Sale.objects.exists()


@pytest.mark.feature("SAL-01")
def test_a_past_date_without_the_right_is_refused_next_to_the_date(manager_user: Any, manager_client: Any) -> None:
    client = ClientFactory(curator=manager_user)
    item = NomenclatureItemFactory()
    answer = html(manager_client.post(f"/clients/{client.pk}/sales/new/", {
        "date": (timezone.localdate() - datetime.timedelta(days=2)).strftime("%d.%m.%Y"), "item": item.pk,
        "quantity": "1", "amount": "10"}, **HX))
    assert "У вас нет права изменять данные прошедших дат: выберите сегодняшнюю или более позднюю дату." in answer
    assert not Sale.objects.exists()


@pytest.mark.feature("SAL-01")
def test_another_users_sale_is_read_only_and_its_save_refused(manager_user: Any) -> None:
    # given a sale of the manager on his client and a colleague who opens and edits every client
    colleague = UserFactory(client_scope="full")
    sale = SaleFactory(client=ClientFactory(curator=manager_user), author=manager_user, note="Исходная")
    browser = signed_in(colleague)
    form = html(browser.get(f"/sales/{sale.pk}/", **HX))
    assert 'data-testid="sale-read-only"' in form and 'data-testid="sale-delete"' not in form
    assert browser.post(f"/sales/{sale.pk}/", {"note": "Чужая"}, **HX).status_code == 403
    assert browser.post(f"/sales/{sale.pk}/delete/", **HX).status_code == 403
    sale.refresh_from_db()
    assert sale.note == "Исходная"
    # the author sees the form to change and delete
    author_form = html(signed_in(manager_user).get(f"/sales/{sale.pk}/", **HX))
    assert 'data-testid="sale-read-only"' not in author_form and 'data-testid="sale-delete"' in author_form


@pytest.mark.feature("SAL-01", "SAL-02", "CLI-14")
def test_a_client_the_user_may_not_open_answers_404_everywhere(manager_user: Any) -> None:
    # given a stranger's client with a sale and a work, and a list-only manager who sees it in the list only
    stranger = UserFactory()
    client = ClientFactory(curator=stranger)
    sale = SaleFactory(client=client, author=stranger, note="ЯЧ секрет")
    work = WorkFactory(client=client, author=stranger, description="ЯЧ секрет")
    lister = signed_in(UserFactory(client_scope="list_all"))
    for url in (f"/clients/{client.pk}/sales/", f"/clients/{client.pk}/sales/new/", f"/sales/{sale.pk}/",
                f"/clients/{client.pk}/works/", f"/clients/{client.pk}/works/new/", f"/works/{work.pk}/"):
        answer = lister.get(url)
        assert answer.status_code == 404, url
        assert "ЯЧ секрет" not in answer.content.decode()
    for url in (f"/sales/{sale.pk}/", f"/sales/{sale.pk}/delete/", f"/works/{work.pk}/delete/"):
        assert lister.post(url, {"note": "x"}).status_code == 404
    assert Sale.objects.filter(pk=sale.pk).exists() and Work.objects.filter(pk=work.pk).exists()


@pytest.mark.feature("SAL-02")
def test_a_work_is_recorded_through_the_form(manager_user: Any, manager_client: Any) -> None:
    from kontora.core.models import LegalEntity

    entity = LegalEntity.objects.create(full_name="ООО «Ромашка»", short_name="Ромашка", inn="7707083893")
    client = ClientFactory(curator=manager_user)
    answer = manager_client.post(f"/clients/{client.pk}/works/new/", {
        "date": timezone.localdate().strftime("%d.%m.%Y"), "work_type": "Монтаж", "output": "3 узла",
        "norm_hours": "4.5", "receiver": entity.pk, "responsible": manager_user.pk, "amount": "9000",
        "description": "На объекте"}, **HX)
    assert answer.status_code == 200
    work = Work.objects.get()
    assert (work.work_type, work.norm_hours, work.receiver_id, work.amount) == (
        "Монтаж", Decimal("4.50"), entity.pk, Decimal("9000.00"))
    bad = html(manager_client.post(f"/clients/{client.pk}/works/new/", {
        "date": timezone.localdate().strftime("%d.%m.%Y"), "work_type": "", "norm_hours": "-1"}, **HX))
    assert "Укажите вид работ." in bad and "Трудозатраты в нормо-часах не могут быть отрицательными." in bad
    assert Work.objects.count() == 1


@pytest.mark.feature("SAL-01")
def test_a_stale_save_of_a_changed_field_is_refused_not_merged(manager_user: Any, manager_client: Any) -> None:
    from kontora.billing.services.sales import sale_update

    # given the author's sale form read while the note said «Исходная»
    sale = SaleFactory(client=ClientFactory(curator=manager_user), author=manager_user, note="Исходная")
    form = html(manager_client.get(f"/sales/{sale.pk}/", **HX))
    read = re.search(r'name="sale-read" value="([^"]+)"', form)
    assert read is not None
    # when the note is changed meanwhile (another tab) and the old form saves another note
    sale_update(acting_user=manager_user, sale=sale, values={"note": "Из другой вкладки"})
    answer = html(manager_client.post(f"/sales/{sale.pk}/", {
        "sale-read": read.group(1), "date": sale.date.strftime("%d.%m.%Y"), "item": sale.item_id,
        "quantity": "1", "amount": "100.00", "responsible": manager_user.pk, "note": "Из формы"}, **HX))
    # then nothing is saved and the form says so
    sale.refresh_from_db()
    assert sale.note == "Из другой вкладки"
    assert "ничего не сохранено" in answer
