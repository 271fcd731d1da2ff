"""The automatic processing of an import's rows (IMP-01, step 2): the manual's example row cleaned, the deliberate
errors of the bad file reported with their rows and columns in the user's language, each part switchable, and
the directory read a batch at a time."""

from __future__ import annotations

import datetime
from dataclasses import replace
from pathlib import Path

import pytest
from django.utils import translation

from kontora.directories.models import Region, Settlement
from kontora.imports.selectors.cleaning import CleanRow, Options, Severity, rows_clean
from kontora.imports.selectors.columns import mapping_check, mapping_default, mapping_propose
from kontora.imports.selectors.sheets import Row, table_open

pytestmark = [pytest.mark.django_db, pytest.mark.feature("IMP-01")]

DATA = Path(__file__).resolve().parents[1] / "data"
DAY = datetime.date(2025, 12, 6)


def _cleaned(name: str, options: Options | None = None, language: str = "ru") -> list[CleanRow]:
    with translation.override(language), table_open(DATA / name) as table:
        rows = table.rows()
        first = next(rows)
        header, mapping = mapping_propose(first.cells)
        data = rows if header else [first, *rows]
        return list(rows_clean(data, mapping=mapping_check(mapping), filename=name, imported_on=DAY,
                               options=options, headers=first.cells if header else None))


def _problems(row: CleanRow) -> list[tuple[int, str, str, str, str]]:
    return [(p.row, p.column, p.column_name, p.severity, p.message) for p in row.problems]


def test_the_manuals_example_row_is_cleaned():
    # when
    example = _cleaned("arsenal.xlsx")[0]
    # then
    abakan = Settlement.objects.get(name="Абакан")
    assert (example.number, example.problems, example.region_id, example.settlement_id) == (
        2, [], Region.objects.get(code="19").pk, abakan.pk)
    assert example.values == {
        "full_name": "ООО «Арсенал-Сервис»", "short_name": "Арсенал-Сервис", "region": "Республика Хакасия",
        "city": "Абакан", "district": "Московский", "postal_code": "600301",
        "address": "ул. Т. Шевченко, 62а, офис 301", "phone": "(3902) 235-588", "fax": "(3902) 231-453",
        "email": "info@grants.ru", "website": "www.grants.ru",
        "note": "Клиент Смирнова\nИмпортирован из arsenal.xlsx 06.12.2025",
        "contact_full_name": "Гришина Оксана Викторовна", "contact_surname": "Гришина", "contact_name": "Оксана",
        "contact_patronymic": "Викторовна", "contact_email": "oksana@grants.ru", "inn": "7707083893",
    }


def test_the_bad_rows_are_reported_with_their_row_column_and_reason():
    # when
    rows = _cleaned("arsenal.xlsx")
    # then
    assert [row.has_errors for row in rows] == [False, True, True, False, True]
    assert _problems(rows[1]) == [
        (3, "O", "ИНН", Severity.ERROR, "«7707083894»: ИНН: неверное контрольное число.")]
    assert _problems(rows[2]) == [(4, "J", "E-mail общий", Severity.ERROR,
                                   "«info@@grants» — не адрес электронной почты (name@example.ru: один адрес в поле).")]
    assert _problems(rows[3]) == [(5, "D", "Город", Severity.WARNING,
                                   "Города «Тмутаракань» нет в справочнике населённых пунктов: клиент импортируется "
                                   "без города.")]
    assert (rows[3].values["city"], rows[3].settlement_id, rows[3].values["short_name"]) == (
        "", None, "ООО «Тмутаракань-Торг»")
    assert _problems(rows[4]) == [(6, "A", "Полное наименование", Severity.ERROR,
                                   "Не указано наименование клиента: без наименования клиента не импортировать.")]


def test_problems_speak_the_users_language():
    # when
    english, russian = _cleaned("arsenal.xlsx", language="en")[1], _cleaned("arsenal.xlsx")[1]
    # then
    with translation.override("en"):
        assert str(english.problems[0]) == "Row 3, column O (ИНН): “7707083894”: INN: wrong check number."
    with translation.override("ru"):
        assert str(russian.problems[0]) == "Строка 3, столбец O (ИНН): «7707083894»: ИНН: неверное контрольное число."


def test_identifiers_typed_as_numbers_are_kept_as_the_digits_typed():
    # given
    mapping = {**mapping_default(), 14: "inn", 15: "kpp"}
    # when
    with table_open(DATA / "numbers.xlsx") as table:
        rows = list(rows_clean(table.rows(), mapping=mapping, filename="numbers.xlsx", imported_on=DAY))
    # then
    values = [(row.values["phone"], row.values["postal_code"], row.values["inn"], row.values["kpp"]) for row in rows]
    assert values == [
        ("73902235588", "600301", "7707083893", "770701001"),
        ("123456789010", "450077", "0274062111", "027401001"),
        ("(3902) 235-588", "600301", "012345678943", ""),
        ("", "", "", ""),
    ]
    assert [row.problems for row in rows] == [[], [], [], []]


