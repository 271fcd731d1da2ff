"""Widgets drawn in Python instead of through the template engine, with the very markup their templates give.

A <select> of fifty users took 5 ms through Django's templates (an include per option and another per option's
attributes); the same markup joined here takes a twentieth of it. `KontoraRenderer` (core.forms.base) answers the
templates named in PYTHON_TEMPLATES with these functions; tests/core check that each gives what its template gives.
A widget whose options use another template, and a field marked with a conflict, go through the engine as before.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from typing import Any

from django.template import Context
from django.template.base import render_value_in_context
from django.template.defaultfilters import linebreaksbr
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import gettext

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"

_CONTEXT = Context(autoescape=True)  # what a template's {{ value }} does: localised, then escaped unless safe


def shown(value: Any) -> str:
    """`{{ value }}` of a template: localised, escaped unless already safe (a plain text straight through
    html.escape, as Django's escape does it, without its lazy-text wrapper)."""
    if type(value) is str:
        return html.escape(value)
    return render_value_in_context(value, _CONTEXT)


def as_string(value: Any) -> str:
    """`{{ value|stringformat:'s' }}`: the value as text, escaped unless already safe."""
    return f"{value}" if isinstance(value, SafeData) else html.escape(f"{value}")


def markup(html: str) -> SafeString:
    """Markup joined here from escaped values (`shown`, `as_string`, `attrs_html`) and safe pieces: the one place
    it is declared safe. Every template answered in Python is compared with its template in tests/core (and the
    picker in tests/directories), tricky values included."""
    return mark_safe(html)  # noqa: S308  built only from escaped values, as above


def attrs_html(attrs: Mapping[str, Any]) -> str:
    """django/forms/widgets/attrs.html: ` name="value"`, a True value as a bare name, a False one left out."""
    return "".join(f" {shown(name)}" if value is True else f' {shown(name)}="{as_string(value)}"'
                   for name, value in attrs.items() if value is not False)


def select_html(context: Mapping[str, Any]) -> str | None:
    """django/forms/widgets/select.html with its options, or None when an option has a template of its own."""
    widget = context["widget"]
    out = [f'<select name="{shown(widget["name"])}"{attrs_html(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{shown(group_name)}">')
        for option in options:
            if option["template_name"] != OPTION:
                return None
            out.append(f'\n  <option value="{as_string(option["value"])}"{attrs_html(option["attrs"])}>'
                       f'{shown(option["label"])}</option>\n')
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


def field_html(context: Mapping[str, Any]) -> str | None:
    """core/ui/field.html (core.forms.base.KontoraBoundField), or None for a field marked with a conflict: that rare
    block stays in the template alone."""
    field = context["field"]
    if not hasattr(field, "col") or field.conflict:  # not a KontoraBoundField, or a conflict to choose
        return None
    horizontal, kind, name = field.form.horizontal, field.widget_type, shown(field.name)
    label, auto_id, col = shown(field.label), shown(field.auto_id), shown(field.col)
    out = [f'<div class="row g-2 mb-1 align-items-start {col}">' if horizontal else f'<div class="{col}">']
    label_class = "col-4 col-form-label col-form-label-sm" if horizontal else "form-label small mb-0"
    required = " k-required" if field.is_required else ""
    help_text = (f'<div class="form-text small mt-0" id="{auto_id}_helptext">{shown(field.help_text)}</div>'
                 if field.help_text else "")
    if field.read_only:
        value_class = "col-8 k-value small" if horizontal else "k-value small"
        reason = (f'<div class="{"offset-4 col-8 " if horizontal else ""}form-text small mt-0" '
                  f'data-testid="reason-{name}">{shown(field.reason)}</div>' if field.reason else "")
        out.append(f'\n\n  <div class="{label_class}">{label}</div>\n  <div class="{value_class}" id="{auto_id}" '
                   f'data-testid="value-{name}">{linebreaksbr(field.shown or "—", autoescape=True)}</div>{reason}\n')
    elif kind == "checkbox":
        offset = " offset-4" if horizontal else ""
        out.append(f'\n\n  <div class="form-check{offset}">{conditional_escape(field)}<label '
                   f'class="form-check-label small" for="{shown(field.id_for_label)}">{label}</label></div>\n  '
                   f'{help_text}\n')
    elif kind in ("radioselect", "checkboxselectmultiple"):
        choices = "".join(
            f'<div class="form-check form-check-inline">{conditional_escape(choice.tag())}<label '
            f'class="form-check-label small" for="{shown(choice.id_for_label)}">{shown(choice.choice_label)}</label>'
            f'</div>' for choice in field)
        if not choices:
            choices = f'<span class="text-secondary small">{shown(gettext("The directory is empty."))}</span>'
        out.append(f'\n\n  <div class="form-label small mb-0{required}">{label}</div>\n  '
                   f'<div data-testid="choices-{name}">{choices}</div>\n')
    else:
        opened, closed = ('<div class="col-8">', "</div>") if horizontal else ("", "")
        out.append(f'\n\n  <label class="{label_class}{required}" for="{shown(field.id_for_label)}">{label}</label>'
                   f'\n  {opened}{conditional_escape(field)}\n  {help_text}{closed}\n')
    out.append("\n  \n  ")
    offset = " offset-4 col-8" if horizontal else ""
    out.extend(f'<div class="invalid-feedback d-block{offset}" id="{auto_id}_error" data-testid="error-{name}">'
               f'{shown(error)}</div>' for error in field.errors)
    out.append("\n</div>")
    return "".join(out)


def input_html(context: Mapping[str, Any]) -> str:
    """django/forms/widgets/input.html and the templates that only include it (text, email, checkbox, date …)."""
    widget = context["widget"]
    value = "" if widget["value"] is None else f' value="{as_string(widget["value"])}"'
    return f'<input type="{shown(widget["type"])}" name="{shown(widget["name"])}"{value}{attrs_html(widget["attrs"])}>'


def option_input_html(context: Mapping[str, Any]) -> str | None:
    """A radio or checkbox option's input as a field draws it (its label apart: `BoundWidget.tag()`)."""
    return None if context["widget"].get("wrap_label") else input_html(context)


def textarea_html(context: Mapping[str, Any]) -> str:
    widget = context["widget"]
    text = shown(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{shown(widget["name"])}"{attrs_html(widget["attrs"])}>\n{text}</textarea>'


FIELD = "core/ui/field.html"
_WIDGETS = "django/forms/widgets/"
PYTHON_TEMPLATES: dict[str, Callable[[Mapping[str, Any]], str | None]] = {
    SELECT: select_html, FIELD: field_html, f"{_WIDGETS}textarea.html": textarea_html,
    **{f"{_WIDGETS}{name}.html": input_html for name in (
        "input", "text", "email", "url", "number", "password", "hidden", "checkbox", "date", "datetime", "time",
        "search", "tel", "color")},
    **{f"{_WIDGETS}{name}_option.html": option_input_html for name in ("radio", "checkbox")},
}


def render_in_python(template_name: str, context: Mapping[str, Any]) -> SafeString | None:
    """The template's markup joined in Python (as DjangoTemplates.render gives it: stripped), or None: then the engine
    draws it."""
    draw = PYTHON_TEMPLATES.get(template_name)
    html = draw(context) if draw is not None else None
    return None if html is None else markup(html)
