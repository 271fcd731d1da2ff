"""The columns of a client list (IMP-02): the manual's layout A–N by position, the fields named by a header row,
the mapping the user chose checked, and the leading zeros an identifier typed as a number lost."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import translation

from kontora.core.errors import Refused
from kontora.imports.selectors import columns
from kontora.imports.selectors.columns import (
    FIELDS,
    column_letter,
    digits_restored,
    header_field,
    is_header,
    mapping_check,
    mapping_default,
    mapping_from_header,
    mapping_propose,
    row_values,
)
from kontora.imports.selectors.sheets import table_open

pytestmark = pytest.mark.feature("IMP-02")

DATA = Path(__file__).resolve().parents[1] / "data"


def test_the_default_mapping_is_the_manuals_columns_a_to_n():
    # when
    mapping = mapping_default()
    # then
    with translation.override("ru"):
        labels = {column_letter(column): str(columns.BY_KEY[key].label) for column, key in mapping.items()}
    assert labels == {
        "A": "Полное наименование", "B": "Короткое наименование", "C": "Регион", "D": "Город", "E": "Район",
        "F": "Почтовый индекс", "G": "Адрес", "H": "Телефон", "I": "Факс", "J": "E-mail общий", "K": "Web site",
        "L": "Примечание", "M": "ФИО контактного лица", "N": "E-mail контактного лица",
    }


def test_the_catalogue_offers_the_further_fields_in_both_languages():
    # when
    further = [item for item in FIELDS if item.key not in columns.MANUAL_ORDER]
    # then
    with translation.override("ru"):
        assert [str(item.label) for item in further] == [
            "ИНН", "КПП", "ОГРН / ОГРНИП", "Мобильный телефон", "Должность контактного лица", "Статус", "Куратор"]
    with translation.override("en"):
        assert [str(item.label) for item in further] == [
            "INN", "KPP", "OGRN / OGRNIP", "Mobile phone", "Contact's position", "Status", "Curator"]


@pytest.mark.parametrize(("header", "key"), [
    ("ИНН", "inn"), ("  инн ", "inn"), ("INN", "inn"), ("КПП", "kpp"), ("Полное наименование", "full_name"),
    ("ПОЛНОЕ   НАИМЕНОВАНИЕ", "full_name"), ("Full name", "full_name"), ("Телефон", "phone"), ("E-mail", "email"),
    ("e-mail общий", "email"), ("Email", "email"), ("E-mail контактного лица", "contact_email"),
    ("ФИО контактного лица", "contact_full_name"), ("Почтовый индекс", "postal_code"), ("Web site", "website"),
    ("Населённый пункт", "city"), ("ОГРН", "ogrn"), ("Мобильный телефон", "mobile"), ("Куратор", "curator"),
    ("Что-то своё", None), ("", None),
])
def test_headers_are_recognised_by_name(header, key):
    assert header_field(header) == key


def test_the_manuals_header_row_is_a_header_and_its_example_row_is_not():
    # given
    with table_open(DATA / "arsenal.xlsx") as table:
        header, example = (row.cells for row in list(table.rows())[:2])
    # when / then
    assert is_header(header)
    assert not is_header(example)
    assert not is_header(["", " "])


def test_a_header_maps_its_columns_and_data_first_takes_the_manuals_order():
    # given
    with table_open(DATA / "arsenal.xlsx") as table:
        header = next(table.rows()).cells
    with table_open(DATA / "utf8.csv") as table:
        data = next(table.rows()).cells
    # when
    by_header, by_position = mapping_propose(header), mapping_propose(data)
    # then
    assert by_header == (True, {**mapping_default(), 14: "inn"})
    assert by_position == (False, mapping_default())


def test_a_header_naming_a_field_twice_maps_its_first_column():
    assert mapping_from_header(["ИНН", "Телефон", "inn"]) == {0: "inn", 1: "phone"}


def _refusal(chosen) -> str:
    with translation.override("ru"), pytest.raises(Refused) as refused:
        mapping_check(chosen)
    return refused.value.message


def test_a_header_that_maps_nothing_is_refused():
    # given
    mapping = mapping_from_header(["Колонка 1", "Колонка 2", "Колонка 3"])
    # when / then
    assert _refusal(mapping) == ("Ни один столбец не сопоставлен с полем клиента: выберите поле для каждого "
                                 "импортируемого столбца.")
    assert mapping_check(mapping_from_header(["Полное наименование", "Колонка 2", "ИНН"])) == {
        0: "full_name", 2: "inn"}  # the control


def test_a_field_chosen_for_two_columns_is_refused():
    assert _refusal({0: "full_name", 3: "inn", 27: "inn"}) == (
        "Поле «ИНН» выбрано для двух столбцов, D и AB: выберите его для одного.")
    assert mapping_check({0: "full_name", 3: "inn", 27: ""}) == {0: "full_name", 3: "inn"}


def test_a_mapping_without_a_name_or_with_an_unknown_field_is_refused():
    assert _refusal({0: "inn", 1: "phone"}) == (
        "Выберите столбец с полным или коротким наименованием клиента: без наименования клиента не импортировать.")
    assert "Неизвестное поле" in _refusal({0: "short_name", 1: "salary"})
    assert mapping_check({0: "short_name", 1: "phone"}) == {0: "short_name", 1: "phone"}


@pytest.mark.parametrize(("key", "typed", "kept"), [
    ("inn", "274062111", "0274062111"),  # an organisation's INN of Bashkortostan, typed as a number
    ("inn", "12345678943", "012345678943"),  # a person's
    ("inn", "7707083893", "7707083893"),
    ("inn", "1234567", "1234567"),  # three short: not a lost zero but a wrong number
    ("kpp", "27401001", "027401001"),
    ("postal_code", "50000", "050000"),
    ("ogrn", "102190000000", "0102190000000"),  # put back; the OGRN's own check then tells it is wrong
    ("inn", "77-07", "77-07"),
    ("phone", "3902235588", "3902235588"),  # a phone has no fixed length
])
def test_lost_leading_zeros_are_put_back_where_the_field_has_a_length(key, typed, kept):
    assert digits_restored(key, typed) == kept


def test_row_values_by_field():
    # when
    values = row_values({0: "full_name", 3: "inn", 5: "phone"}, ["ООО «Ёлка» ", "", "", " 274062111 "])
    # then
    assert values == {"full_name": "ООО «Ёлка» ", "inn": "0274062111", "phone": ""}
