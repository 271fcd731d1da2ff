"""The card's one save model in a real browser (the daily-use issue's first item, "silent data loss"): what is typed
on any tab is kept by the card's OK or Apply, whichever tabs were opened and in whatever order."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kontora.clients.models import (
    Client,
    ClientGrant,
    ClientMailing,
    ClientPersonal,
    ClientRegistration,
    ClientSecurity,
    ClientShipping,
)
from kontora.core.services.settings import system_settings_update
from kontora.directories.attributes.services import field_name
from kontora.directories.models import Attribute
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.clients.support import OKPO, VALID_INN, make_attribute
from tests.support.browser import sign_in

PERSON_INN = "500100732259"  # a person's INN with right check digits
NEW_INN = "5001007329"  # a company's INN with a right check digit, not the setup client's (no duplicate)

# What the user types, tab by tab: (tab, field's id, value).
TYPED = [
    ("general", "#id_notes", "Звонить после обеда"),
    ("operational", "#id_next_contact_date", "2030-01-15"),
    ("registration", "#id_kpp", "770701001"),
    ("registration", "#id_reg-okpo", OKPO),
    ("registration", "#id_reg-okved", "62.01"),
    ("registration", "#id_reg-legal_address", "125009, г. Москва, ул. Тверская, д. 1"),
    ("registration", "#id_reg-director", "Иванов Иван Иванович"),
    ("security", "#id_si-reputation", "Платит в срок"),
    ("shipping", "#id_sh-carrier", "ТК «Быстро»"),
]


def _open(page, tab: str) -> None:
    page.get_by_test_id(f"tab-{tab}").click()
    expect(page.locator(f"#tab-{tab}")).to_be_visible()
    if tab != "general":
        expect(page.get_by_test_id(f"pane-{tab}").locator("input, textarea, select").first).to_be_attached()


@pytest.fixture
def setup(admin_user, manager_user, transactional_db):
    system_settings_update(acting_user=admin_user, security_tab_enabled=True, shipping_tab_enabled=True)
    colour = make_attribute(Attribute.Kind.TEXT, "Цвет логотипа")
    colleague = UserFactory(login="colleague", full_name="Коллега Коллегов", client_scope="own")
    client = ClientFactory(curator=manager_user, short_name="Ромашка", full_name="ООО «Ромашка»", inn=VALID_INN)
    return client, colleague, f"#id_{field_name(colour.pk)}"


@pytest.mark.feature("CLI-01", "CLI-03", "CLI-04", "CLI-06", "CLI-09", "CLI-10", "CLI-11", "ACL-02")
def test_what_is_typed_on_every_tab_is_kept_by_ok(page, live_server, setup):
    client, colleague, colour = setup
    base = live_server.url
    sign_in(page, base, "manager")
    page.goto(f"{base}/clients/{client.pk}/")
    # when the manager types on every tab of the card, ticks "exclude from e-mail mailing" and gives a colleague
    # access, then presses the card's OK
    for tab, selector, value in TYPED:
        _open(page, tab)
        page.fill(selector, value)
    _open(page, "attributes")
    page.fill(colour, "Синий")
    _open(page, "mailing")
    page.check("#id_ms-exclude_email")
    _open(page, "access")
    page.check(f"input[name=granted][value='{colleague.pk}']")
    page.get_by_test_id("client-ok").click()
    page.wait_for_url(re.compile(rf"{base}/\?focus={client.pk}(#[\w-]+)?$"))  # back on the client's row

    # then on reopening the card every tab shows what was typed
    page.goto(f"{base}/clients/{client.pk}/")
    for tab, selector, value in TYPED:
        _open(page, tab)
        expect(page.locator(selector)).to_have_value(value)
    _open(page, "attributes")
    expect(page.locator(colour)).to_have_value("Синий")
    _open(page, "mailing")
    expect(page.locator("#id_ms-exclude_email")).to_be_checked()
    _open(page, "access")
    expect(page.locator(f"input[name=granted][value='{colleague.pk}']")).to_be_checked()
    # and the base holds it
    client.refresh_from_db()
    assert (client.notes, client.kpp, str(client.next_contact_date)) == (
        "Звонить после обеда", "770701001", "2030-01-15")
    registration = ClientRegistration.objects.get(client=client)
    assert (registration.okpo, registration.okved, registration.director) == (OKPO, "62.01", "Иванов Иван Иванович")
    assert ClientMailing.objects.get(client=client).exclude_email is True
    assert ClientSecurity.objects.get(client=client).reputation == "Платит в срок"
    assert ClientShipping.objects.get(client=client).carrier == "ТК «Быстро»"
    assert ClientGrant.objects.filter(client=client, user=colleague).exists()


@pytest.mark.feature("CLI-06", "CLI-11")
def test_kpp_and_a_field_of_another_tab_are_both_kept_by_apply(page, live_server, setup):
    client, _colleague, _colour = setup
    ClientRegistration.objects.create(client=client, oktmo="45382000")
    base = live_server.url
    sign_in(page, base, "manager")
    page.goto(f"{base}/clients/{client.pk}/")
    # when the manager changes the KPP on Registration data and the carrier on Shipping, then presses Apply
    _open(page, "registration")
    page.fill("#id_kpp", "770701001")
    _open(page, "shipping")
    page.fill("#id_sh-carrier", "ТК «Быстро»")
    page.get_by_test_id("client-apply").click()
    # then the card comes back on the tab he was on, with both values, and the OKTMO he did not touch kept
    page.wait_for_url(f"{base}/clients/{client.pk}/#tab-shipping")
    expect(page.locator("#id_sh-carrier")).to_have_value("ТК «Быстро»")
    _open(page, "registration")
    expect(page.locator("#id_kpp")).to_have_value("770701001")
    expect(page.locator("#id_reg-oktmo")).to_have_value("45382000")
    saved = Client.objects.get(pk=client.pk)
    assert saved.kpp == "770701001" and ClientShipping.objects.get(client=client).carrier == "ТК «Быстро»"
    assert ClientRegistration.objects.get(client=client).oktmo == "45382000"


@pytest.mark.feature("CLI-01")
def test_opening_the_card_asks_the_server_twice_and_a_tab_once(page, live_server, setup):
    client, _colleague, _colour = setup
    base = live_server.url
    sign_in(page, base, "manager")
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url) if request.resource_type in (
        "document", "xhr", "fetch") else None)
    # when the card is opened and left alone
    page.goto(f"{base}/clients/{client.pk}/")
    page.wait_for_load_state("networkidle")
    # then the page and the bell's first poll are all it asked for
    assert [url.removeprefix(base).split("?")[0] for url in asked] == [
        f"/clients/{client.pk}/", "/notifications/poll/"]
    # when a tab is shown, its pane is one more request, and showing it again asks nothing
    asked.clear()
    _open(page, "registration")
    page.wait_for_load_state("networkidle")
    _open(page, "general")
    _open(page, "registration")
    page.wait_for_load_state("networkidle")
    # (the bell's poll every 4 seconds is no part of the tab)
    assert [url.removeprefix(base) for url in asked if "/notifications/poll/" not in url] == [
        f"/clients/{client.pk}/registration/"]


# What the user types on a new company card, tab by tab: (tab, field's id, value).
NEW_TYPED = [
    ("general", "#id_notes", "Новый клиент с выставки"),
    ("operational", "#id_next_contact_date", "2030-02-01"),
    ("registration", "#id_inn", NEW_INN),
    ("registration", "#id_kpp", "500101001"),
    ("registration", "#id_reg-okpo", OKPO),
    ("registration", "#id_reg-okved", "62.01"),
    ("registration", "#id_reg-legal_address", "125009, г. Москва, ул. Тверская, д. 1"),
    ("registration", "#id_reg-director", "Иванов Иван Иванович"),
]


@pytest.mark.feature("CLI-01", "CLI-03", "CLI-04", "CLI-06", "CLI-15", "ACL-02")
def test_what_is_typed_on_every_tab_of_a_new_card_is_kept_by_ok(page, live_server, setup):
    _client, colleague, colour = setup
    base = live_server.url
    sign_in(page, base, "manager")
    page.goto(f"{base}/clients/new/?kind=company")
    # when the manager fills in a new card on every tab it has and presses OK
    page.fill("#id_short_name", "Лютик")
    for tab, selector, value in NEW_TYPED:
        page.get_by_test_id(f"tab-{tab}").click()
        page.fill(selector, value)
    page.get_by_test_id("tab-attributes").click()
    page.fill(colour, "Зелёный")
    page.get_by_test_id("tab-access").click()
    page.check(f"input[name=granted][value='{colleague.pk}']")
    page.get_by_test_id("client-ok").click()
    # then the new card stays open with its code, and on reopening every tab shows what was typed
    page.wait_for_url(re.compile(rf"{base}/clients/\d+/(#[\w-]+)?$"))
    client = Client.objects.get(short_name="Лютик")
    page.goto(f"{base}/clients/{client.pk}/")
    for tab, selector, value in NEW_TYPED:
        _open(page, tab)
        expect(page.locator(selector)).to_have_value(value)
    _open(page, "attributes")
    expect(page.locator(colour)).to_have_value("Зелёный")
    _open(page, "access")
    expect(page.locator(f"input[name=granted][value='{colleague.pk}']")).to_be_checked()
    registration = ClientRegistration.objects.get(client=client)
    assert (client.inn, client.kpp, client.notes) == (NEW_INN, "500101001", "Новый клиент с выставки")
    assert (registration.okpo, registration.okved, registration.director) == (OKPO, "62.01", "Иванов Иван Иванович")
    assert ClientGrant.objects.filter(client=client, user=colleague).exists()


@pytest.mark.feature("CLI-01")
def test_a_new_card_switched_to_a_person_keeps_its_inn_on_the_passport_tab(page, live_server, setup):
    base = live_server.url
    sign_in(page, base, "manager")
    page.goto(f"{base}/clients/new/?kind=company")
    page.fill("#id_short_name", "Петров Пётр Петрович")
    # given the INN typed on Registration data while the card was a company's
    page.get_by_test_id("tab-registration").click()
    page.fill("#id_inn", PERSON_INN)
    page.fill("#id_reg-okpo", OKPO)
    # when the card is switched to a person
    page.check("input[name=kind][value=person]")
    # then Registration data is gone, the Passport tab is there with the INN carried over, and Common is shown
    expect(page.get_by_test_id("tab-registration")).to_be_hidden()
    expect(page.locator("#tab-general")).to_be_visible()
    page.get_by_test_id("tab-personal").click()
    expect(page.locator("#id_personal-inn")).to_have_value(PERSON_INN)
    page.fill("#id_personal-passport_series", "4510")
    page.get_by_test_id("client-ok").click()
    # and OK keeps the INN and the passport: the person's own card shows them
    page.wait_for_url(re.compile(rf"{base}/clients/\d+/(#[\w-]+)?$"))
    client = Client.objects.get(short_name="Петров Пётр Петрович")
    assert (client.kind, client.inn) == ("person", PERSON_INN)
    assert ClientPersonal.objects.get(client=client).passport_series == "4510"
    assert not ClientRegistration.objects.filter(client=client).exists()  # nothing of the hidden tab was sent
    page.goto(f"{base}/clients/{client.pk}/")
    _open(page, "personal")
    expect(page.locator("#id_personal-inn")).to_have_value(PERSON_INN)
    # and switching a new card back to a company brings the INN back to Registration data
    page.goto(f"{base}/clients/new/?kind=person")
    page.get_by_test_id("tab-personal").click()
    page.fill("#id_personal-inn", PERSON_INN)
    page.check("input[name=kind][value=company]")
    expect(page.get_by_test_id("tab-personal")).to_be_hidden()
    page.get_by_test_id("tab-registration").click()
    expect(page.locator("#id_inn")).to_have_value(PERSON_INN)
