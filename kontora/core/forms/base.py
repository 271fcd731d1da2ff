"""The one base of Kontora's forms: Bootstrap classes on widgets, red fields, domain errors next to their fields,
and one field template (`core/ui/field.html`, through Django's form renderer: `{{ form.name.as_field_group }}`)
— the label with the red star of a required field, the widget, the help, the error with its
`data-testid="error-<field>"`; a read-only field as its value in text, not a disabled widget."""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.core import signing, validators
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.renderers import DjangoTemplates
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext

from kontora.core.conflicts import Edit, EditConflict
from kontora.core.errors import DomainError, form_error
from kontora.core.forms.rendering import render_in_python
from kontora.core.text import id_param

READ_AT = "__read_at__"  # the snapshot's own key: when the values were read
TEXT_CAP = 20_000  # the longest free text a form takes (a note, a comment): some pages of typing


def widget_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select form-select-sm"
    return "form-control form-control-sm"


class KontoraRenderer(DjangoTemplates):
    """Django's template renderer with Kontora's one field template."""

    field_template_name = "core/ui/field.html"

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        html = render_in_python(template_name, context)
        return html if html is not None else super().render(template_name, context, request)


RENDERER = KontoraRenderer()


class KontoraBoundField(forms.BoundField):
    """What the field template asks a field beyond Django's: its column, its red star, and, read-only, its text."""

    form: KontoraFormMixin

    @property
    def col(self) -> str:
        """The field's column in the form's grid (`KontoraFormMixin.layout`), a whole row by default."""
        for columns in self.form.layout.values():
            if self.name in columns:
                return columns[self.name]
        return self.form.default_col

    @property
    def is_required(self) -> bool:
        return self.field.required or self.name in self.form.conditional_required

    @property
    def read_only(self) -> bool:
        return bool(self.field.disabled)

    @property
    def reason(self) -> str:
        """Why a read-only field may not be changed (the field's `read_only_reason`), shown under its value."""
        return str(getattr(self.field, "read_only_reason", "") or "") if self.read_only else ""

    @property
    def shown(self) -> str:
        """The value as text, for a read-only field: the chosen item's name, a date as dates are written, yes/no."""
        return self.text_of(self.initial)  # a disabled field keeps its initial value, bound or not

    @property
    def conflict(self) -> Any:
        """Another user's change of this field that conflicts with the user's (core.conflicts), or None."""
        return getattr(self.form, "conflicts", {}).get(self.name)

    @property
    def theirs_name(self) -> str:
        return str(getattr(self.form, "theirs_name", ""))

    @property
    def conflict_shown(self) -> str:
        conflict = self.conflict
        return self.text_of(conflict.current) if conflict is not None else ""

    def text_of(self, value: Any) -> str:
        field = self.field
        if isinstance(field.widget, forms.PasswordInput):
            return ""
        if isinstance(field, forms.BooleanField):
            return gettext("yes") if value else gettext("no")
        if isinstance(field, forms.ModelMultipleChoiceField | forms.MultipleChoiceField):
            return ", ".join(self._labels(value or ()))
        if isinstance(field, forms.ModelChoiceField | forms.ChoiceField):
            return ", ".join(self._labels([value])) if value not in (None, "") else ""
        if isinstance(field, forms.DecimalField):
            value = field.prepare_value(value)  # a field that shows its numbers its own way (attributes.NumberField)
        return _text(value)

    def _labels(self, values: Iterable[Any]) -> list[str]:
        """The names of chosen items: an item itself when the form was given one (no query), else its choice."""
        items = list(values)
        if all(isinstance(item, models.Model) for item in items):
            return [str(item) for item in items]
        field = self.field
        if isinstance(field, forms.ModelChoiceField):
            assert field.queryset is not None
            found = field.queryset.in_bulk([getattr(item, "pk", item) for item in items])
            return [str(found[key]) for key in found]
        wanted = {str(getattr(item, "pk", item)) for item in items}
        return [str(label) for key, label in getattr(field, "choices", ()) if str(key) in wanted]


def _text(value: Any) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        return formats.date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Decimal | float):
        return str(formats.number_format(value, use_l10n=True, force_grouping=True))
    return str(value)


EMPTY_CHOICE = "—"  # the empty choice of a list: a dash of the text, not Django's «---------»
DJANGO_EMPTY = "---------"


