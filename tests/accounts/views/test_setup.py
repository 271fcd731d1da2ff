"""First-run wizard's pages (SYS-05): an empty base leads everyone to /setup/; step 2 writes everything at once."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from kontora.accounts.models import User
from kontora.core.models import BankAccount, LegalEntity
from tests.accounts.support import FIRST_USER, ORGANISATION

pytestmark = [pytest.mark.feature("SYS-05"), pytest.mark.django_db]

def field_error(response, field: str) -> str:
    """The text of the error shown right under the field (data-testid="error-<field>")."""
    html = response.content.decode()
    marker = f'data-testid="error-{field}">'
    start = html.index(marker) + len(marker)
    return html[start:html.index("</div>", start)]


def nothing_written() -> bool:
    return not (User.objects.exists() or LegalEntity.objects.exists() or BankAccount.objects.exists())


@pytest.mark.parametrize("path", ["/", "/login/", "/administration/constants/", "/no-such-page/"])
def test_every_page_leads_to_the_wizard_while_the_base_is_empty(path):
    # given an empty base
    client = Client()
    # when
    response = client.get(path)
    # then
    assert response.status_code == 302
    assert response["Location"] == "/setup/"


def test_htmx_requests_are_sent_to_the_wizard_by_header():
    response = Client().get("/", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/setup/"


def test_wizard_shows_step_one_with_the_manuals_labels():
    response = Client().get("/setup/")
    html = response.content.decode()
    assert response.status_code == 200
    for label in ("Мастер первого запуска", "Полное наименование", "Краткое наименование", "ИНН", "КПП", "ОГРН",
                  "Юридический адрес", "Фактический адрес", "Руководитель", "Главный бухгалтер", "Банк", "БИК",
                  "Корр. счёт", "Расчётный счёт", "Ваша организация", "Первый пользователь", "Далее"):
        assert label in html
    assert 'class="form-label small mb-0 k-required" for="id_inn"' in html


def test_invalid_inn_is_refused_next_to_the_field_and_nothing_is_kept():
    # given
    client = Client()
    # when
    response = client.post("/setup/", {**ORGANISATION, "inn": "7707083894"})
    # then
    assert response.status_code == 200
    assert field_error(response, "inn") == "ИНН: неверное контрольное число"
    assert client.get("/setup/user/")["Location"] == "/setup/"
    assert nothing_written()


def test_wrong_inn_length_names_the_check():
    response = Client().post("/setup/", {**ORGANISATION, "inn": "77070838"})
    assert field_error(response, "inn") == (
        "ИНН должен состоять из 10 цифр (организация) или 12 цифр (ИП, физическое лицо)"
    )


def test_required_fields_are_marked_and_reported():
    response = Client().post("/setup/", {"full_name": "", "short_name": "", "inn": ""})
    assert field_error(response, "full_name") == "Обязательное поле."
    assert field_error(response, "short_name") == "Обязательное поле."
    assert field_error(response, "inn") == "Обязательное поле."


def test_the_optional_bank_block_carries_no_required_marks():
    # when
    html = Client().get("/setup/").content.decode()
    # then: no red star on any field of the bank block, which is marked optional as a whole
    for field in ("bank_name", "bik", "corr_account", "account"):
        assert f'for="id_{field}"' in html
        assert f'k-required" for="id_{field}"' not in html
    assert '(<span class="fw-normal' not in html and "(необязательно)" in html
    # and the organisation's own required fields still carry theirs (positive control)
    assert 'k-required" for="id_short_name"' in html


def test_partly_filled_bank_block_requires_bik_and_settlement_account():
    # given only the bank's name
    data = {**ORGANISATION, "bik": "", "corr_account": "", "account": ""}
    # when
    response = Client().post("/setup/", data)
    # then
    assert field_error(response, "bik") == "Обязательно, если заполняется банковский счёт."
    assert field_error(response, "account") == "Обязательно, если заполняется банковский счёт."


def test_account_keys_are_checked_against_the_bik():
    response = Client().post("/setup/", {**ORGANISATION, "account": "40702810938000000002",
                                         "corr_account": "30101810400000000226"})
    assert field_error(response, "account") == "Расчётный счёт: контрольный ключ не сходится с БИК"
    assert field_error(response, "corr_account") == "Корр. счёт: контрольный ключ не сходится с БИК"


def test_step_one_keeps_normalised_data_in_the_session_only():
    # given
    client = Client()
    # when
    response = client.post("/setup/", ORGANISATION)
    # then
    assert response.status_code == 302
    assert response["Location"] == "/setup/user/"
    assert nothing_written()
    page = client.get("/setup/user/").content.decode()
    assert "ООО «Ромашка»" in page
    assert "7707083893" in page
    # and Back shows step one filled in as it was
    back = client.get("/setup/").content.decode()
    assert 'value="7707083893"' in back
    assert 'value="117997, г. Москва, ул. Вавилова, д. 19"' in back


def test_step_two_creates_administrator_entity_and_account_and_leads_to_login():
    # given step one done
    client = Client()
    client.post("/setup/", ORGANISATION)
    # when
    response = client.post("/setup/user/", FIRST_USER)
    # then
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    user = User.objects.get()
    assert (user.login, user.full_name, user.role, user.client_scope) == (
        "director", "Иванов Иван Иванович", "admin", "full"
    )
    assert user.check_password("Ромашка-2025!")
    entity = LegalEntity.objects.get()
    assert (entity.short_name, entity.inn, entity.kpp, entity.ogrn, entity.is_default) == (
        "ООО «Ромашка»", "7707083893", "773601001", "1027700132195", True
    )
    assert entity.actual_address == entity.legal_address == "117997, г. Москва, ул. Вавилова, д. 19"
    assert entity.created_by == user
    account = BankAccount.objects.get()
    assert (account.legal_entity, account.bik, account.corr_account, account.account, account.is_default) == (
        entity, "044525225", "30101810400000000225", "40702810938000000001", True
    )
    login_page = client.get("/login/")
    assert login_page.status_code == 200
    assert ("Организация и учётная запись администратора созданы. Войдите под логином и паролем, "
            "которые вы указали.") in login_page.content.decode()


def test_the_new_administrator_signs_in_and_the_wizard_is_gone():
    # given a finished wizard
    client = Client()
    client.post("/setup/", ORGANISATION)
    client.post("/setup/user/", FIRST_USER)
    # when
    wizard = Client().get("/setup/")
    step_two = Client().get("/setup/user/")
    home = Client().get("/")
    signed_in = Client()
    login = signed_in.post("/login/", {"login": "director", "password": "Ромашка-2025!"})
    # then
    assert wizard.status_code == 404
    assert "Страница не найдена" in wizard.content.decode()
    assert step_two.status_code == 404
    assert home.status_code == 302
    assert home["Location"].startswith("/login/")
    assert login.status_code == 302
    assert signed_in.get("/").status_code == 200


def test_bank_block_may_be_left_empty():
    client = Client()
    client.post("/setup/", {**ORGANISATION, "bank_name": "", "bik": "", "corr_account": "", "account": ""})
    client.post("/setup/user/", FIRST_USER)
    assert LegalEntity.objects.get().is_default
    assert not BankAccount.objects.exists()


def test_different_passwords_save_nothing():
    # given step one done
    client = Client()
    client.post("/setup/", ORGANISATION)
    # when
    response = client.post("/setup/user/", {**FIRST_USER, "password2": "Ромашка-2026!"})
    # then
    assert response.status_code == 200
    assert field_error(response, "password2") == "Пароли не совпадают."
    assert nothing_written()


def test_weak_password_is_refused_by_the_password_validators():
    client = Client()
    client.post("/setup/", ORGANISATION)
    response = client.post("/setup/user/", {**FIRST_USER, "password1": "12345", "password2": "12345"})
    assert field_error(response, "password1") == (
        "Введённый пароль слишком короткий. Он должен состоять из как минимум 8 символов."
    )
    assert nothing_written()


def test_step_two_without_step_one_goes_back_to_step_one():
    client = Client()
    response = client.post("/setup/user/", FIRST_USER)
    assert response["Location"] == "/setup/"
    assert nothing_written()


def test_second_browser_finishing_later_gets_the_login_page():
    # given two browsers that both passed step one on an empty base
    first, second = Client(), Client()
    first.post("/setup/", ORGANISATION)
    second.post("/setup/", {**ORGANISATION, "short_name": "ООО «Лютик»"})
    first.post("/setup/user/", FIRST_USER)
    # when
    response = second.post("/setup/user/", {**FIRST_USER, "login": "other"})
    # then
    assert response["Location"] == "/login/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Программа уже настроена. Войдите в систему."]
    assert list(User.objects.values_list("login", flat=True)) == ["director"]
    assert list(LegalEntity.objects.values_list("short_name", flat=True)) == ["ООО «Ромашка»"]


def test_wizard_speaks_english_on_request():
    client = Client()
    assert client.get("/setup/?lang=en")["Location"] == "/setup/"
    html = client.get("/setup/").content.decode()
    assert "First-run wizard" in html
    assert "Full legal name" in html
    response = client.post("/setup/", {**ORGANISATION, "inn": "7707083894"})
    assert field_error(response, "inn") == "INN: wrong check number"
