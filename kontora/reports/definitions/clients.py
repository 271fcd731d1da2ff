"""Reports over clients and their contact persons: birthdays."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kontora.clients.selectors.birthdays import birthdays
from kontora.reports.forms.clients import BirthdaysForm
from kontora.reports.framework.base import OPERATIONAL, Report, Scope
from kontora.reports.framework.result import DATE, INTEGER, TEXT, Column, Result, Section


class Birthdays(Report):
    slug = "birthdays"
    title = gettext_lazy("Birthdays")
    group = OPERATIONAL
    order = 50
    form_class = BirthdaysForm

    def build(self, user: Any, form: Any) -> Result:
        data = form.cleaned_data
        curator = data.get("curator")
        found = birthdays(user, start=data["date_from"], end=data["date_to"], everyone=Scope.of(user).everyone,
                          curator_id=curator.pk if curator else None)
        sections = [
            Section(f"{MONTHS[month]} {year}", [
                [item.day, item.full_name, item.age, item.position, item.client, item.phone, item.email,
                 item.curator] for item in items])
            for (year, month), items in groupby(found, key=lambda item: (item.day.year, item.day.month))
        ]
        columns = [Column("day", _("Date"), DATE), Column("contact", _("Contact person"), TEXT, width=28),
                   Column("age", _("Turns"), INTEGER, width=7), Column("position", _("Position"), TEXT, width=18),
                   Column("client", _("Client"), TEXT, width=28), Column("phone", _("Phone"), TEXT, width=16),
                   Column("email", _("E-mail"), TEXT, width=22), Column("curator", _("Curator"), TEXT, width=18)]
        notes = [] if found else [_("No birthdays in this period.")]
        return self.result(user, form, columns=columns, sections=sections, notes=notes, rows=len(found))


REPORTS = [Birthdays()]
