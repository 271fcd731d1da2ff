"""The card's words (issue 13, item 16): a person and a contact are named by «ФИО», not by an organisation's
«Краткое/Полное наименование»; the client's size is «Размер предприятия» wherever it shows, as the manual names
it; the message of a save puts the name's own quotes inside as „…“, not «…«…»»; the Flexi-filter's description of
a contact's condition does not say «содержит содержит»; the curator list's empty choice is «—»; a number attribute
shows «12», not «12,0000»; the passport's grey placeholders are hints of the form, not numbers that look typed."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest

from kontora.clients.flexi.selectors.fields import catalogue
from kontora.clients.flexi.selectors.specs import describe
from kontora.clients.models import Client, ClientGrant
from kontora.directories.attributes.services import field_name
from kontora.directories.models import Attribute, AttributeValue
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.clients.support import card_submit, make_attribute
from tests.support.http import html, signed_in
from tests.support.texts import texts_problems


def _labels(page: str) -> dict[str, str]:
    """A card's field labels by field name."""
    return {name: text.strip() for name, text in re.findall(r'<label[^>]*for="id_(\w+)"[^>]*>([^<]*)</label>', page)}


@pytest.mark.feature("CLI-01")
def test_a_persons_card_names_the_person_by_fio(curator: Any) -> None:
    # given a person client, and a company one (the control)
    person = ClientFactory(curator=curator, kind=Client.Kind.PERSON, short_name="Иванов И. И.")
    company = ClientFactory(curator=curator, short_name="Ромашка")
    browser = signed_in(curator)
    # when the curator opens the person's card, a new person's card and the company's card
    opened = _labels(html(browser.get(f"/clients/{person.pk}/")))
    new = _labels(html(browser.get("/clients/new/?kind=person")))
    firm = _labels(html(browser.get(f"/clients/{company.pk}/")))
    # then the person is named by «ФИО»; a company keeps its «наименование»
    for labels in (opened, new):
        assert (labels["short_name"], labels["full_name"]) == ("ФИО", "ФИО полностью")
    assert (firm["short_name"], firm["full_name"]) == ("Краткое наименование", "Полное наименование")


@pytest.mark.feature("CLI-05")
def test_a_contacts_name_is_labelled_fio(curator: Any) -> None:
    # given a company client
    company = ClientFactory(curator=curator, short_name="Ромашка")
    # when the curator adds a contact to it
    labels = _labels(html(signed_in(curator).get(f"/clients/{company.pk}/contacts/new/")))
    # then the contact's name is «ФИО»
    assert labels["full_name"] == "ФИО"


@pytest.mark.feature("CLI-01", "REG-04")
def test_the_clients_size_is_named_as_the_manual_names_it(curator: Any) -> None:
    # given the card and the Flexi-filter's catalogue
    company = ClientFactory(curator=curator, short_name="Ромашка")
    page = html(signed_in(curator).get(f"/clients/{company.pk}/"))
    filter_labels = [str(field.label) for _code, _label, fields in catalogue() for field in fields]
    # then both say «Размер предприятия», never «Размер компании»
    assert _labels(page)["size"] == "Размер предприятия"
    assert "Размер предприятия" in filter_labels and "Размер компании" not in filter_labels


@pytest.mark.feature("CLI-01")
def test_the_saved_message_nests_the_names_own_quotes(curator: Any) -> None:
    # given a client whose name has quotes of its own
    company = ClientFactory(curator=curator, short_name="ООО «Ромашка-Тест»", phone="+7 495 111-22-33")
    browser = signed_in(curator)
    # when the curator saves it
    response = card_submit(browser, company, {"phone": "+7 495 999-00-00"})
    # then the message quotes the name once, its own quotes inside as „…“
    assert response.status_code == 302
    shown = html(browser.get(response["Location"]))
    assert f"Клиент «{company.code} · ООО „Ромашка-Тест“» сохранён." in shown
    assert "»»" not in shown


@pytest.mark.feature("REG-04")
def test_a_contacts_condition_is_described_without_a_doubled_word(curator: Any) -> None:
    # given conditions on a contact's name and phone
    spec = {"op": "and", "items": [{"field": "contact_name", "operator": "contains", "value": "Петров"},
                                   {"field": "contact_phone", "operator": "contains", "value": "916"}]}
    # when the filter is described
    text = describe(spec)
    # then each field says «содержит» once
    assert text == "ФИО контактного лица содержит «Петров» И Телефон контактного лица содержит «916»", text
    assert texts_problems([text]) == []
    assert texts_problems(["ФИО контактного лица содержит содержит «Петров»"]) != []  # the check sees the fault


@pytest.mark.feature("CLI-01")
def test_the_curator_lists_empty_choice_is_a_dash(curator: Any) -> None:
    # when the curator opens a new card
    page = html(signed_in(curator).get("/clients/new/"))
    # then the lists' empty choice is «—», not Django's «---------»
    assert '<option value="">—</option>' in page or '<option value="" selected>—</option>' in page
    assert "---------" not in page


@pytest.mark.feature("CLI-03", "DIR-06")
def test_a_number_attribute_shows_without_trailing_zeros(curator: Any) -> None:
    # given a client with the numbers 12 and 3.5 in two number attributes, and a colleague who may only view it
    company = ClientFactory(curator=curator, short_name="Ромашка")
    whole, part = make_attribute(Attribute.Kind.NUMBER, "Машин"), make_attribute(Attribute.Kind.NUMBER, "Тоннаж")
    AttributeValue.objects.create(client_id=company.pk, attribute=whole, number=Decimal("12"))
    AttributeValue.objects.create(client_id=company.pk, attribute=part, number=Decimal("3.5"))
    viewer = UserFactory(login="viewer", client_scope="own")
    ClientGrant.objects.create(client=company, user=viewer, can_edit=False)
    # when the curator and the viewer open the Attributes tab
    pane = html(signed_in(curator).get(f"/clients/{company.pk}/attributes/"))
    shown = html(signed_in(viewer).get(f"/clients/{company.pk}/attributes/"))
    # then the curator's fields hold «12» and «3,5», and the viewer reads the same
    assert f'name="{field_name(whole.pk)}" value="12"' in pane and f'name="{field_name(part.pk)}" value="3,5"' in pane
    assert re.search(r'data-testid="value-attr_\d+">12<', shown) and re.search(r'>3,5<', shown)
    assert "0000" not in pane + shown


def _placeholders(page: str) -> dict[str, str]:
    found = {}
    for tag in re.findall(r"<input\b[^>]*>", page):
        name, hint = re.search(r'name="([^"]+)"', tag), re.search(r'placeholder="([^"]*)"', tag)
        if name and hint:
            found[name.group(1)] = hint.group(1)
    return found


@pytest.mark.feature("CLI-01")
def test_the_passport_fields_hint_at_their_form_instead_of_showing_sample_numbers(curator: Any) -> None:
    # when the curator opens a person's Passport data
    person = ClientFactory(curator=curator, kind=Client.Kind.PERSON, short_name="Иванов И. И.")
    hints = _placeholders(html(signed_in(curator).get(f"/clients/{person.pk}/personal/")))
    # then the placeholders say what to type, and none is a number that reads as someone's data
    assert {name.removeprefix("personal-"): hint for name, hint in hints.items()} == {
        "passport_series": "4 цифры", "passport_number": "6 цифр", "passport_division": "000-000",
        "snils": "11 цифр"}
