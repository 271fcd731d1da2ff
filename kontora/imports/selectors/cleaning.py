"""The automatic processing of an import's rows (IMP-01, step 2 «Автообработка»): each row's values by field
cleaned, and what is wrong with them, row by row.

`rows_clean(rows, mapping=…, options=…, filename=…, imported_on=…)` takes the rows of `sheets.Table.rows()`
(the header row left out) and yields a `CleanRow` per row: its number in the file, the cleaned values by field
(`columns` keys, and the contact's surname, name and patronymic), the directory's region and city found, and its
problems — each with the row's number, the column's letter and name and a message in the user's language, an
error (the value cannot be written as it stands: a wrong INN, an e-mail that is none, no name) or a warning (the
row can be written, but not all of it: a city the directory lacks).

Every part is switched by `Options`: spaces and quotes, the contact's full name, regions and cities, phones,
e-mails, requisites, the note about the import. What is not switched: identifiers' lost zeros put back
(`columns.row_values`), a short name made from the full one when one of them is missing, a row without a name and
values longer than the client's fields refused.

Fast enough for 100,000 rows: the rows are taken a batch at a time, and the batch's cities are read from the
directory in one query, each name once per run (`places.Places`).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext as _

from kontora.clients.models import Client, ContactPerson
from kontora.clients.selectors.duplicates import phone_keys
from kontora.clients.services.mailing import mobile_e164
from kontora.core import requisites
from kontora.imports.selectors import columns as c
from kontora.imports.selectors.lookups import Lookups
from kontora.imports.selectors.places import Places
from kontora.imports.selectors.sheets import Row
from kontora.imports.selectors.texts import (
    person_joined,
    person_split,
    quotes_normalised,
    short_name_of,
    spaces_normalised,
)

BATCH = 1000  # rows whose cities are read from the directory in one query
CONTACT_SURNAME, CONTACT_FIRST_NAME, CONTACT_PATRONYMIC = "contact_surname", "contact_name", "contact_patronymic"
# The ids of the status and the curator the directories gave a row, kept in its staged values (as the client's
# attnames): ImportRow has no columns for them.
STATUS_ID, CURATOR_ID = "status_id", "curator_id"
# Where each field is kept (clients.models), for the longest value it takes.
_KEPT = {
    c.FULL_NAME: (Client, "full_name"), c.SHORT_NAME: (Client, "short_name"), c.ADDRESS: (Client, "address"),
    c.POSTAL_CODE: (Client, "postal_code"), c.PHONE: (Client, "phone"), c.FAX: (Client, "fax"),
    c.EMAIL: (Client, "email"), c.WEBSITE: (Client, "website"), c.INN: (Client, "inn"), c.KPP: (Client, "kpp"),
    c.OGRN: (Client, "ogrn"), c.CONTACT_NAME: (ContactPerson, "full_name"), c.CONTACT_EMAIL: (ContactPerson, "email"),
    c.MOBILE: (ContactPerson, "phone_mobile"), c.CONTACT_POSITION: (ContactPerson, "position"),
}
MAX_LENGTHS: dict[str, int] = {
    key: int(getattr(model._meta.get_field(name), "max_length", 0) or 0) for key, (model, name) in _KEPT.items()
}
NAMES_AS_TYPED = (c.FULL_NAME, c.SHORT_NAME)
_email_valid = EmailValidator()


class Severity(StrEnum):
    ERROR = "error"  # the value cannot be written as it stands
    WARNING = "warning"  # the row can be written, not all of it as typed


@dataclass(frozen=True)
class Options:
    """The parts of the automatic processing, each switchable (the manual's check boxes: the full name's split
    and the note about the import)."""

    spaces: bool = True  # trim and collapse spaces; quotes in company names as «…»
    person_names: bool = True  # the contact's full name split into surname, name and patronymic, capitalised
    places: bool = True  # region and city recognised in the directory; the postal code checked
    phones: bool = True  # phone and fax must hold a number; a mobile must be one
    emails: bool = True  # e-mail addresses checked
    requisites: bool = True  # INN, KPP, OGRN / OGRNIP checked (check digits)
    import_note: bool = True  # «Импортирован из <file> <date>» added to the note


@dataclass(frozen=True)
class Problem:
    row: int  # the row's number in the file
    column: str  # the column's letter ("A"), "" when the row has no such column
    column_name: str  # the column's header, else the field's name
    field: str  # the field's key (columns)
    message: str
    severity: Severity

    def __str__(self) -> str:
        place = f"{self.column} ({self.column_name})" if self.column else self.column_name
        return _("Row %(row)d, column %(column)s: %(message)s") % {
            "row": self.row, "column": place, "message": self.message}


@dataclass
class CleanRow:
    number: int  # the row's number in the file
    values: dict[str, str]
    region_id: int | None = None
    settlement_id: int | None = None
    status_id: int | None = None
    curator_id: int | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(problem.severity == Severity.ERROR for problem in self.problems)


def import_note(filename: str, imported_on: date) -> str:
    return _("Imported from %(file)s %(date)s") % {"file": filename, "date": imported_on.strftime("%d.%m.%Y")}


class Cleaner:
    """One processing run: the mapping, the options and what the directory answered so far."""

    def __init__(
        self, *, mapping: Mapping[int, str], options: Options, filename: str, imported_on: date,
        headers: list[str] | None = None,
    ) -> None:
        self.mapping = dict(mapping)
        self.options = options
        self.note = import_note(filename, imported_on) if options.import_note else ""
        self._columns = {key: column for column, key in self.mapping.items()}
        located = c.REGION in self._columns or c.CITY in self._columns
        self.places = Places() if options.places and located else None
        # Not switchable: a status or a curator is the directory's item or nothing, never a text.
        self.lookups = Lookups() if {c.STATUS, c.CURATOR} & self._columns.keys() else None
        heads = headers or []
        self._names = {
            key: (heads[column].strip() if column < len(heads) and heads[column].strip() else c.field_label(key))
            for column, key in self.mapping.items()
        }

    def rows(self, rows: Iterable[Row]) -> Iterator[CleanRow]:
        iterator = iter(rows)
        while batch := list(itertools.islice(iterator, BATCH)):
            pending = [(row.number, c.row_values(self.mapping, row.cells)) for row in batch]
            if self.places is not None:
                self.places.prefetch(values.get(c.CITY, "").strip() for _number, values in pending)
            for number, values in pending:
                yield self.row(number, values)

    # --- one row ---

    def row(self, number: int, values: dict[str, str]) -> CleanRow:
        result = CleanRow(number=number, values=values)
        options = self.options
        for key, value in values.items():
            if options.spaces:
                value = spaces_normalised(value, lines=key == c.NOTE)
                if key in NAMES_AS_TYPED:
                    value = quotes_normalised(value)
            else:
                value = value.strip()
            values[key] = value
        self._names_filled(result)
        if options.person_names and values.get(c.CONTACT_NAME):
            self._person(result)
        if self.places is not None:
            self._places(result)
        if options.places:
            self._postal_code(result)
        if self.lookups is not None:
            self._lookups(result)
        if options.phones:
            self._phones(result)
        if options.emails:
            for key in (c.EMAIL, c.CONTACT_EMAIL):
                self._email(result, key)
        if options.requisites:
            self._requisites(result)
        self._lengths(result)
        if self.note:
            values[c.NOTE] = f"{values[c.NOTE]}\n{self.note}" if values.get(c.NOTE) else self.note
        return result

    def _problem(self, row: CleanRow, key: str, message: str, severity: Severity = Severity.ERROR) -> None:
        column = self._columns.get(key)
        row.problems.append(Problem(
            row=row.number, column=c.column_letter(column) if column is not None else "",
            column_name=self._names.get(key) or c.field_label(key), field=key, message=message, severity=severity,
        ))

    def _names_filled(self, row: CleanRow) -> None:
        """A client has both names: one missing is made from the other; none is an error."""
        values = row.values
        full, short = values.get(c.FULL_NAME, ""), values.get(c.SHORT_NAME, "")
        if not full and not short:
            key = c.FULL_NAME if c.FULL_NAME in self._columns else c.SHORT_NAME
            self._problem(row, key, _("The client's name is empty: a client cannot be imported without a name."))
            return
        values[c.FULL_NAME] = full or short
        values[c.SHORT_NAME] = short or short_name_of(full)

    def _person(self, row: CleanRow) -> None:
        values = row.values
        parts = person_split(values[c.CONTACT_NAME])
        if parts is None:
            self._problem(row, c.CONTACT_NAME, _("“%(name)s” does not look like a person's full name: it is kept as "
                                                 "typed, not split.") % {"name": values[c.CONTACT_NAME]},
                          Severity.WARNING)
            return
        values[CONTACT_SURNAME], values[CONTACT_FIRST_NAME], values[CONTACT_PATRONYMIC] = parts
        values[c.CONTACT_NAME] = person_joined(*parts)

    def _places(self, row: CleanRow) -> None:
        assert self.places is not None
        values = row.values
        region_text, city_text = values.get(c.REGION, ""), values.get(c.CITY, "")
        if not region_text and not city_text:
            return
        found = self.places.find(region_text, city_text, values.get(c.DISTRICT, ""))
        if found.region is not None:
            row.region_id, values[c.REGION] = found.region.id, found.region.name
        elif region_text:
            values[c.REGION] = ""  # the client's region is the directory's: a name it lacks cannot be kept
        if found.place is not None:
            row.settlement_id, values[c.CITY] = found.place.id, found.place.name
        elif city_text:
            values[c.CITY] = ""  # the client's city is a place of the directory, never a text
        if found.region_problem:
            self._problem(row, c.REGION, found.region_problem, Severity.WARNING)
        if found.city_problem:
            self._problem(row, c.CITY, found.city_problem, Severity.WARNING)

    def _lookups(self, row: CleanRow) -> None:
        """The status and the curator typed, as the directories' items. One not found is an error: a client must
        not silently get no status or another curator (the importing user) than the file says."""
        assert self.lookups is not None
        values = row.values
        for key, find in ((c.STATUS, self.lookups.status), (c.CURATOR, self.lookups.curator)):
            text = values.get(key, "")
            if not text:
                continue
            found = find(text)
            if found.id is None:
                self._problem(row, key, found.problem)
                continue
            values[key] = found.name
            if key == c.STATUS:
                row.status_id = found.id
            else:
                row.curator_id = found.id

    def _postal_code(self, row: CleanRow) -> None:
        postal = row.values.get(c.POSTAL_CODE, "")
        if postal and not (len(postal) == 6 and postal.isascii() and postal.isdigit()):
            self._problem(row, c.POSTAL_CODE, _("A postal code has 6 digits; “%(value)s” is not one.")
                          % {"value": postal})

    def _phones(self, row: CleanRow) -> None:
        values = row.values
        for key in (c.PHONE, c.FAX):
            if values.get(key) and not phone_keys(values[key]):
                self._problem(row, key, _("“%(value)s” holds no phone number (at least 7 digits).")
                              % {"value": values[key]}, Severity.WARNING)
        mobile = values.get(c.MOBILE, "")
        if mobile:
            try:
                mobile_e164(mobile)
            except ValidationError:
                self._problem(row, c.MOBILE, _("“%(value)s” is not a mobile number: a mobile number has from 10 to "
                                               "15 digits.") % {"value": mobile})

    def _email(self, row: CleanRow, key: str) -> None:
        value = row.values.get(key, "")
        if not value:
            return
        if value.casefold().startswith("mailto:"):
            value = row.values[key] = value[len("mailto:"):].strip()
        try:
            _email_valid(value)
        except ValidationError:
            self._problem(row, key, _("“%(value)s” is not an e-mail address (name@example.ru: one address per "
                                      "field).") % {"value": value})

    def _requisites(self, row: CleanRow) -> None:
        values = row.values
        checks = ((c.INN, requisites.validate_inn), (c.KPP, requisites.validate_kpp),
                  (c.OGRN, requisites.validate_ogrn_or_ogrnip))
        for key, validate in checks:
            value = values.get(key, "")
            if not value:
                continue
            try:
                values[key] = validate(value)
            except ValidationError as exc:
                self._problem(row, key, _("“%(value)s”: %(reason)s.") % {"value": value, "reason": exc.messages[0]})

    def _lengths(self, row: CleanRow) -> None:
        for key, value in row.values.items():
            limit = MAX_LENGTHS.get(key)
            if limit and len(value) > limit:
                self._problem(row, key, _("The value is longer than %(max)d characters (%(length)d).")
                              % {"max": limit, "length": len(value)})


def rows_clean(
    rows: Iterable[Row], *, mapping: Mapping[int, str], filename: str, imported_on: date,
    options: Options | None = None, headers: list[str] | None = None,
) -> Iterator[CleanRow]:
    """The rows cleaned (see the module's note): `mapping` as `columns.mapping_check` answers it, `headers` the
    header row's cells (the columns' names in the problems), `filename` and `imported_on` for the note."""
    cleaner = Cleaner(mapping=mapping, options=options or Options(), filename=filename, imported_on=imported_on,
                      headers=headers)
    return cleaner.rows(rows)
