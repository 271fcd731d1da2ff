"""Administration → Enterprise: constants (ORG-01): legal entities, their bank accounts, the defaults."""

from __future__ import annotations

import pytest
from django.test import Client

from kontora.core.models import BankAccount, LegalEntity
from kontora.core.selectors import organisation as selectors
from kontora.core.services import organisation as services
from kontora.core.services.organisation import BankAccountData, LegalEntityData
from tests.core.support import ROMASHKA, alfa_account
from tests.support.queries import count_queries

pytestmark = pytest.mark.feature("ORG-01")

LYUTIK_FORM = {
    "full_name": "Индивидуальный предприниматель Лютиков Пётр Ильич", "short_name": "ИП Лютиков П. И.",
    "inn": "500100732259", "kpp": "", "ogrn": "304500116000157", "legal_address": "г. Химки, ул. Лесная, д. 1",
    "actual_same": "on", "actual_address": "", "director": "Лютиков П. И.", "chief_accountant": "",
    "phone": "+7 495 000-00-00", "email": "lyutik@example.com",
}


ALFA = {"bank_name": "АО «Альфа-Банк»", "bik": "044525593", "corr_account": "30101810200000000593"}


def field_error(response, field: str) -> str:
    html = response.content.decode()
    marker = f'data-testid="error-{field}">'
    start = html.index(marker) + len(marker)
    return html[start:html.index("</div>", start)]


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def defaults() -> tuple[list[str], list[str]]:
    return (
        list(LegalEntity.objects.filter(is_default=True).values_list("short_name", flat=True)),
        list(BankAccount.objects.filter(is_default=True).values_list("account", flat=True)),
    )


def test_admin_adds_a_second_entity_with_two_accounts_and_switches_defaults(admin_client, admin_user, romashka):
    # given the wizard's entity with its account as the defaults
    assert defaults() == (["ООО «Ромашка»"], ["40702810938000000001"])
    # when the administrator adds an individual entrepreneur
    response = admin_client.post("/administration/constants/entities/new/", LYUTIK_FORM, follow=True)
    # then
    assert messages_of(response) == ["Юридическое лицо «ИП Лютиков П. И.» добавлено."]
    lyutik = LegalEntity.objects.get(inn="500100732259")
    assert (lyutik.ogrn, lyutik.actual_address, lyutik.email, lyutik.is_default) == (
        "304500116000157", "г. Химки, ул. Лесная, д. 1", "lyutik@example.com", False
    )
    assert lyutik.created_by == lyutik.changed_by == admin_user
    # when two accounts are added to it
    first, second = alfa_account("00000000001"), alfa_account("00000000002")
    url = f"/administration/constants/entities/{lyutik.pk}/accounts/new/"
    added = [admin_client.post(url, {**ALFA, "account": number}, follow=True) for number in (first, second)]
    assert [messages_of(r) for r in added] == [[f"Счёт {first} добавлен."], [f"Счёт {second} добавлен."]]
    # then they are its accounts, and the defaults stay where they were
    assert list(lyutik.bank_accounts.order_by("pk").values_list("account", flat=True)) == [first, second]
    assert defaults() == (["ООО «Ромашка»"], ["40702810938000000001"])
    # when the entrepreneur becomes the default entity
    response = admin_client.post(f"/administration/constants/entities/{lyutik.pk}/default/", follow=True)
    # then the default account moves with it, to its first account
    assert messages_of(response) == ["«ИП Лютиков П. И.» теперь юридическое лицо по умолчанию."]
    assert defaults() == (["ИП Лютиков П. И."], [first])
    # when its second account becomes the default one
    second_pk = BankAccount.objects.get(account=second).pk
    response = admin_client.post(f"/administration/constants/accounts/{second_pk}/default/", follow=True)
    # then
    assert messages_of(response) == [f"Счёт {second} теперь счёт по умолчанию."]
    assert defaults() == (["ИП Лютиков П. И."], [second])
    assert selectors.default_legal_entity() == lyutik
    default_account = selectors.default_bank_account()
    assert default_account is not None and default_account.account == second
    # and choosing Romashka's account switches the entity back as well
    sber_pk = BankAccount.objects.get(account="40702810938000000001").pk
    admin_client.post(f"/administration/constants/accounts/{sber_pk}/default/")
    assert defaults() == (["ООО «Ромашка»"], ["40702810938000000001"])


