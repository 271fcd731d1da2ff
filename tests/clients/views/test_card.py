"""The client card: create and save through the views, keys, requisites, tabs, contacts (CLI-01 … CLI-15)."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from kontora.clients.models import Client, ContactPerson
from kontora.clients.services import card as services
from kontora.core.audit import audit_record
from kontora.directories.models import AutoSubstitution, ClientFlag, Competitor, Direction, LadderStage, Settlement
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory, ContactFactory
from tests.clients.support import VALID_INN, VALID_OGRN, card_post
from tests.support.http import html, signed_in
from tests.support.queries import count_queries


@pytest.mark.feature("CLI-01")
@pytest.mark.feature("CLI-02")
@pytest.mark.feature("CLI-15")
def test_manager_creates_company_card(manager_user: Any, manager_client: Any) -> None:
    # given a signed-in manager on a new company card
    page = manager_client.get("/clients/new/?kind=company")
    assert page.status_code == 200
    assert "Новый клиент" in html(page)
    # when they fill in the main requisites and press OK
    response = manager_client.post("/clients/new/", card_post(
        short_name="Ромашка", full_name="ООО «Ромашка»", address="ул. Ленина, 1", phone="+7 (495) 123-45-67",
        email="info@romashka.ru", main_contact="Иванов И. И.",
    ))
    # then the client is registered with code 1, the manager as curator, and the card opens
    client = Client.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/clients/{client.pk}/"
    assert (client.code, client.short_name, client.full_name) == (1, "Ромашка", "ООО «Ромашка»")
    assert client.curator == manager_user and client.created_by == manager_user
    card = html(manager_client.get(response["Location"]))
    assert "1 · Ромашка" in card
    assert "Персонал" in card and "Регистрационные данные" in card


@pytest.mark.feature("CLI-01")
def test_person_card_has_no_personnel_and_registration_tabs(manager_client: Any) -> None:
    # given a new person card: Registration data is only there hidden, for a switch to a company
    page = html(manager_client.get("/clients/new/?kind=person"))
    assert 'data-testid="tab-personnel"' not in page
    assert '<li class="nav-item d-none" role="presentation" data-k-kinds="company"><button class="nav-link" ' \
           'type="button" id="tab-btn-registration"' in page
    # when it is saved
    response = manager_client.post("/clients/new/", card_post(kind="person", short_name="Петров Пётр"))
    # then the person has no Personnel and Registration tabs either
    client = Client.objects.get()
    assert client.kind == "person"
    card = html(manager_client.get(response["Location"]))
    assert 'data-testid="tab-personnel"' not in card and 'data-testid="tab-registration"' not in card
    assert 'data-testid="tab-general"' in card and 'data-testid="tab-access"' in card


@pytest.mark.feature("CLI-15")
def test_code_is_unique_immutable_and_in_title(manager_user: Any, manager_client: Any) -> None:
    # given two clients
    first = ClientFactory(curator=manager_user, short_name="Альфа")
    second = ClientFactory(curator=manager_user, short_name="Бета")
    assert (first.code, second.code) == (1, 2)
    # when someone posts another code with the card
    manager_client.post(f"/clients/{first.pk}/", card_post(
        short_name="Альфа+", code="2", curator=manager_user.pk, apply="1",
    ))
    # then the code stays and shows in the title
    first.refresh_from_db()
    assert (first.code, first.short_name) == (1, "Альфа+")
    assert "<title>1 · Альфа+" in html(manager_client.get(f"/clients/{first.pk}/"))


@pytest.mark.feature("CLI-06")
def test_invalid_inn_is_refused_next_to_the_field(manager_client: Any) -> None:
    # when a card with a wrong INN check number is saved
    response = manager_client.post("/clients/new/", card_post(short_name="Ромашка", inn="7707083890"))
    # then the error stands by the INN field and nothing is saved
    assert response.status_code == 200
    assert 'data-testid="error-inn">ИНН: неверное контрольное число</div>' in html(response)
    assert not Client.objects.exists()


@pytest.mark.feature("CLI-06")
def test_valid_requisites_are_saved_normalised(manager_client: Any) -> None:
    # when valid INN, KPP and OGRN are typed with spaces
    manager_client.post("/clients/new/", card_post(
        short_name="Сбер", inn="7707 083 893", kpp="773601001", ogrn="1 027700 132195",
    ))
    # then they are kept as digits
    client = Client.objects.get()
    assert (client.inn, client.kpp, client.ogrn) == (VALID_INN, "773601001", VALID_OGRN)


@pytest.mark.feature("CLI-06")
def test_ogrn_of_wrong_kind_is_refused(manager_client: Any) -> None:
    # when an organisation's INN comes with a 15-digit OGRNIP
    response = manager_client.post("/clients/new/", card_post(
        short_name="Сбер", inn=VALID_INN, ogrn="304500116000157",
    ))
    # then the OGRN field says what is expected
    assert "Для организации (ИНН из 10 цифр) укажите ОГРН из 13 цифр" in html(response)
    assert not Client.objects.exists()


@pytest.mark.feature("CLI-03")
@pytest.mark.feature("LAD-02")
@pytest.mark.feature("CLI-13")
@pytest.mark.feature("CLI-04")
def test_common_and_operational_tabs_are_saved(manager_user: Any, manager_client: Any) -> None:
    # given directory items
    direction, competitor = Direction.objects.create(name="Опт"), Competitor.objects.create(name="Конкурент")
    stage, next_stage = LadderStage.objects.create(name="Первый контакт"), LadderStage.objects.create(name="КП")
    blue = ClientFlag.objects.get(name="Синий флаг")
    client = ClientFactory(curator=manager_user, short_name="Ромашка")
    # when the Common and Operational work tabs are filled in and applied
    response = manager_client.post(f"/clients/{client.pk}/", card_post(
        short_name="Ромашка", curator=manager_user.pk, directions=[direction.pk], notes="Звонить после обеда",
        ladder_stage=stage.pk, next_stage=next_stage.pk, competitors=[competitor.pk],
        next_contact_date="2026-12-01", needs_attention="on", flag=blue.pk, apply="1",
    ))
    # then everything is kept and the card shows the attention mark
    assert response.status_code == 302
    client.refresh_from_db()
    assert list(client.directions.all()) == [direction] and list(client.competitors.all()) == [competitor]
    assert (client.ladder_stage, client.next_stage) == (stage, next_stage)
    assert client.next_contact_date == datetime.date(2026, 12, 1)
    assert client.notes == "Звонить после обеда" and client.needs_attention and client.flag == blue
    assert client.changed_by == manager_user
    card = html(manager_client.get(f"/clients/{client.pk}/"))
    assert "требует особого внимания" in card
    # the named flag, in its colour, by the card's title
    assert re.search(r'data-testid="card-flag"><span class="k-flag k-flag-blue">⚑</span> Синий флаг<', card)
    checkbox = re.search(rf'<input type="checkbox" name="directions" value="{direction.pk}"[^>]*>', card)
    assert checkbox is not None and " checked" in checkbox.group(0)


@pytest.mark.feature("CLI-12")
def test_service_tab_shows_who_registered_and_changed(manager_user: Any, admin_user: Any) -> None:
    # given a client registered by the manager and changed by the administrator (the moments set apart)
    client = services.client_create(acting_user=manager_user, values={"kind": "company", "short_name": "Ромашка"})
    services.client_update(acting_user=admin_user, client=client, values={"notes": "Проверено"})
    Client.objects.filter(pk=client.pk).update(
        created_at=timezone.make_aware(datetime.datetime(2025, 3, 4, 9, 15)),
        changed_at=timezone.make_aware(datetime.datetime(2025, 6, 7, 18, 40)),
    )
    # when the card's Service tab is shown
    browser = signed_in(admin_user)
    assert f'hx-get="/clients/{client.pk}/history/"' in html(browser.get(f"/clients/{client.pk}/"))
    page = html(browser.get(f"/clients/{client.pk}/history/"))
    # then the Service tab's own block says who registered the card and when, and who changed it last and when
    service = _block(page, "service")
    assert _cell(service, "service-registered") == "04.03.2025 09:15, Алексей Менеджеров"
    assert _cell(service, "service-changed") == "07.06.2025 18:40, Администратор Системы"


def _block(page: str, testid: str) -> str:
    """The element marked `data-testid=testid`, up to its closing tag (no nesting of the same tag inside)."""
    found = re.search(rf'<(\w+)[^>]*data-testid="{testid}"[^>]*>(.*?)</\1>', page, re.S)
    assert found is not None, testid
    return found.group(2)


def _cell(block: str, testid: str) -> str:
    found = re.search(rf'data-testid="{testid}">([^<]*)<', block)
    assert found is not None, testid
    return found.group(1).strip()


@pytest.mark.feature("CLI-05")
def test_contact_persons_crud(manager_user: Any, manager_client: Any) -> None:
    # given a company card
    client = ClientFactory(curator=manager_user, short_name="Ромашка")
    hx = {"HTTP_HX_REQUEST": "true"}
    form = manager_client.get(f"/clients/{client.pk}/contacts/new/", **hx)
    assert 'data-testid="contact-form"' in html(form)
    # when a contact person is added in the modal
    response = manager_client.post(f"/clients/{client.pk}/contacts/new/", {
        "full_name": "Иванов Иван", "position": "Директор", "phone_office": "+7 495 111-22-33",
        "phone_mobile": "8 (916) 000-11-22", "birthday": "1980-05-04", "competence": "Решает всё",
        "is_main": "on",
    }, **hx)
    # then the list is refreshed in place and the phones are searchable as digits
    contact = ContactPerson.objects.get()
    assert response["HX-Retarget"] == "#client-personnel"
    assert "Иванов Иван" in html(response)
    assert contact.phones_digits == "74951112233 89160001122"
    assert contact.birthday == datetime.date(1980, 5, 4) and contact.is_main
    # when it is edited without a name
    refused = manager_client.post(f"/clients/{client.pk}/contacts/{contact.pk}/", {"full_name": " "}, **hx)
    assert 'data-testid="error-full_name">Обязательное поле.</div>' in html(refused)
    manager_client.post(f"/clients/{client.pk}/contacts/{contact.pk}/", {
        "full_name": "Иванов Иван Иванович", "position": "Генеральный директор",
    }, **hx)
    contact.refresh_from_db()
    assert (contact.full_name, contact.position, contact.phones_digits) == (
        "Иванов Иван Иванович", "Генеральный директор", "")
    # when it is deleted
    deleted = manager_client.post(f"/clients/{client.pk}/contacts/{contact.pk}/delete/", **hx)
    # then it is gone
    assert deleted.status_code == 200 and not ContactPerson.objects.exists()


@pytest.mark.feature("ORG-04")
def test_new_card_prefilled_from_auto_substitution(manager_user: Any, manager_client: Any) -> None:
    # given the manager's auto-substitution city
    city = Settlement.objects.select_related("region").first()
    assert city is not None
    AutoSubstitution.objects.create(user=manager_user, region=city.region, settlement=city)
    # when a new card is opened
    page = html(manager_client.get("/clients/new/"))
    # then region and city are filled in and the curator is the manager (who works with his own clients only:
    # shown, not offered)
    assert f'name="settlement" value="{city.pk}"' in page
    assert f'name="region" value="{city.region_id}"' in page
    assert f'data-testid="value-curator">{manager_user.full_name}</div>' in page


def _history_rows(client: Client, count: int) -> None:
    """`count` rows of the card's history, each by another user (a lazy author would cost a query per row)."""
    with transaction.atomic():
        for number in range(count):
            audit_record(actor=UserFactory(), event="clients.client.update", summary="Карточка изменена",
                         target=client, client=client, changes=[{"field": "Примечания", "old": "", "new": str(number)}])