@pytest.mark.parametrize("name", ["arsenal.ods", "cp1251.csv", "utf8.csv"])
def test_every_kind_of_file_gives_the_example_row_alike(name):
    # given
    from_xlsx = dict(_cleaned("arsenal.xlsx")[0].values)
    # when
    example = _cleaned(name)[0]
    # then
    del from_xlsx["inn"]
    from_xlsx["note"] = from_xlsx["note"].replace("arsenal.xlsx", name)
    if name == "arsenal.ods":
        from_xlsx["phone"] = "73902235588"  # a number cell there
    assert (example.values, example.problems) == (from_xlsx, [])


def test_a_city_named_with_its_type_and_the_region_as_a_city():
    # when
    second = _cleaned("utf8.csv")[1]
    # then
    assert (second.values["region"], second.values["city"], second.problems) == ("Москва", "Москва", [])
    assert second.settlement_id == Settlement.objects.get(name="Москва", region__code="77").pk


def _example(**options: bool) -> CleanRow:
    return _cleaned("arsenal.xlsx", options=replace(Options(), **options))[0]


def test_each_part_of_the_processing_is_switched_off():
    # when
    raw = _example(spaces=False, person_names=False, places=False, import_note=False)
    # then
    assert raw.values["full_name"] == 'ООО "Арсенал-Сервис"'
    assert (raw.values["region"], raw.values["city"], raw.region_id, raw.settlement_id) == (
        "Хакасия Респ.", "Абакан", None, None)
    assert raw.values["note"] == "Клиент Смирнова"
    assert "contact_surname" not in raw.values
    assert raw.values["contact_full_name"] == "Гришина Оксана Викторовна"


def test_checks_switched_off_report_nothing():
    # given
    rows = _cleaned("arsenal.xlsx", options=Options(emails=False, requisites=False))
    # then
    assert [row.problems for row in rows[1:3]] == [[], []]
    assert rows[1].values["inn"] == "7707083894"


def test_phones_mobiles_postal_codes_and_lengths_are_checked():
    # given
    mapping = {0: "full_name", 1: "phone", 2: "mobile", 3: "postal_code", 4: "contact_full_name", 5: "kpp",
               6: "ogrn"}
    rows = [Row(7, ["ООО «Ёлка»" + "!" * 500, "звонить секретарю", "12-34", "60", "ООО Ромашка 2", "7707ZZ1",
                    "1021900000001"])]
    # when
    with translation.override("en"):
        cleaned = next(rows_clean(rows, mapping=mapping, filename="f.csv", imported_on=DAY))
    # then
    assert [(p.column, p.severity, p.message) for p in cleaned.problems] == [
        ("E", Severity.WARNING, "“ООО Ромашка 2” does not look like a person's full name: it is kept as typed, not "
                                "split."),
        ("D", Severity.ERROR, "A postal code has 6 digits; “60” is not one."),
        ("B", Severity.WARNING, "“звонить секретарю” holds no phone number (at least 7 digits)."),
        ("C", Severity.ERROR, "“12-34” is not a mobile number: a mobile number has from 10 to 15 digits."),
        ("F", Severity.ERROR, "“7707ZZ1”: KPP must consist of 9 characters: 4 digits, 2 digits or capital Latin "
                              "letters, 3 digits."),
        ("G", Severity.ERROR, "“1021900000001”: OGRN: wrong check number."),
        ("A", Severity.ERROR, "The value is longer than 500 characters (510)."),
        ("", Severity.ERROR, "The value is longer than 300 characters (510)."),  # the short name made of it
    ]


def test_many_rows_read_the_directory_a_batch_at_a_time(django_assert_max_num_queries):
    # given: 3,000 rows of three cities, one the directory lacks
    cities = ["Абакан", "Кировск", "Тмутаракань"]
    rows = [Row(n, [f"ООО «Ёлка {n}»", "Хакасия Респ.", cities[n % 3]]) for n in range(1, 3001)]
    # when
    with django_assert_max_num_queries(4):  # the regions, then one read of names per batch with a new one
        cleaned = list(rows_clean(rows, mapping={0: "full_name", 1: "region", 2: "city"}, filename="f.csv",
                                  imported_on=DAY))
    # then
    assert len(cleaned) == 3000
    assert [row.values["city"] for row in cleaned[:3]] == ["", "", "Абакан"]
