"""The text clean-ups of the automatic processing (IMP-01, step 2): spaces, quotes in company names, a short name
made from a full one, and a person's full name split and capitalised."""

from __future__ import annotations

import pytest

from kontora.imports.selectors.texts import (
    person_joined,
    person_split,
    quotes_normalised,
    short_name_of,
    spaces_normalised,
)

pytestmark = pytest.mark.feature("IMP-01")


def test_spaces_are_collapsed_and_trimmed_and_a_note_keeps_its_lines():
    assert spaces_normalised("  ООО\u00a0«Ёлка» \t торг ") == "ООО «Ёлка» торг"
    assert spaces_normalised("Клиент\r\n  Смирнова \n\n звонить  утром ", lines=True) == (
        "Клиент\nСмирнова\nзвонить утром")


@pytest.mark.parametrize(("typed", "kept"), [
    ('ООО "Арсенал-Сервис"', "ООО «Арсенал-Сервис»"),
    ("ООО “Арсенал-Сервис”", "ООО «Арсенал-Сервис»"),
    ("ООО „Арсенал-Сервис“", "ООО «Арсенал-Сервис»"),
    ("ООО «Арсенал-Сервис»", "ООО «Арсенал-Сервис»"),
    ('ООО "Фирма "Ромашка""', "ООО «Фирма „Ромашка“»"),
    ('ООО ""Ромашка""', "ООО «Ромашка»"),  # quoted twice over, as a CSV's escaping leaves it
    ('ООО"Ромашка"', "ООО «Ромашка»"),
    ('"Ромашка", ООО', "«Ромашка», ООО"),
    ('ООО "Ромашка', 'ООО "Ромашка'),  # unpaired: left as typed
    ("ИП Петров", "ИП Петров"),
])
def test_quotes_in_company_names_become_the_clients_quotes(typed, kept):
    assert quotes_normalised(typed) == kept


@pytest.mark.parametrize(("full", "short"), [
    ("Общество с ограниченной ответственностью «Ромашка»", "ООО «Ромашка»"),
    ("ПУБЛИЧНОЕ АКЦИОНЕРНОЕ ОБЩЕСТВО «Сбербанк»", "ПАО «Сбербанк»"),
    ("Акционерное общество «Ось»", "АО «Ось»"),
    ("Индивидуальный предприниматель Петров Пётр Петрович", "ИП Петров Пётр Петрович"),
    ("ООО «Ромашка»", "ООО «Ромашка»"),
    ("Акционерное обществознание", "Акционерное обществознание"),
])
def test_a_short_name_is_made_from_the_full_one(full, short):
    assert short_name_of(full) == short


@pytest.mark.parametrize(("typed", "parts"), [
    ("ГРИШИНА оксана викторовна", ("Гришина", "Оксана", "Викторовна")),
    ("Гришина Оксана Викторовна", ("Гришина", "Оксана", "Викторовна")),
    ("  гришина   оксана  ", ("Гришина", "Оксана", "")),
    ("римский-КОРСАКОВ николай андреевич", ("Римский-Корсаков", "Николай", "Андреевич")),
    ("Салтыкова-Щедрина Анна-Мария", ("Салтыкова-Щедрина", "Анна-Мария", "")),
    ("Иванов И.И.", ("Иванов", "И.", "И.")),
    ("Иванов И. И.", ("Иванов", "И.", "И.")),
    ("иванов и.и", ("Иванов", "И.", "И.")),
    ("И.И. Иванов", ("Иванов", "И.", "И.")),
    ("Оксана Викторовна Гришина", ("Гришина", "Оксана", "Викторовна")),
    ("МАМЕДОВ рашид ГАСАН ОГЛЫ", ("Мамедов", "Рашид", "Гасан оглы")),
    ("МакДональд Джон", ("МакДональд", "Джон", "")),
    ("Гришина", ("Гришина", "", "")),
    ("", ("", "", "")),
])
def test_a_persons_full_name_is_split_and_capitalised(typed, parts):
    assert person_split(typed) == parts


@pytest.mark.parametrize("typed", [
    "ООО Ромашка 2", "Гришина (бухгалтер)", "Гришина Оксана Викторовна Петровна Ивановна",
])
def test_a_text_that_is_no_persons_name_is_not_split(typed):
    assert person_split(typed) is None


def test_the_parts_joined_as_the_contacts_card_keeps_them():
    assert person_joined("Иванов", "И.", "И.") == "Иванов И. И."
    assert person_joined("Гришина", "Оксана", "") == "Гришина Оксана"
