"""The directory picker: search as you type instead of a <select> of thousands of items.

`picker_field("units")` gives a form field whose widget is a text box with a drop-down of matches
(served by `directories:pick`) and a hidden input with the chosen pk; the behaviour
`kontora/static/kontora/behaviours/picker.js` drives it. The field's queryset holds every item, inactive ones
too, so an old record keeps its value; the picker only offers active items, and `PickerField.clean` refuses an
inactive item unless it is the value the record already had.

For users with the directory's edit right the widget also shows "+" (add an item in a modal and select
it) and "✎" (edit the chosen item); a view turns these on with `allow_picker_editing(form, user)`, which also
narrows pickers over per-user rows (clients) to what the user sees (`scope_pickers`).
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kontora.core.forms.rendering import attrs_html, markup, shown
from kontora.directories import policies
from kontora.directories.selectors import registry


class PickerWidget(forms.Widget):
    template_name = "directories/widgets/picker.html"

    def __init__(self, key: str, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.key = key
        self.can_edit = False  # set per form instance by allow_picker_editing()
        # The form's initial item (PickerField.get_bound_field): shown without a query when it is the value.
        self.known: models.Model | None = None
        # {param: the posted name of the form's field whose value narrows this picker} (PickerField.get_bound_field)
        self.narrowed_by: dict[str, str] = {}

    def _current(self, value: Any) -> models.Model | None:
        if value in (None, ""):
            return None
        if isinstance(value, models.Model):
            return value
        if self.known is not None and str(self.known.pk) == str(value):
            return self.known
        queryset = getattr(getattr(self, "choices", None), "queryset", None)
        if queryset is None:
            queryset = registry.get(self.key).model._default_manager.all()
        related = registry.get(self.key).pick_related
        if related:  # its text names what tells it from namesakes: read with it
            queryset = queryset.select_related(*related)
        try:
            return queryset.filter(pk=value).first()  # type: ignore[no-any-return]
        except (ValueError, TypeError, ValidationError):
            return None

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, models.Model):
            return str(value.pk)
        return super().format_value(value)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        current = self._current(value)
        directory = registry.get(self.key)
        widget_attrs = context["widget"]["attrs"]
        context["picker"] = {
            "key": self.key,
            "pk": "" if current is None else current.pk,
            "text": "" if current is None else directory.text_of(current),
            "inactive": current is not None and getattr(current, "is_active", True) is False,
            "pick_url": reverse("directories:pick", args=[self.key]),
            "new_url": reverse("directories:new", args=[self.key]),
            "list_url": reverse("directories:list", args=[self.key]),
            "can_edit": self.can_edit,
            "title": directory.label,
            "hidden_id": f"{widget_attrs['id']}_pk" if widget_attrs.get("id") else "",
            "narrow": json.dumps(self.narrowed_by) if self.narrowed_by else "",
        }
        return context

    def id_for_label(self, id_: str) -> str:
        return id_

    def _render(self, template_name: str, context: dict[str, Any], renderer: Any = None) -> Any:
        # Joined in Python: a card draws a dozen pickers, and the template engine took a millisecond each.
        if template_name == self.template_name and "picker" in context:
            return picker_html(context)
        return super()._render(template_name, context, renderer)  # type: ignore[misc]


def picker_html(context: dict[str, Any]) -> SafeString:
    """directories/widgets/picker.html (kept as the markup's reference; tests/directories compare the two)."""
    widget, picker = context["widget"], context["picker"]
    name, text = shown(widget["name"]), shown(picker["text"])
    hidden_id = f' id="{shown(picker["hidden_id"])}"' if picker["hidden_id"] else ""
    inactive = (f'<span class="input-group-text text-secondary" data-picker-inactive title="'
                f'{shown(gettext("The item is inactive: kept on this record, not offered for new ones."))}">'
                f'{shown(gettext("inactive"))}</span>') if picker["inactive"] else ""
    buttons = ""
    if picker["can_edit"]:
        add, edit = shown(gettext("Add an item")), shown(gettext("Edit the item"))
        disabled = "" if picker["pk"] else " disabled"
        buttons = (f'<button type="button" class="btn btn-outline-secondary" data-picker-add title="{add}" '
                   f'aria-label="{add}">+</button>\n  <button type="button" class="btn btn-outline-secondary" '
                   f'data-picker-edit title="{edit}" aria-label="{edit}"{disabled}>✎</button>')
    narrow = f' data-narrow="{shown(picker["narrow"])}"' if picker["narrow"] else ""
    return markup(
        f'<div class="k-picker input-group input-group-sm position-relative" data-picker="{shown(picker["key"])}" '
        f'data-pick-url="{shown(picker["pick_url"])}" data-new-url="{shown(picker["new_url"])}" '
        f'data-list-url="{shown(picker["list_url"])}"{narrow} data-testid="picker-{name}">\n'
        f'  <input type="hidden" name="{name}" value="{shown(picker["pk"])}"{hidden_id} data-picker-value>\n'
        f'  <input type="text" value="{text}" data-picker-text autocomplete="off" role="combobox" '
        f'aria-autocomplete="list" aria-expanded="false" placeholder="{shown(gettext("Type to search…"))}" '
        f'title="{shown(picker["title"])}"{attrs_html(widget["attrs"])}>\n'
        f'  {inactive}\n  {buttons}\n'
        f'  <div class="dropdown-menu k-picker-list shadow-sm" role="listbox" data-picker-list></div>\n</div>')


class PickerField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A ModelChoiceField over a whole directory that accepts an inactive item only as the unchanged value."""

    default_error_messages = {
        "inactive": _("This item is inactive; choose another one."),
    }

    def __init__(self, key: str, **kwargs: Any) -> None:
        directory = registry.get(key)
        self.key = key
        kwargs.setdefault("widget", PickerWidget(key))
        # A directory whose rows are not everyone's (clients) accepts nothing until `scope_pickers` narrows
        # it to the rows this user sees: a forgotten call fails closed instead of accepting any id.
        default = directory.model._default_manager
        kwargs.setdefault("queryset", default.none() if directory.queryset_for is not None else default.all())
        super().__init__(**kwargs)
        self._form: forms.BaseForm | None = None
        self._name = ""

    def get_bound_field(self, form: forms.BaseForm, field_name: str) -> forms.BoundField:
        # The form's fields are per-instance copies, so remembering the form here is safe; clean() needs the
        # field's initial value, which Field.clean() is not given.
        self._form = form
        self._name = field_name
        # A directory of everyone's items: the record's own item is shown as the form has it, without a query. One
        # of per-user rows (clients) is still looked up within what the user sees.
        if isinstance(self.widget, PickerWidget):
            # The form's own fields named as the directory's narrowing relations (a card's "region" beside its city)
            # narrow this picker, and a choice here sets them (picker.js).
            self.widget.narrowed_by = {param: form.add_prefix(relation)
                                       for param, relation in registry.get(self.key).narrow if relation in form.fields}
        initial = form.initial.get(field_name)
        if (isinstance(initial, models.Model) and isinstance(self.widget, PickerWidget)
                and registry.get(self.key).queryset_for is None):
            self.widget.known = initial
        return super().get_bound_field(form, field_name)

    def to_python(self, value: Any) -> Any:
        # The record's own item posted back unchanged (the form set it as `widget.known`, read with the record in
        # this request) is taken as it is: validating every unchanged picker of a card was a query each. Only over
        # a whole directory of everyone's items — a narrowed or per-user queryset is still asked.
        known = getattr(self.widget, "known", None)
        if (known is not None and value not in self.empty_values and str(known.pk) == str(value)
                and isinstance(known, self.queryset.model) and not self.queryset.query.where  # type: ignore[union-attr]
                and registry.get(self.key).queryset_for is None):
            return known
        return super().to_python(value)

    def _initial_pk(self) -> str:
        if self._form is None:
            return ""
        initial = self._form.get_initial_for_field(self, self._name)
        if isinstance(initial, models.Model):
            initial = initial.pk
        return "" if initial in (None, "") else str(initial)

    def clean(self, value: Any) -> Any:
        item = super().clean(value)
        if item is not None and getattr(item, "is_active", True) is False and str(item.pk) != self._initial_pk():
            raise ValidationError(self.error_messages["inactive"], code="inactive")
        return item


def picker_field(key: str, *, required: bool = False, label: Any = None, **kwargs: Any) -> PickerField:
    """A form field choosing an item of directory `key` with the search-as-you-type picker."""
    return PickerField(key, required=required, label=label, **kwargs)


def scope_pickers(form: forms.BaseForm, user: Any) -> None:
    """Pickers over per-user rows (`Directory.queryset_for`, e.g. clients) accept only the rows `user` sees.

    Without it such a picker accepts nothing; the submitted id is checked against the same rows the
    picker's drop-down offers (`directories:pick`), so a forged id of a hidden client is refused.
    """
    for field in form.fields.values():
        if isinstance(field, PickerField):
            directory = registry.get(field.key)
            if directory.queryset_for is not None:
                scoped = directory.items_for(user)
                current = field.queryset
                assert current is not None
                # A form that narrowed the field itself keeps its narrowing, within the user's rows.
                field.queryset = scoped if current.query.is_empty() else current.filter(pk__in=scoped.values("pk"))


def allow_picker_editing(form: forms.BaseForm, user: Any) -> None:
    """Scope the form's pickers to `user` and show "+" and "✎" on those whose directory this user may edit."""
    scope_pickers(form, user)
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, PickerWidget):
            widget.can_edit = policies.can_edit(user, registry.get(widget.key))
