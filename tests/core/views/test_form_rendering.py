"""Fields and widgets drawn in Python (core.forms.rendering) give the very markup their templates give: the field
template's every branch, the inputs, the textarea, the <select> with its groups, the radio and checkbox options —
escaped alike, in both languages."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates
from django.utils import translation

from kontora.core.conflicts import FieldConflict
from kontora.core.forms.base import RENDERER, KontoraForm
from kontora.core.forms.rendering import render_in_python

TRICKY = 'A & <b>"Б"</b>'


class TemplatesOnly(DjangoTemplates):
    """Kontora's field template, every widget through the template engine: the reference markup."""

    field_template_name = "core/ui/field.html"


class Everything(KontoraForm):
    layout = {"all": {"name": "col-4", "notes": "col-12"}}

    name = forms.CharField(label=TRICKY, help_text="Подсказка <i>", required=True)
    email = forms.EmailField(required=False)
    site = forms.URLField(required=False, assume_scheme="https")
    count = forms.IntegerField(required=False)
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    agreed = forms.BooleanField(required=False, label="Согласен", help_text="Отметьте")
    choice = forms.ChoiceField(choices=[("", "---"), ("a", TRICKY), ("b", "Б")], required=False)
    grouped = forms.ChoiceField(choices=[("Группа", [("1", "один"), ("2", "два")]), ("3", "три")], required=False)
    kind = forms.ChoiceField(choices=[("c", "Компания"), ("p", "Человек")], widget=forms.RadioSelect)
    many = forms.MultipleChoiceField(choices=[("x", "Икс"), ("y", TRICKY)], required=False,
                                     widget=forms.CheckboxSelectMultiple)
    nothing = forms.MultipleChoiceField(choices=[], required=False, widget=forms.CheckboxSelectMultiple)
    secret = forms.CharField(required=False, widget=forms.PasswordInput)
    shown_only = forms.CharField(required=False, disabled=True)
    shown_only.read_only_reason = TRICKY  # type: ignore[attr-defined]  # why it may not be changed, under its value


INITIAL = {"name": TRICKY, "count": 12345, "day": datetime.date(2026, 12, 5), "notes": "строка 1\n<строка 2>",
           "agreed": True, "choice": "a", "grouped": "2", "kind": "p", "many": ["y"], "shown_only": "a\nb & c"}
POSTED = {"name": "", "email": "не адрес", "site": "x", "count": "много", "day": "вчера", "notes": "<b>",
          "choice": "z", "kind": "q", "many": ["x", "z"]}


def _pairs(form: forms.BaseForm) -> list[tuple[str, str, str]]:
    """Each field as the templates draw it and as Kontora's renderer draws it."""
    pairs = []
    for name in form.fields:
        form.renderer = TemplatesOnly()
        expected = str(form[name].as_field_group())
        form.renderer = RENDERER
        form._bound_fields_cache.clear()  # type: ignore[attr-defined]
        pairs.append((name, expected, str(form[name].as_field_group())))
        form._bound_fields_cache.clear()  # type: ignore[attr-defined]
    return pairs


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize("horizontal", [False, True])
@pytest.mark.parametrize("state", ["unbound", "initial", "refused", "read-only"])
def test_a_field_drawn_in_python_is_the_markup_its_template_draws(language: str, horizontal: bool, state: str
                                                                   ) -> None:
    with translation.override(language):
        form = Everything(POSTED if state == "refused" else None,
                          initial=INITIAL if state in ("initial", "read-only") else None)
        form.horizontal = horizontal
        if state == "refused":
            assert not form.is_valid()
            form.add_error(None, ValidationError("Сверху"))
        if state == "read-only":
            for field in form.fields.values():
                field.disabled = True
        for name, expected, drawn in _pairs(form):
            assert drawn == expected, name


def test_the_python_path_answers_the_field_and_its_widgets_and_a_conflict_stays_with_the_template() -> None:
    form = Everything(initial=INITIAL)
    # the field template and the plain widgets are drawn in Python …
    assert render_in_python("core/ui/field.html", {"field": form["name"]}) is not None
    assert render_in_python("django/forms/widgets/select.html", form["choice"].field.widget.get_context(
        "choice", "a", {})) is not None
    # … a field marked with a conflict goes to the template, which draws the block to choose
    form.conflicts = {"name": FieldConflict(code="", name="name", current="b", who="Петров", when=None)}
    assert render_in_python("core/ui/field.html", {"field": form["name"]}) is None
    drawn = str(form["name"].as_field_group())
    assert 'data-testid="conflict-name"' in drawn and 'data-testid="theirs-name"' in drawn


def _attrs(**extra: Any) -> dict[str, Any]:
    return {"class": "form-select", **extra}


def test_a_select_with_a_chosen_item_and_attributes_is_drawn_alike() -> None:
    widget = forms.Select(choices=[("", "---"), (1, TRICKY), (2, "Б")], attrs=_attrs(disabled=True, hidden=False))
    for value in (None, 1, "2"):
        context = widget.get_context("who", value, {"id": "id_who", "aria-invalid": "true"})
        assert render_in_python(widget.template_name, context) == TemplatesOnly().render(
            widget.template_name, context)