@pytest.mark.feature("CLI-05")
@pytest.mark.feature("CLI-12")
def test_the_card_reads_as_many_queries_with_twenty_contacts_and_history_rows_as_with_one(
    manager_user: Any, manager_client: Any,
) -> None:
    # given a card with one contact person and one history row
    client = ClientFactory(curator=manager_user, short_name="Ромашка")
    ContactFactory(client=client)
    _history_rows(client, 1)
    urls = [f"/clients/{client.pk}/", f"/clients/{client.pk}/contacts/", f"/clients/{client.pk}/history/"]

    def read() -> tuple[list[int], str]:
        """The card's page, then its Personnel and Service tabs as they are shown: each one's queries."""
        counts, pages = [], []
        for url in urls:
            with count_queries() as queries:
                pages.append(html(manager_client.get(url)))
            counts.append(len(queries))
        return counts, "".join(pages)

    read()  # the session and the caches are warm
    one, page = read()
    assert page.count('data-testid="contact-row"') == 1 and page.count("Карточка изменена") == 1

    # when it gets nineteen more of each
    ContactFactory.create_batch(19, client=client)
    contacts, _page = read()
    _history_rows(client, 19)
    both, page = read()

    # then the card and its tabs read them with the same number of queries
    assert page.count('data-testid="contact-row"') == 20 and page.count("Карточка изменена") == 20
    assert contacts == one and both == one, (one, contacts, both)


@pytest.mark.feature("CLI-14")
def test_a_registered_journal_is_loaded_into_the_card_after_the_cards_own_tabs(
    manager_user: Any, manager_client: Any, journal: dict[str, bool],
) -> None:
    client = ClientFactory(curator=manager_user, short_name="Ромашка")

    page = html(manager_client.get(f"/clients/{client.pk}/"))

    order = [code for code in ("tab-general", "tab-bank", "tab-service", "tab-files", "tab-test-journal")
             if f'data-testid="{code}"' in page]
    assert order == ["tab-general", "tab-bank", "tab-service", "tab-files", "tab-test-journal"]
    assert [page.index(f'data-testid="{code}"') for code in order] == sorted(
        page.index(f'data-testid="{code}"') for code in order)
    assert f'hx-get="/clients/{client.pk}/files/"' in page  # each plugged tab loads from its own URL
