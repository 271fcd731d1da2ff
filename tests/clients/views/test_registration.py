"""The company's Registration data panel and history of changes in legal documents (CLI-06), and the person's
Passport and personal data tab (CLI-01)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from kontora.clients.models import ClientLegalChange, ClientPersonal, ClientRegistration
from kontora.core import requisites
from kontora.core.models import AuditEvent
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.clients.support import OKPO, card_history, card_post, card_submit, make_private
from tests.support.http import html, signed_in
from tests.support.queries import assert_flat_queries

OKPO_IP = "001852212" + requisites.okpo_check_digit("001852212")
SNILS = "112-233-445 95"


def wrong_check_digit(number: str) -> str:
    return number[:-1] + str((int(number[-1]) + 1) % 10)


def reg_post(**fields: Any) -> dict[str, Any]:
    """The pane's fields as the card's form names them: prefixed, but for INN, KPP and OGRN (kept on the client)."""
    return {name if name in ("inn", "kpp", "ogrn") else f"reg-{name}": value for name, value in fields.items()}


def personal_post(**fields: Any) -> dict[str, Any]:
    return {f"personal-{name}": value for name, value in fields.items()}


def save_registration(http: Any, client: Any, **fields: Any) -> Any:
    """The user opens Registration data, types `fields` and presses the card's Apply."""
    return card_submit(http, client, reg_post(**fields), tabs=["registration"])


def save_personal(http: Any, client: Any, **fields: Any) -> Any:
    return card_submit(http, client, personal_post(**fields), tabs=["personal"])


# --- registration data ---

@pytest.mark.feature("CLI-06")
def test_manager_saves_registration_data(manager_user: Any, manager_client: Any) -> None:
    # given the manager's company card, whose Registration data pane loads the panel
    client = ClientFactory(curator=manager_user, short_name="Ромашка")
    card = html(manager_client.get(f"/clients/{client.pk}/"))
    assert f'hx-get="/clients/{client.pk}/registration/"' in card
    panel = html(manager_client.get(f"/clients/{client.pk}/registration/"))
    assert 'name="reg-okpo"' in panel and "ОКПО" in panel and 'data-testid="registration-read-only"' not in panel
    # when the codes, bodies, capital and addresses are typed and the card's Apply is pressed
    response = save_registration(
        manager_client, client, okpo=OKPO, okved="62.01", oktmo="45 382 000", registration_date="2010-03-15",
        registering_body="МИФНС № 46 по г. Москве", tax_office="ИФНС № 7", charter_capital="10 000,50",
        legal_address="Москва, ул. Ленина, 1", actual_address="Москва, ул. Ленина, 1", postal_address="",
        director="Иванов И. И.", chief_accountant="Петрова А. А.",
    )
    # then they are stored, normalised, and the card says so
    assert response.status_code == 302 and response["Location"] == f"/clients/{client.pk}/"
    assert "Клиент «1 · Ромашка» сохранён." in html(manager_client.get(response["Location"]))
    row = ClientRegistration.objects.get(client=client)
    assert (row.okpo, row.okved, row.oktmo) == (OKPO, "62.01", "45382000")
    assert row.registration_date == datetime.date(2010, 3, 15)
    assert row.charter_capital == Decimal("10000.50")
    assert (row.director, row.chief_accountant) == ("Иванов И. И.", "Петрова А. А.")
    # and the history names what changed
    change = card_history(client).first()
    assert change is not None and change.summary == "Регистрационные данные изменены"
    fields = {item["field"]: item["new"] for item in change.changes}
    assert fields["ОКПО"] == OKPO and fields["Руководитель"] == "Иванов И. И."


@pytest.mark.feature("CLI-06")
def test_okpo_of_an_entrepreneur_has_ten_digits(manager_user: Any, manager_client: Any) -> None:
    client = ClientFactory(curator=manager_user, short_name="ИП Сидоров")
    save_registration(manager_client, client, okpo=OKPO_IP)
    assert ClientRegistration.objects.get(client=client).okpo == OKPO_IP


