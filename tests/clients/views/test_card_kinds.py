"""A new card of either kind of client (CLI-01): a person's INN is kept on its own card — the Passport tab, 12 digits,
checked — and a new card carries the tabs of both kinds, those of the other kind hidden and never posted, so a field
is never shown where its value would not be saved."""

from __future__ import annotations

import re
from typing import Any

import pytest

from kontora.clients.models import Client, ClientPersonal, ClientRegistration
from tests.clients.factories import ClientFactory
from tests.clients.support import VALID_INN, card_post, card_submit
from tests.support.forms import form_data
from tests.support.http import html

PERSON_INN = "500100732259"  # a person's INN with right check digits


def _pane_fieldset(page: str, code: str) -> str:
    """The opening tag of the fieldset that holds a new card's pane `code`."""
    found = re.search(rf'<div class="tab-pane[^"]*" id="tab-{code}"[^>]*>\s*(<fieldset[^>]*>)', page)
    assert found, code
    return found.group(1)


@pytest.mark.feature("CLI-01")
def test_a_new_company_card_carries_the_persons_passport_tab_hidden_and_posts_nothing_of_it(
        manager_client: Any) -> None:
    # given a new company card
    page = html(manager_client.get("/clients/new/?kind=company"))
    # then the Registration data tab is shown and its fields are posted
    assert "disabled" not in _pane_fieldset(page, "registration")
    assert re.search(r'<li class="nav-item" role="presentation" data-k-kinds="company"><button[^>]*'
                     r'data-testid="tab-registration"', page)
    # and the person's Passport tab is there for the switch, hidden, its fields never posted
    assert "disabled" in _pane_fieldset(page, "personal")
    assert re.search(r'<li class="nav-item d-none" role="presentation" data-k-kinds="person"><button[^>]*'
                     r'data-testid="tab-personal"', page)
    sent = form_data(page, "client-card-form")
    assert "inn" in sent and "reg-okpo" in sent
    assert "personal-snils" not in sent and "personal-read" not in sent
    # a tab of both kinds is neither marked off nor disabled
    assert "disabled" not in _pane_fieldset(page, "operational")


@pytest.mark.feature("CLI-01")
def test_a_new_persons_inn_is_kept_on_its_passport_tab(manager_client: Any) -> None:
    # given a new card switched to a person (the page as the browser shows it then)
    page = html(manager_client.get("/clients/new/?kind=person"))
    assert "disabled" in _pane_fieldset(page, "registration") and "disabled" not in _pane_fieldset(page, "personal")
    data = form_data(page, "client-card-form")
    assert "reg-okpo" not in data
    # when the person's name, INN and passport series are typed and the card saved
    data.setlist("short_name", ["Петров Пётр"])
    data.setlist("inn", [PERSON_INN])
    data.setlist("personal-passport_series", ["4510"])
    response = manager_client.post("/clients/new/", dict(data.lists()))
    # then the person is registered with its INN and passport
    assert response.status_code == 302, html(response)[:2000]
    client = Client.objects.get()
    assert (client.kind, client.inn) == ("person", PERSON_INN)
    assert ClientPersonal.objects.get(client=client).passport_series == "4510"
    assert not ClientRegistration.objects.filter(client=client).exists()
    # and the person's own card shows it on the Passport tab
    pane = html(manager_client.get(f"/clients/{client.pk}/personal/"))
    assert f'name="inn" value="{PERSON_INN}"' in pane and 'id="id_personal-inn"' in pane


@pytest.mark.feature("CLI-01")
@pytest.mark.parametrize(("typed", "message"), [
    (VALID_INN, "ИНН физического лица состоит из 12 цифр."),
    ("500100732250", "ИНН: неверное контрольное число"),
])
def test_a_persons_inn_of_a_company_or_with_a_wrong_check_digit_is_refused_next_to_it(
        manager_client: Any, typed: str, message: str) -> None:
    data = form_data(html(manager_client.get("/clients/new/?kind=person")), "client-card-form")
    data.setlist("short_name", ["Петров Пётр"])
    data.setlist("inn", [typed])
    response = manager_client.post("/clients/new/", dict(data.lists()))
    # then nothing is saved and the message stands under the INN of the Passport tab
    assert response.status_code == 200 and not Client.objects.exists()
    page = html(response)
    passport = page[page.index('id="tab-personal"'):]
    assert 'data-testid="error-inn"' in passport and message in passport


@pytest.mark.feature("CLI-01")
def test_an_existing_persons_inn_is_changed_on_its_passport_tab(manager_user: Any, manager_client: Any) -> None:
    person = ClientFactory(curator=manager_user, short_name="Сидоров Пётр", kind="person")
    response = card_submit(manager_client, person, {"inn": PERSON_INN}, tabs=["personal"])
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.inn == PERSON_INN


@pytest.mark.feature("CLI-01")
def test_a_company_card_still_posts_its_inn_from_registration_data(manager_client: Any) -> None:
    # positive control of the company's side: the INN typed on Registration data is kept
    response = manager_client.post("/clients/new/", card_post(short_name="Ромашка", inn=VALID_INN))
    assert response.status_code == 302
    assert Client.objects.get().inn == VALID_INN
