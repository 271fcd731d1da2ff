"""A report is a declared class: its parameters form, and `build(user, params)` → `Result`.

`build` starts every query from the user's access: `Scope.of(user)` says whose data he may report on — only his
own without the right «Отчёты по всем пользователям» (RPT-02), every employee's with it — and the engines'
selectors it calls start from the card-level client set, so nobody's report holds someone else's private client.
A report never writes a file: the renderers (`render`) turn any result into every format.
"""

from __future__ import annotations

import datetime
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, ClassVar

from django import forms
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kontora.core.selectors.calendar import user_today
from kontora.core.ui.pager import AFTER
from kontora.reports.framework.result import Column, Result, Section

# The Reports menu's groups, as the manual orders its list of reports.
OPERATIONAL, SALES, STOCK, MONEY, STATISTICS, TARGETING = (
    "operational", "sales", "stock", "money", "statistics", "targeting")
GROUPS = (OPERATIONAL, SALES, STOCK, MONEY, STATISTICS, TARGETING)
REPORTS_ALL_USERS = "reports_all_users"


@dataclass(frozen=True)
class Scope:
    """Whose work a report may show the user: `everyone` with the right, else his own (`user_id`)."""

    user_id: int
    everyone: bool

    @classmethod
    def of(cls, user: Any) -> Scope:
        return cls(int(user.pk), bool(user.has_right(REPORTS_ALL_USERS)))

    def authors(self, chosen: Sequence[Any]) -> tuple[int, ...]:
        """The users a report is about: those chosen (anyone's, with the right), else everyone (an empty tuple)
        or only himself."""
        if not self.everyone:
            return (self.user_id,)
        return tuple(int(getattr(user, "pk", user)) for user in chosen)


class Report(ABC):
    """Subclass, set the class attributes and write `build(user, form)`, reading the valid form's cleaned data."""

    slug: ClassVar[str]
    title: ClassVar[str | Promise]
    group: ClassVar[str] = OPERATIONAL
    order: ClassVar[int] = 0
    form_class: ClassVar[type[forms.Form]]
    in_menu: ClassVar[bool] = True  # False: opened from elsewhere (the client summary, from the card)

    def available(self, user: Any) -> bool:
        """Whether the user may run it at all (its menu item shows)."""
        return True

    def asked(self, data: Any) -> bool:
        """Whether the query string asks for the report itself (else its form is shown)."""
        return any(name in data for name in ("run", "format", "save", "edit"))

    def form(self, user: Any, data: Any = None) -> forms.Form:
        """Bound to the query string when the report is asked for; else with `initial`."""
        if data is None:
            return self.form_class(initial=self.initial(user), user=user)  # type: ignore[call-arg]
        return self.form_class(data, user=user)  # type: ignore[call-arg]

    def initial(self, user: Any) -> dict[str, Any]:
        """The parameters offered at first: this month up to today."""
        today = user_today(user)
        return {"date_from": today.replace(day=1), "date_to": today}

    @abstractmethod
    def build(self, user: Any, form: Any) -> Result:
        """The report's result for the user and the form's parameters."""

    def result(self, user: Any, form: forms.Form, *, columns: Sequence[Column], sections: Any,
               charts: Sequence[Any] = (), notes: Sequence[str] = (), rows: int | None = None) -> Result:
        """The result stamped with its report, the parameters as applied, the user who generated it, the moment
        and his clock (RPT-03)."""
        return Result(
            title=str(self.title), columns=list(columns), sections=sections, generated_by=_user_name(user),
            generated_at=timezone.now(), zone=str(timezone.get_current_timezone()), parameters=applied(form),
            charts=list(charts), notes=list(notes), report=self.slug, rows=rows,
        )


class PagedReport(Report):
    """A report of many rows in one keyset order (an events list, the tasks under control): the screen draws it a
    page at a time («Показать ещё» seeks on), and its files read every row page by page, never all at once.

    `page` is the one query: a page's result and the cursor of the next. The first page's result carries what is
    said of the whole selection (its notes and charts); its columns are not totalled (a page's sums are no
    report's)."""

    screen_size: ClassVar[int] = 50
    file_size: ClassVar[int] = 500

    @abstractmethod
    def page(self, user: Any, form: Any, cursor: Mapping[str, str], size: int) -> tuple[Result, str]:
        """The page `cursor` points at (the first, for an empty one): its result, whose one section holds its rows,
        and the cursor past them ("" when no rows follow)."""

    def build(self, user: Any, form: Any) -> Result:
        first, after = self.page(user, form, {}, self.file_size)

        def rows() -> Iterator[Sequence[Any]]:
            for section in first.sections:
                yield from section.rows
            cursor = after
            while cursor:
                result, cursor = self.page(user, form, {AFTER: cursor}, self.file_size)
                for section in result.sections:
                    yield from section.rows

        return replace(first, sections=[Section("", rows())])


def _user_name(user: Any) -> str:
    return str(getattr(user, "full_name", "") or user)


def applied(form: forms.Form) -> list[tuple[str, str]]:
    """The parameters as applied, for the report's head: the period as one line, then each filled field's label and
    value as text."""
    data = form.cleaned_data
    shown = []
    low, high = data.get("date_from"), data.get("date_to")
    if isinstance(low, datetime.date) and isinstance(high, datetime.date):
        shown.append((str(_("Period")), f"{low:%d.%m.%Y} – {high:%d.%m.%Y}"))
    for name, field in form.fields.items():
        value = data.get(name)
        if (name in ("date_from", "date_to") and shown) or _empty(value):
            continue
        if isinstance(value, datetime.date):
            text = f"{value:%d.%m.%Y}"
        elif value is True:
            text = str(_("yes"))
        elif isinstance(value, Iterable) and not isinstance(value, str):
            text = ", ".join(str(item) for item in value)
        elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            text = str(dict(field.choices).get(value, value))  # type: ignore[arg-type]
        else:
            text = str(value)
        shown.append((str(field.label or name), text))
    return shown


def _empty(value: Any) -> bool:
    if value is None or value is False or value == "":
        return True
    return hasattr(value, "__iter__") and not isinstance(value, str) and not list(value)