def test_constants_page_lists_entities_with_accounts(admin_client, romashka, django_assert_max_num_queries):
    # given a second entity with an account
    other = services.legal_entity_create(acting_user=None, data=LegalEntityData(
        full_name="ИП Лютиков", short_name="ИП Лютиков", inn="500100732259"))
    services.bank_account_create(acting_user=None, entity_id=other.pk, data=BankAccountData(
        bank_name="АО «Альфа-Банк»", bik="044525593", account=alfa_account("00000000001")))
    # when
    with django_assert_max_num_queries(12):
        response = admin_client.get("/administration/constants/")
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('data-testid="entity"') == 2
    assert html.count('data-testid="account"') == 2
    assert html.count('data-testid="entity-default"') == 1
    assert html.count('data-testid="account-default"') == 1
    assert "40702810938000000001" in html
    assert "Предприятие: константы" in html  # the Administration menu item


def test_non_administrator_gets_403_and_anonymous_the_login_page(manager_client, romashka):
    account = romashka.bank_accounts.get()
    get_urls = [
        "/administration/constants/", "/administration/constants/entities/new/",
        f"/administration/constants/entities/{romashka.pk}/",
        f"/administration/constants/entities/{romashka.pk}/accounts/new/",
        f"/administration/constants/accounts/{account.pk}/",
    ]
    post_urls = [
        f"/administration/constants/entities/{romashka.pk}/delete/",
        f"/administration/constants/entities/{romashka.pk}/default/",
        f"/administration/constants/accounts/{account.pk}/delete/",
        f"/administration/constants/accounts/{account.pk}/default/",
    ]
    for url in get_urls:
        assert manager_client.get(url).status_code == 403, url
        anonymous = Client().get(url)
        assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/?next="), url
    for url in post_urls:
        assert manager_client.post(url).status_code == 403, url
    # the menu bar only: the informer's tips may mention the item by name
    menubar = manager_client.get("/").content.decode().split("</nav>", 1)[0]
    assert "Предприятие: константы" not in menubar
    assert LegalEntity.objects.count() == BankAccount.objects.count() == 1


def test_invalid_settlement_key_is_refused_next_to_the_field(admin_client, romashka):
    # when
    response = admin_client.post(
        f"/administration/constants/entities/{romashka.pk}/accounts/new/",
        {"bank_name": "ПАО Сбербанк", "bik": "044525225", "corr_account": "30101810400000000225",
         "account": "40702810938000000002"},
    )
    # then
    assert response.status_code == 200
    assert field_error(response, "account") == "Расчётный счёт: контрольный ключ не сходится с БИК"
    assert romashka.bank_accounts.count() == 1


def test_account_form_in_a_modal_answers_htmx(admin_client, romashka):
    url = f"/administration/constants/entities/{romashka.pk}/accounts/new/"
    headers = {"HX-Request": "true", "HX-Current-URL": "http://testserver/administration/constants/"}
    # when the modal is loaded
    form = admin_client.get(url, headers=headers)
    # then it is a fragment, with the required fields starred
    html = form.content.decode()
    assert "<html" not in html
    assert 'k-required" for="id_bik"' in html
    # when a wrong BIK is posted, the fragment comes back with the error
    wrong = admin_client.post(url, {"bank_name": "Банк", "bik": "12345", "account": "1"}, headers=headers)
    assert wrong.status_code == 200
    assert field_error(wrong, "bik") == "БИК должен состоять из 9 цифр"
    assert field_error(wrong, "account") == "Расчётный счёт должен состоять из 20 цифр"
    # when a good one is posted, the page is reloaded from where the modal was opened
    done = admin_client.post(url, {**ALFA, "account": alfa_account("00000000003")}, headers=headers)
    assert done.status_code == 204
    assert done["HX-Redirect"] == "http://testserver/administration/constants/"
    assert romashka.bank_accounts.count() == 2


def test_duplicate_account_of_the_same_entity_is_refused(admin_client, romashka):
    response = admin_client.post(
        f"/administration/constants/entities/{romashka.pk}/accounts/new/",
        {"bank_name": "ПАО Сбербанк", "bik": "044525225", "account": "40702810938000000001"},
    )
    assert field_error(response, "account") == "У этого юридического лица уже есть такой расчётный счёт в этом банке."


def test_entity_edit_validates_requisites_and_keeps_the_old_values(admin_client, romashka):
    # when
    response = admin_client.post(f"/administration/constants/entities/{romashka.pk}/", {
        "full_name": ROMASHKA.full_name, "short_name": ROMASHKA.short_name, "inn": ROMASHKA.inn,
        "kpp": "77360100", "ogrn": "1027700132196",
    })
    # then
    assert field_error(response, "kpp") == (
        "КПП должен состоять из 9 знаков: 4 цифры, 2 цифры или заглавные латинские буквы, 3 цифры"
    )
    assert field_error(response, "ogrn") == "ОГРН: неверное контрольное число"
    romashka.refresh_from_db()
    assert (romashka.kpp, romashka.ogrn) == ("773601001", "1027700132195")