@pytest.mark.feature("CLI-06")
@pytest.mark.parametrize(("field", "value", "message"), [
    ("okpo", wrong_check_digit(OKPO), "ОКПО: неверное контрольное число"),
    ("okpo", "123456", "ОКПО должен состоять из 8 цифр (организация) или 10 цифр (ИП)"),
    ("okved", "6201", "ОКВЭД записывается как NN, NN.N, NN.NN, NN.NN.N или NN.NN.NN (цифры), например 62.01."),
    ("oktmo", "1234567", "ОКТМО должен состоять из 8 или 11 цифр"),
    ("charter_capital", "-1", "Уставный капитал не может быть отрицательным."),
])
def test_bad_registration_code_is_refused_and_nothing_saved(
    manager_user: Any, manager_client: Any, field: str, value: str, message: str,
) -> None:
    # given a company with saved registration data
    client = ClientFactory(curator=manager_user, short_name="Ромашка")
    save_registration(manager_client, client, okpo=OKPO, director="Иванов")
    changes = AuditEvent.objects.count()
    # when one bad value is saved together with good ones, and a change of the card's own notes
    response = card_submit(manager_client, client, {
        "notes": "Новая заметка", **reg_post(**{"okpo": OKPO, "director": "Петров", "tax_office": "ИФНС № 7",
                                                 field: value})}, tabs=["registration"])
    # then the check is named next to the field, in Russian, on the card with the pane drawn in, and no value changed
    page = html(response)
    assert response.status_code == 200
    assert f'data-testid="error-{field}"' in page and message in page
    error_at = page.index(f'data-testid="error-{field}"')
    assert page.index(' id="tab-registration"') < error_at < page.index(' id="tab-bank"')
    row = ClientRegistration.objects.get(client=client)
    assert (row.okpo, row.director, row.tax_office) == (OKPO, "Иванов", "")
    client.refresh_from_db()
    assert client.notes == ""
    assert AuditEvent.objects.count() == changes


@pytest.mark.feature("CLI-06")
def test_same_as_legal_buttons_are_offered(manager_user: Any, manager_client: Any) -> None:
    client = ClientFactory(curator=manager_user, short_name="Ромашка")
    panel = html(manager_client.get(f"/clients/{client.pk}/registration/"))
    assert 'data-testid="registration-copy-actual"' in panel and 'data-testid="registration-copy-postal"' in panel
    assert "Как юридический" in panel


@pytest.mark.feature("CLI-06")
def test_legal_document_changes_are_added_corrected_and_deleted(manager_user: Any, manager_client: Any) -> None:
    client = ClientFactory(curator=manager_user, short_name="Ромашка")
    base = f"/clients/{client.pk}/registration/changes"
    # when an entry is added in the modal
    form = html(manager_client.get(f"{base}/new/", HTTP_HX_REQUEST="true"))
    assert 'data-testid="legal-change-form"' in form
    response = manager_client.post(f"{base}/new/", {
        "date": "2023-05-10", "document": "Устав", "description": "Новая редакция устава",
    }, HTTP_HX_REQUEST="true")
    # then the list is refreshed and the modal closes
    assert response["HX-Retarget"] == "#client-legal-changes"
    assert "Новая редакция устава" in html(response)
    change = ClientLegalChange.objects.get()
    assert (change.date, change.document, change.created_by) == (datetime.date(2023, 5, 10), "Устав", manager_user)
    # when it is corrected
    manager_client.post(f"{base}/{change.pk}/", {
        "date": "2023-05-11", "document": "Устав", "description": "Редакция № 2",
    }, HTTP_HX_REQUEST="true")
    change.refresh_from_db()
    assert (change.date, change.description) == (datetime.date(2023, 5, 11), "Редакция № 2")
    # and deleted
    manager_client.post(f"{base}/{change.pk}/delete/", HTTP_HX_REQUEST="true")
    assert not ClientLegalChange.objects.exists()
    # then every step is in the history
    actions = list(card_history(client).values_list("summary", flat=True))
    assert any(a.startswith("Добавлено изменение в юридических документах") for a in actions)
    assert any(a.startswith("Исправлено изменение в юридических документах") for a in actions)
    assert any(a.startswith("Удалено изменение в юридических документах") for a in actions)


@pytest.mark.feature("CLI-06")
def test_legal_change_needs_date_and_document(manager_user: Any, manager_client: Any) -> None:
    client = ClientFactory(curator=manager_user, short_name="Ромашка")
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    url = f"/clients/{client.pk}/registration/changes/new/"
    page = html(manager_client.post(url, {"date": future, "document": "Устав"}, HTTP_HX_REQUEST="true"))
    assert 'data-testid="error-date"' in page and "Дата изменения не может быть в будущем." in page
    page = html(manager_client.post(url, {"date": "2020-01-01", "document": " "}, HTTP_HX_REQUEST="true"))
    assert 'data-testid="error-document"' in page
    assert not ClientLegalChange.objects.exists()