def russian_empty_choice(field: forms.Field) -> None:
    """A list's empty choice reads «—» instead of Django's «---------» (a model's blank choice, a ModelChoiceField's
    empty label): lists built after the form styled its fields call this too (`clients.forms.card.style`)."""
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label == DJANGO_EMPTY:
            field.empty_label = EMPTY_CHOICE
    elif isinstance(field, forms.ChoiceField) and isinstance(field.choices, list) and field.choices \
            and tuple(field.choices[0]) == ("", DJANGO_EMPTY):
        field.choices = [("", EMPTY_CHOICE), *field.choices[1:]]


INTEGER_RANGE = (-(2**31), 2**31 - 1)  # an integer column on both databases; 2⁶³ overflowed SQLite's driver


def _bound_integer(field: forms.IntegerField) -> None:
    """A whole-number field without bounds of its own gets an integer column's, with Django's message next to it:
    a number past them would reach the database and fail there (a 500)."""
    low, high = INTEGER_RANGE
    if field.min_value is None:
        field.min_value = low
        field.validators.append(validators.MinValueValidator(low))
    if field.max_value is None:
        field.max_value = high
        field.validators.append(validators.MaxValueValidator(high))


def guard_ids(field: forms.Field) -> None:
    """A choice of records by their integer key refuses, next to the field, a value that is no id (past a bigint,
    not digits) before the database reads it: SQLite's driver cannot bind such a number (a 500)."""
    if not isinstance(field, forms.ModelChoiceField) or field.to_field_name or field.queryset is None \
            or getattr(field, "_kontora_guarded", False) \
            or not isinstance(field.queryset.model._meta.pk, models.AutoField | models.BigAutoField):
        return
    clean = field.clean
    multiple = isinstance(field, forms.ModelMultipleChoiceField)

    def guarded(value: Any) -> Any:
        for item in value if isinstance(value, list | tuple) else [value]:
            if item in field.empty_values or isinstance(item, models.Model) or id_param(item) is not None:
                continue
            if multiple:
                raise ValidationError(field.error_messages["invalid_pk_value"], code="invalid_pk_value",
                                      params={"pk": str(item)[:50]})
            raise ValidationError(field.error_messages["invalid_choice"], code="invalid_choice",
                                  params={"value": str(item)[:50]})
        return clean(value)

    field.clean = guarded  # type: ignore[method-assign]
    field._kontora_guarded = True  # type: ignore[attr-defined]


class DateInput(forms.DateInput):
    """The browser's own date picker; the value in ISO form, as that input wants it."""

    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    """The browser's own time picker."""

    input_type = "time"


class PeriodMixin(forms.BaseForm):
    """`date_from` and `date_to` of a report's or a journal's period: each within the calendar's reach, the end not
    before the start (the message under the end)."""

    PERIOD_YEARS = (1800, 2999)  # the edges of date arithmetic stay out of it

    def _day(self, name: str) -> Any:
        day = self.cleaned_data.get(name)
        low, high = self.PERIOD_YEARS
        if day is not None and not low <= day.year <= high:
            raise ValidationError(gettext("Enter a date between the years %(low)s and %(high)s.")
                                  % {"low": low, "high": high}, code="range")
        return day

    def clean_date_from(self) -> Any:
        return self._day("date_from")

    def clean_date_to(self) -> Any:
        return self._day("date_to")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("date_from"), data.get("date_to")
        if low and high and low > high:
            self.add_error("date_to", gettext("The end of the period is before its start."))
        return data