def test_entity_edit_saves_and_records_who_changed(admin_client, admin_user, romashka):
    response = admin_client.post(f"/administration/constants/entities/{romashka.pk}/", {
        "full_name": ROMASHKA.full_name, "short_name": "ООО «Ромашка-М»", "inn": ROMASHKA.inn,
        "kpp": "7736AB001", "ogrn": ROMASHKA.ogrn, "director": "Сидоров С. С.", "apply": "1",
    }, follow=True)
    assert messages_of(response) == ["Юридическое лицо «ООО „Ромашка-М“» сохранено."]
    assert response.redirect_chain[-1][0] == f"/administration/constants/entities/{romashka.pk}/"
    romashka.refresh_from_db()
    assert (romashka.short_name, romashka.kpp, romashka.director, romashka.changed_by) == (
        "ООО «Ромашка-М»", "7736AB001", "Сидоров С. С.", admin_user
    )


def test_the_only_and_the_default_entity_cannot_be_deleted(admin_client, romashka):
    # when the only entity is deleted
    response = admin_client.post(f"/administration/constants/entities/{romashka.pk}/delete/", follow=True)
    # then
    assert messages_of(response) == [
        "Единственное юридическое лицо удалить нельзя: документы выписываются от имени юридического лица."
    ]
    # given a second entity
    other = services.legal_entity_create(acting_user=None, data=LegalEntityData(
        full_name="ИП Лютиков", short_name="ИП Лютиков", inn="500100732259"))
    # when the default one is deleted
    response = admin_client.post(f"/administration/constants/entities/{romashka.pk}/delete/", follow=True)
    # then
    assert messages_of(response) == [
        "Юридическое лицо по умолчанию удалить нельзя. Сначала сделайте юридическим лицом по умолчанию другое."
    ]
    assert LegalEntity.objects.count() == 2
    # when the other one is deleted
    response = admin_client.post(f"/administration/constants/entities/{other.pk}/delete/", follow=True)
    # then
    assert messages_of(response) == ["Юридическое лицо «ИП Лютиков» удалено."]
    assert list(LegalEntity.objects.all()) == [romashka]


def test_default_account_with_siblings_cannot_be_deleted(admin_client, romashka):
    # given a second account of the default entity
    other = services.bank_account_create(acting_user=None, entity_id=romashka.pk, data=BankAccountData(
        bank_name="АО «Альфа-Банк»", bik="044525593", account=alfa_account("00000000001")))
    default = romashka.bank_accounts.get(is_default=True)
    # when
    refused = admin_client.post(f"/administration/constants/accounts/{default.pk}/delete/", follow=True)
    deleted = admin_client.post(f"/administration/constants/accounts/{other.pk}/delete/", follow=True)
    # then
    assert messages_of(refused)[0] == (
        "Счёт по умолчанию удалить нельзя. Сначала сделайте счётом по умолчанию другой счёт этого юридического лица."
    )
    assert messages_of(deleted) == [f"Счёт {other.account} удалён."]
    assert list(BankAccount.objects.values_list("pk", flat=True)) == [default.pk]
    # and the last account of the entity may go
    admin_client.post(f"/administration/constants/accounts/{default.pk}/delete/")
    assert not BankAccount.objects.exists()
    assert selectors.default_bank_account() is None


def test_account_edit_changes_bank_and_checks_keys(admin_client, romashka):
    account = romashka.bank_accounts.get()
    new_number = alfa_account("00000000009")
    response = admin_client.post(f"/administration/constants/accounts/{account.pk}/", {**ALFA, "account": new_number})
    assert response.status_code == 302
    account.refresh_from_db()
    assert (account.bank_name, account.bik, account.account, account.is_default) == (
        "АО «Альфа-Банк»", "044525593", new_number, True
    )


def test_entity_pages_show_the_form_filled_in_and_the_accounts(admin_client, romashka):
    # when
    new = admin_client.get("/administration/constants/entities/new/").content.decode()
    edit = admin_client.get(f"/administration/constants/entities/{romashka.pk}/").content.decode()
    # then
    assert "Новое юридическое лицо" in new
    assert 'k-required" for="id_short_name"' in new
    assert 'for="id_phone">Телефон<' in new
    assert 'value="1027700132195"' in edit
    assert 'value="ООО «Ромашка»"' in edit
    assert edit.count('data-testid="account"') == 1
    assert ">Применить<" in edit