@pytest.mark.feature("CLI-06")
def test_open_all_user_sees_others_registration_data_read_only(manager_user: Any) -> None:
    # given a manager's company with registration data and a colleague who opens all clients
    client = ClientFactory(curator=manager_user, short_name="Ромашка")
    ClientRegistration.objects.create(client=client, okpo=OKPO)
    ClientLegalChange.objects.create(client=client, date=datetime.date(2020, 1, 1), document="Устав")
    viewer = signed_in(UserFactory(login="viewer", client_scope="open_all"))
    # when they open the panel
    panel = html(viewer.get(f"/clients/{client.pk}/registration/"))
    # then they see the data as text, with no inputs and no buttons
    assert OKPO in panel and "Устав" in panel and 'data-testid="registration-read-only"' in panel
    assert 'data-testid="legal-change-add"' not in panel and 'name="reg-read"' not in panel
    assert 'data-testid="value-okpo"' in panel and 'name="reg-okpo"' not in panel
    # and every write is refused: the card's form posted with a registration field, and the journal's
    change = ClientLegalChange.objects.get()
    assert viewer.post(f"/clients/{client.pk}/", card_post(short_name="Ромашка", **reg_post(okpo=""))
                       ).status_code == 403
    assert viewer.get(f"/clients/{client.pk}/registration/changes/new/").status_code == 403
    assert viewer.post(f"/clients/{client.pk}/registration/changes/{change.pk}/delete/").status_code == 403
    assert ClientRegistration.objects.get(client=client).okpo == OKPO
    assert ClientLegalChange.objects.exists()


@pytest.mark.feature("CLI-06")
def test_registration_urls_answer_404_to_those_who_cannot_open_the_client(
    manager_user: Any, admin_client: Any,
) -> None:
    # given a foreign client (an "own clients" colleague cannot open it) and a private one (nor can the admin)
    client = ClientFactory(curator=manager_user, short_name="Ромашка")
    change = ClientLegalChange.objects.create(client=client, date=datetime.date(2020, 1, 1), document="Устав")
    colleague = signed_in(UserFactory(login="colleague", client_scope="own"))
    for url in (f"/clients/{client.pk}/registration/", f"/clients/{client.pk}/registration/changes/new/",
                f"/clients/{client.pk}/registration/changes/{change.pk}/"):
        assert colleague.get(url).status_code == 404
    assert colleague.post(f"/clients/{client.pk}/", card_post(short_name="Ромашка", **reg_post(okpo=OKPO))
                          ).status_code == 404
    make_private(client)
    assert admin_client.get(f"/clients/{client.pk}/registration/").status_code == 404
    assert admin_client.post(f"/clients/{client.pk}/registration/changes/{change.pk}/delete/").status_code == 404
    assert not ClientRegistration.objects.exists() and ClientLegalChange.objects.exists()


@pytest.mark.feature("CLI-01")
@pytest.mark.feature("CLI-06")
def test_person_has_no_registration_panel(manager_user: Any, manager_client: Any) -> None:
    person = ClientFactory(curator=manager_user, short_name="Сидоров Пётр", kind="person")
    assert manager_client.get(f"/clients/{person.pk}/registration/").status_code == 404


# --- a person's passport and personal data ---

@pytest.mark.feature("CLI-01")
def test_person_card_has_passport_tab_and_company_does_not(manager_user: Any, manager_client: Any) -> None:
    person = ClientFactory(curator=manager_user, short_name="Сидоров Пётр", kind="person")
    company = ClientFactory(curator=manager_user, short_name="Ромашка")
    card = html(manager_client.get(f"/clients/{person.pk}/"))
    assert 'data-testid="tab-personal"' in card and "Паспорт и личные данные" in card
    assert 'data-testid="tab-registration"' not in card
    assert 'data-testid="tab-personal"' not in html(manager_client.get(f"/clients/{company.pk}/"))
    assert manager_client.get(f"/clients/{company.pk}/personal/").status_code == 404