class KontoraFormMixin(forms.BaseForm):
    """Bootstrap classes on every widget and `is-invalid` on fields with errors, so templates stay plain.

    Views hand a service's ValidationError to `apply_error`, the one way a domain error becomes
    a form error. Templates draw a field with `{{ form.name.as_field_group }}` (the one field template).
    """

    default_renderer = RENDERER
    bound_field_class = KontoraBoundField
    # Fields shown with the red star although the form accepts them empty in some cases.
    conditional_required: frozenset[str] = frozenset()
    # The form's grid as named runs of fields, each field with its Bootstrap column ("col-4"; a whole row when not
    # named): a template draws a run with `{% for field in form.group.<run> %}{{ field.as_field_group }}{% endfor %}`.
    layout: Mapping[str, Mapping[str, str]] = {}
    default_col = "col-12"  # the column of a field `layout` does not name
    # Labels beside the inputs (a narrow card) instead of above them.
    horizontal = False

    @property
    def group(self) -> dict[str, list[forms.BoundField]]:
        """The runs of `layout` as bound fields, those the form has (a read-only or narrowed form has fewer)."""
        return {run: [self[name] for name in columns if name in self.fields] for run, columns in self.layout.items()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {widget_class(widget)}".strip()
            russian_empty_choice(field)
            if isinstance(field, forms.CharField) and field.max_length is None:
                widget.attrs.setdefault("maxlength", str(TEXT_CAP))
            if isinstance(field, forms.IntegerField) and not isinstance(field, forms.FloatField | forms.DecimalField):
                _bound_integer(field)
            guard_ids(field)

    def full_clean(self) -> None:
        super().full_clean()
        if hasattr(self, "cleaned_data"):  # a form not bound (or empty and permitted so) cleans nothing
            self._cap_texts()
        self._mark_invalid()

    def _cap_texts(self) -> None:
        """A free text (a field without a length of its own: notes, comments, descriptions) is refused past
        `TEXT_CAP` — 1 MB notes were taken (issue 11, F10) — but only when the user changed it: a longer text kept
        from before stays readable, and the form is saved with it when the user changes another field."""
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            if not (isinstance(field, forms.CharField) and field.max_length is None and isinstance(value, str)):
                continue
            if len(value) > TEXT_CAP and name in self.changed_data:
                self.add_error(name, ValidationError(
                    gettext("At most %(limit)s characters, %(count)s typed: shorten the text.") % {
                        "limit": formats.number_format(TEXT_CAP, force_grouping=True),
                        "count": formats.number_format(len(value), force_grouping=True)},
                    code="max_length"))

    def _mark_invalid(self) -> None:
        # Bootstrap draws a field red only when the input itself carries is-invalid.
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                if "is-invalid" not in attrs.get("class", ""):
                    attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["aria-invalid"] = "true"

    def add_errors(self, errors: Mapping[str, Any]) -> None:
        """Errors keyed by field name land next to their fields; names the form does not have, above it."""
        for name, error in errors.items():
            self.add_error(name if name in self.fields else None, error)

    def apply_error(self, exc: ValidationError | DomainError) -> None:
        """A service's error raised after is_valid(): a field's next to the field, the rest above the form
        (core.errors.form_error; a NotAllowed is raised on, for the 403 page)."""
        form_error(self, exc)


class KontoraForm(KontoraFormMixin, forms.Form):
    pass


class KontoraModelForm(KontoraFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    pass


def _plain(value: Any) -> Any:
    """A form value as JSON that reads back to the same value (model instances as their keys)."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set | frozenset | models.QuerySet):
        return [_plain(item) for item in value]
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


class ReadValuesFormMixin(KontoraFormMixin):
    """A form that carries the values as they were read: a signed snapshot of its initial values in one hidden input
    (`{{ form.read_input }}`), posted back with the typed ones.

    Bound, the form takes what was read as its initial values, so `changed_data` names exactly the fields the user
    changed — a save writes those and leaves every other field as it is now (someone else may have changed it
    since) — and a conflict check can compare what was read, what is stored now and what was typed, field by field.
    A post without the snapshot (another client, a test) compares with the values as stored now (`initial`).
    """

    read_key = ""  # the snapshot's input is "<read_key or prefix>-read": unique among the forms of one page
    # Each form says how its values are read from the record as kept now (`stored(record)`): the conflict check
    # compares them with what was read (core.conflicts).
    stored: Callable[[Any], dict[str, Any]]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.read_posted = False
        self.read_at: datetime.datetime | None = None
        self.conflicts: dict[str, Any] = {}  # name → core.conflicts.FieldConflict, after a refused save
        self.take_read()

    def take_read(self) -> None:
        """Bound, the posted snapshot becomes the initial values (a form that adds fields after `__init__` calls it
        again once they are there)."""
        if self.is_bound:
            read = self._posted_read()
            if read is not None:
                self.initial = read
                self.read_posted = True

    @property
    def read_name(self) -> str:
        return f"{self.read_key or self.prefix or 'form'}-read"

    def _salt(self) -> str:
        return f"kontora.read.{type(self).__name__}.{self.read_name}"

    @property
    def read_values(self) -> dict[str, Any]:
        """The values the user read (the initial values), as the snapshot keeps them."""
        return {name: _plain(self.get_initial_for_field(field, name)) for name, field in self.fields.items()}

    @property
    def read_input(self) -> str:
        read_at = self.read_at if self.read_posted and self.read_at else timezone.now()
        token = signing.dumps({**self.read_values, READ_AT: read_at.isoformat()}, salt=self._salt(), compress=True)
        return format_html('<input type="hidden" name="{}" value="{}">', self.read_name, token)

    @property
    def theirs_name(self) -> str:
        """The "take theirs" boxes of conflicting fields: their names are the fields keeping the other's value."""
        return f"{self.read_name}-theirs"

    @property
    def changed_data(self) -> list[str]:  # type: ignore[override]
        theirs = set(self.data.getlist(self.theirs_name)) if self.is_bound and hasattr(self.data, "getlist") else set()
        return [name for name in self.fields if name not in theirs and self[name]._has_changed()]  # type: ignore[attr-defined]

    def edit(self, code: str = "", names: Iterable[str] | None = None) -> Edit:
        """What this form changed, for the service's field-by-field check (core.conflicts)."""
        typed = {name: self.cleaned_data[name] for name in (self.changed_data if names is None else names)}
        return Edit(code=code, stored=self.stored, read=self.read_values, typed=typed, read_at=self.read_at,
                    labels={name: str(self.fields[name].label or name) for name in typed})

    def take_conflict(self, exc: EditConflict, code: str = "") -> None:
        """A save refused by a conflict: the form now builds on the values as kept now — a field the user changed
        keeps what he typed (a conflicting one is marked with the other's value, to choose), every other field
        shows the other's value — so saving again writes the user's choices and nothing of the old reading."""
        current = exc.current.get(code)
        if current is None or not self.is_bound:
            return
        changed = set(self.changed_data)
        data = self.data.copy()  # type: ignore[attr-defined]  # a QueryDict, bound
        for name, field in self.fields.items():
            if name not in changed and name in current and not field.disabled:
                _put(data, self.add_prefix(name), field, current[name])
        data.setlist(self.theirs_name, [])
        self.data = data
        self.initial = dict(current)
        self.read_at = timezone.now()
        self.read_posted = True
        self.conflicts = exc.for_form(code)
        for name in self.conflicts:
            if name in self.fields:
                self.add_error(name, gettext("Changed by someone else meanwhile."))
        self._mark_invalid()

    def apply_error(self, exc: ValidationError | DomainError) -> None:
        if isinstance(exc, EditConflict):
            self.take_conflict(exc)
            self.add_error(None, exc.message)
            return
        super().apply_error(exc)

    def _posted_read(self) -> dict[str, Any] | None:
        token = self.data.get(self.read_name)
        if not token:
            return None
        try:
            raw = signing.loads(token, salt=self._salt())
        except signing.BadSignature:
            return None  # a forged or foreign snapshot: compared with the stored values instead
        read: dict[str, Any] = {}
        with contextlib.suppress(TypeError, ValueError):
            self.read_at = datetime.datetime.fromisoformat(raw.pop(READ_AT, ""))
        for name, value in raw.items():
            field = self.fields.get(name)
            if field is None:
                continue
            if isinstance(field, forms.ModelChoiceField | forms.MultipleChoiceField) or value is None:
                read[name] = value  # compared by key (their `has_changed`), never looked up
                continue
            try:
                read[name] = field.to_python(value)
            except ValidationError:
                read[name] = value
        return read

    def is_posted(self) -> bool:
        """Whether the page sent this form: its snapshot or any of its fields (a pane not yet shown sends none)."""
        return self.read_name in self.data or any(self.add_prefix(name) in self.data for name in self.fields)


def _put(data: Any, key: str, field: forms.Field, value: Any) -> None:
    """Sets a field's value in posted data as its widget would have sent it."""
    if isinstance(field.widget, forms.CheckboxInput):
        if value:
            data[key] = "on"
        else:
            data.pop(key, None)
    elif isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        data.setlist(key, [str(item) for item in _plain(list(value or ()))])
    elif value is None:
        data[key] = ""
    else:
        data[key] = str(_plain(value))