def test_unknown_entity_and_account_are_404(admin_client, romashka):
    assert admin_client.get("/administration/constants/entities/999/").status_code == 404
    assert admin_client.get("/administration/constants/accounts/999/").status_code == 404
    assert admin_client.post("/administration/constants/accounts/999/default/").status_code == 404


def test_account_form_works_as_a_page_without_javascript(admin_client, romashka):
    # given the entity's page as the place to come back to
    back = f"/administration/constants/entities/{romashka.pk}/"
    url = f"/administration/constants/entities/{romashka.pk}/accounts/new/"
    # when
    page = admin_client.get(url, {"next": back}).content.decode()
    done = admin_client.post(url, {**ALFA, "account": alfa_account("00000000004"), "next": back})
    elsewhere = admin_client.post(url, {**ALFA, "account": alfa_account("00000000005"), "next": "https://evil.example/"})
    # then
    assert "<html" in page and "hx-post" not in page
    assert f'name="next" value="{back}"' in page
    assert done["Location"] == back
    assert elsewhere["Location"] == "/administration/constants/"


def test_constants_page_costs_the_same_queries_whatever_the_number_of_entities_and_accounts(admin_client, romashka):
    # given: a page already seen once (the session's own bookkeeping is done)
    admin_client.get("/administration/constants/")
    with count_queries() as few:
        admin_client.get("/administration/constants/")
    for n in range(1, 4):
        entity = services.legal_entity_create(acting_user=None, data=LegalEntityData(
            full_name=f"ИП Лютиков {n}", short_name=f"ИП Лютиков {n}", inn="500100732259"))
        for tail in ("00000000001", "00000000002"):
            services.bank_account_create(acting_user=None, entity_id=entity.pk, data=BankAccountData(
                bank_name="АО «Альфа-Банк»", bik="044525593", account=alfa_account(tail)))
    # when
    with count_queries() as many:
        response = admin_client.get("/administration/constants/")
    # then
    assert response.content.decode().count('data-testid="account"') == 7
    assert len(many) == len(few)


def test_entity_card_costs_the_same_queries_whatever_the_number_of_accounts(admin_client, romashka):
    # given: a card already seen once (the session's own bookkeeping is done)
    url = f"/administration/constants/entities/{romashka.pk}/"
    admin_client.get(url)
    with count_queries() as few:
        admin_client.get(url)
    for tail in ("00000000001", "00000000002", "00000000003"):
        services.bank_account_create(acting_user=None, entity_id=romashka.pk, data=BankAccountData(
            bank_name="АО «Альфа-Банк»", bik="044525593", account=alfa_account(tail)))
    # when
    with count_queries() as many:
        page = admin_client.get(url).content.decode()
    # then
    assert page.count('data-testid="account"') == 4
    assert len(many) == len(few)


# --- the stamp and signatures (INV-06) ---------------------------------------------------------------------------


def _png(name: str = "stamp.png"):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGBA", (60, 60), "blue").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.mark.feature("INV-06")
def test_the_entity_card_uploads_shows_and_removes_the_stamp(admin_client, romashka, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}}}
    card = f"/administration/constants/entities/{romashka.pk}/"
    url = f"{card}images/"
    page = admin_client.get(card).content.decode()
    assert 'data-testid="entity-images-form"' in page and 'enctype="multipart/form-data"' in page
    assert 'data-testid="entity-image-stamp-shown"' not in page
    # a file that is no picture is refused next to its field, nothing stored
    refused = admin_client.post(url, {"director_signature": _png_bytes_named("sign.png", b"GIF89a nonsense")})
    assert refused.status_code == 200
    assert field_error(refused, "director_signature") == "Загрузите изображение PNG или JPEG."
    romashka.refresh_from_db()
    assert not romashka.director_signature
    # a PNG is stored and shown on the card
    saved = admin_client.post(url, {"stamp": _png()})
    assert saved.status_code == 302 and saved["Location"] == card
    page = admin_client.get(card).content.decode()
    assert 'data-testid="entity-image-stamp-shown"' in page and 'src="data:image/png;base64,' in page
    # «Удалить» takes it away
    admin_client.post(url, {"remove_stamp": "on"})
    romashka.refresh_from_db()
    assert not romashka.stamp
    assert 'data-testid="entity-image-stamp-shown"' not in admin_client.get(card).content.decode()


def _png_bytes_named(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="image/png")


@pytest.mark.feature("INV-06")
def test_only_an_administrator_changes_the_stamp(manager_client, romashka):
    response = manager_client.post(f"/administration/constants/entities/{romashka.pk}/images/", {"stamp": _png()})
    assert response.status_code == 403
    romashka.refresh_from_db()
    assert not romashka.stamp