@pytest.mark.feature("CLI-01")
def test_manager_saves_passport_data(manager_user: Any, manager_client: Any) -> None:
    person = ClientFactory(curator=manager_user, short_name="Сидоров Пётр", kind="person")
    response = save_personal(
        manager_client, person, birth_date="1980-02-01", birth_place="г. Тула", passport_series="45 12",
        passport_number="345678", passport_issued_by="ОВД Тверского района", passport_issued_on="2005-03-01",
        passport_division="770001", registration_address="Москва, ул. Тверская, 1", snils=SNILS,
    )
    assert response.status_code == 302
    assert "Клиент «1 · Сидоров Пётр» сохранён." in html(manager_client.get(response["Location"]))
    row = ClientPersonal.objects.get(client=person)
    assert (row.passport_series, row.passport_number, row.passport_division) == ("4512", "345678", "770-001")
    assert row.snils == "11223344595" and row.birth_date == datetime.date(1980, 2, 1)
    # the panel shows SNILS as people write it
    assert SNILS in html(manager_client.get(f"/clients/{person.pk}/personal/"))
    change = card_history(person).first()
    assert change is not None and change.summary == "Личные данные изменены"
    assert {"field": "Серия паспорта", "old": "", "new": "4512"} in change.changes


@pytest.mark.feature("CLI-01")
@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"snils": "112-233-445 96"}, "snils", "СНИЛС: неверное контрольное число"),
    ({"passport_series": "451"}, "passport_series", "Серия паспорта состоит из 4 цифр."),
    ({"passport_number": "34567A"}, "passport_number", "Номер паспорта состоит из 6 цифр."),
    ({"passport_division": "77-0001"}, "passport_division", "Код подразделения записывается как NNN-NNN (6 цифр)."),
    ({"birth_date": "1990-01-01", "passport_issued_on": "1989-12-31"}, "passport_issued_on",
     "Паспорт не может быть выдан раньше даты рождения."),
    ({"passport_issued_on": "2999-01-01"}, "passport_issued_on", "Дата выдачи не может быть в будущем."),
])
def test_bad_personal_data_is_refused_and_nothing_saved(
    manager_user: Any, manager_client: Any, fields: dict[str, str], field: str, message: str,
) -> None:
    person = ClientFactory(curator=manager_user, short_name="Сидоров Пётр", kind="person")
    ClientPersonal.objects.create(client=person, birth_place="г. Тула")
    response = save_personal(manager_client, person, birth_place="г. Орёл", **fields)
    page = html(response)
    assert response.status_code == 200
    assert f'data-testid="error-{field}"' in page and message in page
    assert ClientPersonal.objects.get(client=person).birth_place == "г. Тула"


@pytest.mark.feature("CLI-01")
def test_open_all_user_cannot_change_others_personal_data(manager_user: Any) -> None:
    person = ClientFactory(curator=manager_user, short_name="Сидоров Пётр", kind="person")
    viewer = signed_in(UserFactory(login="viewer", client_scope="open_all"))
    panel = html(viewer.get(f"/clients/{person.pk}/personal/"))
    assert 'data-testid="personal-read-only"' in panel and 'name="personal-snils"' not in panel
    assert viewer.post(f"/clients/{person.pk}/", card_post(kind="person", short_name="Сидоров Пётр",
                                                          **personal_post(snils=SNILS))).status_code == 403
    assert not ClientPersonal.objects.exists()


@pytest.mark.feature("CLI-01")
def test_personal_data_of_a_private_person_is_404_even_for_the_administrator(
    manager_user: Any, admin_client: Any,
) -> None:
    person = make_private(ClientFactory(curator=manager_user, short_name="Сидоров Пётр", kind="person"))
    assert admin_client.get(f"/clients/{person.pk}/personal/").status_code == 404
    assert admin_client.post(f"/clients/{person.pk}/", card_post(kind="person", short_name="Сидоров Пётр",
                                                                **personal_post(snils=SNILS))).status_code == 404


@pytest.mark.feature("CLI-06")
def test_the_registration_pane_reads_as_many_queries_with_twenty_legal_changes_as_with_one(
    manager_user: Any, manager_client: Any,
) -> None:
    # given a company with one change in its legal documents, then twenty, each entered by another user
    client = ClientFactory(curator=manager_user, short_name="Ромашка")

    def add(number: int) -> None:
        ClientLegalChange.objects.create(client=client, date=datetime.date(2024, 1, 1 + number),
                                         document=f"Устав, ред. {number}", created_by=UserFactory())

    # when the pane is read / then it lists them all with the same number of queries
    page = assert_flat_queries(lambda: html(manager_client.get(f"/clients/{client.pk}/registration/")), add)
    assert all(f"Устав, ред. {number}<" in page for number in range(20))
