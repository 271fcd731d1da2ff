"""Which column of the file holds which field of a client (IMP-02): the field catalogue, the manual's default
order A–N, the fields recognised by a header row's names, and the check of a mapping the user chose.

A mapping is `{column index (A = 0): field key}`. `mapping_propose(first row)` answers whether the first row is
a header and the mapping to offer: from the header's names, or the manual's order by position.
`mapping_check` refuses a mapping that maps nothing, maps a field twice, names a field the catalogue lacks or
leaves the client without a name. `row_values(mapping, cells)` gives a row's values by field, identifiers with
the leading zeros a number cell dropped put back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from kontora.core.errors import Refused
from kontora.core.text import search_key
from kontora.core.xlsx import column_letter

FULL_NAME = "full_name"
SHORT_NAME = "short_name"
REGION = "region"
CITY = "city"
DISTRICT = "district"
POSTAL_CODE = "postal_code"
ADDRESS = "address"
PHONE = "phone"
FAX = "fax"
EMAIL = "email"
WEBSITE = "website"
NOTE = "note"
CONTACT_NAME = "contact_full_name"
CONTACT_EMAIL = "contact_email"
INN = "inn"
KPP = "kpp"
OGRN = "ogrn"
MOBILE = "mobile"
CONTACT_POSITION = "contact_position"
STATUS = "status"
CURATOR = "curator"


@dataclass(frozen=True)
class Field:
    key: str
    label: Promise  # shown in the user's language
    headers: tuple[str, ...]  # header names that mean this field, as search keys (Russian and English)


# The manual's columns A–N first, in its order (the default mapping by position), then the fields a column may be
# mapped to besides.
FIELDS: tuple[Field, ...] = (
    Field(FULL_NAME, pgettext_lazy("import field", "Full name"), (
        "полное наименование", "полное название", "наименование полное", "наименование", "название", "организация",
        "компания", "клиент", "полное наименование организации", "full name", "company name", "company",
        "name", "organisation", "organization", "client")),
    Field(SHORT_NAME, pgettext_lazy("import field", "Short name"), (
        "короткое наименование", "краткое наименование", "сокращенное наименование", "короткое название",
        "краткое название", "short name", "brief name")),
    Field(REGION, pgettext_lazy("import field", "Region"), (
        "регион", "область", "субъект", "субъект рф", "край", "region", "state", "province")),
    Field(CITY, pgettext_lazy("import field", "City"), (
        "город", "населенный пункт", "нас пункт", "г", "city", "town", "settlement", "locality")),
    Field(DISTRICT, pgettext_lazy("import field", "District"), ("район", "district", "area")),
    Field(POSTAL_CODE, pgettext_lazy("import field", "Postal code"), (
        "почтовый индекс", "индекс", "postal code", "postcode", "post code", "zip", "zip code")),
    Field(ADDRESS, pgettext_lazy("import field", "Address"), (
        "адрес", "почтовый адрес", "фактический адрес", "юридический адрес", "address", "street")),
    Field(PHONE, pgettext_lazy("import field", "Phone"), (
        "телефон", "телефоны", "тел", "рабочий телефон", "phone", "phones", "telephone", "tel")),
    Field(FAX, pgettext_lazy("import field", "Fax"), ("факс", "fax")),
    Field(EMAIL, pgettext_lazy("import field", "General e-mail"), (
        "e mail", "email", "e mail общий", "email общий", "общий e mail", "электронная почта", "эл почта",
        "почта", "e mail address", "general e mail", "mail")),
    Field(WEBSITE, pgettext_lazy("import field", "Website"), (
        "web site", "website", "сайт", "веб сайт", "www", "site", "url")),
    Field(NOTE, pgettext_lazy("import field", "Note"), (
        "примечание", "примечания", "комментарий", "заметки", "note", "notes", "comment", "comments")),
    Field(CONTACT_NAME, pgettext_lazy("import field", "Contact's full name"), (
        "фио контактного лица", "контактное лицо", "фио", "контакт", "contact", "contact person",
        "contact s full name", "contact full name", "contact name")),
    Field(CONTACT_EMAIL, pgettext_lazy("import field", "Contact's e-mail"), (
        "e mail контактного лица", "email контактного лица", "почта контактного лица",
        "contact s e mail", "contact e mail", "contact email")),
    Field(INN, pgettext_lazy("import field", "INN"), ("инн", "inn", "tin", "tax id")),
    Field(KPP, pgettext_lazy("import field", "KPP"), ("кпп", "kpp")),
    Field(OGRN, pgettext_lazy("import field", "OGRN / OGRNIP"), ("огрн", "огрнип", "огрн огрнип", "ogrn", "ogrnip")),
    Field(MOBILE, pgettext_lazy("import field", "Mobile phone"), (
        "мобильный", "мобильный телефон", "сотовый", "сотовый телефон", "моб телефон", "mobile", "mobile phone",
        "cell", "cell phone")),
    Field(CONTACT_POSITION, pgettext_lazy("import field", "Contact's position"), (
        "должность", "должность контактного лица", "position", "job title", "title", "contact s position")),
    Field(STATUS, pgettext_lazy("import field", "Status"), ("статус", "статус клиента", "status")),
    Field(CURATOR, pgettext_lazy("import field", "Curator"), (
        "куратор", "ответственный", "менеджер", "curator", "manager")),
)
BY_KEY: dict[str, Field] = {item.key: item for item in FIELDS}
MANUAL_ORDER: tuple[str, ...] = tuple(item.key for item in FIELDS[:14])  # the manual's columns A–N
NAMES = (FULL_NAME, SHORT_NAME)
_BY_HEADER: dict[str, str] = {header: item.key for item in FIELDS for header in item.headers}
_DATA_LIKE = re.compile(r"@|\d{5}")  # an e-mail or a number: a data row's, not a header's

# Identifier lengths: a number cell drops leading zeros (an INN of Bashkortostan 0274062111 is kept as 274062111),
# and nothing else in a spreadsheet can lose a digit at the front; a value one or two digits short of a length the
# field may have is taken as having lost them.
LENGTHS: dict[str, tuple[int, ...]] = {INN: (10, 12), KPP: (9,), OGRN: (13, 15), POSTAL_CODE: (6,)}


def field_label(key: str) -> str:
    return str(BY_KEY[key].label)


def header_field(text: str) -> str | None:
    """The field a header cell names («ИНН», «Полное наименование», «E-mail»; any case and spacing), or None."""
    return _BY_HEADER.get(search_key(text))


def is_header(cells: Iterable[str]) -> bool:
    """Whether a first row is a header: it names at least one field and holds nothing that looks like data."""
    texts = [cell.strip() for cell in cells if cell.strip()]
    if not texts or any(_DATA_LIKE.search(text) for text in texts):
        return False
    return any(header_field(text) for text in texts)


def mapping_default(width: int = len(MANUAL_ORDER)) -> dict[int, str]:
    """The manual's order by position: A full name, B short name, …, N the contact's e-mail."""
    return {index: key for index, key in enumerate(MANUAL_ORDER[:width])}


def mapping_from_header(cells: Iterable[str]) -> dict[int, str]:
    """The fields a header row names, by column; a column it does not name, or a field named a second time, is
    left unmapped."""
    mapping: dict[int, str] = {}
    for index, text in enumerate(cells):
        key = header_field(text)
        if key is not None and key not in mapping.values():
            mapping[index] = key
    return mapping


def mapping_propose(first: Iterable[str]) -> tuple[bool, dict[int, str]]:
    """(whether the first row is a header, the mapping to offer): the header's fields, else the manual's order."""
    cells = list(first)
    if is_header(cells):
        return True, mapping_from_header(cells)
    return False, mapping_default(max(len(cells), 1))


def mapping_check(chosen: Mapping[int, str]) -> dict[int, str]:
    """The user's mapping ({column: field key, "" for a column not imported}) as it will be used, or Refused."""
    mapping: dict[int, str] = {}
    for column, key in sorted(chosen.items()):
        if not key:
            continue
        if key not in BY_KEY:
            raise Refused(_("Unknown field “%(field)s”.") % {"field": key})
        if column < 0:
            raise Refused(_("Unknown column."))
        if key in mapping.values():
            taken = next(index for index, other in mapping.items() if other == key)
            raise Refused(_("The field “%(field)s” is chosen for two columns, %(first)s and %(second)s: choose it "
                            "for one.") % {"field": field_label(key), "first": column_letter(taken),
                                           "second": column_letter(column)})
        mapping[column] = key
    if not mapping:
        raise Refused(_("No column is matched with a field of the client: choose the field of each column to "
                        "import."))
    if not any(key in NAMES for key in mapping.values()):
        raise Refused(_("Choose the column with the client's full or short name: a client cannot be imported "
                        "without a name."))
    return mapping


def digits_restored(key: str, value: str) -> str:
    """An identifier with the leading zeros a number cell dropped put back (see LENGTHS); any other value as it is."""
    lengths = LENGTHS.get(key)
    if not lengths or not value.isascii() or not value.isdigit() or len(value) in lengths:
        return value
    for length in lengths:
        if 1 <= length - len(value) <= 2:
            return value.zfill(length)
    return value


def row_values(mapping: Mapping[int, str], cells: list[str]) -> dict[str, str]:
    """A row's values by field (a column past the row's last cell is empty), identifiers' lost zeros put back."""
    values: dict[str, str] = {}
    width = len(cells)
    for column, key in mapping.items():
        value = cells[column] if column < width else ""
        values[key] = digits_restored(key, value.strip()) if key in LENGTHS else value
    return values
