"""Widgets drawn in Python instead of through the template engine, with the very markup their templates give.

A <select> of fifty users took 5 ms through Django's templates (an include per option and another per option's
attributes); the same markup joined here takes a twentieth of it. `KontoraRenderer` (core.forms.base) answers the
templates named in PYTHON_TEMPLATES with these functions; tests/core check that each gives what its template gives.
A widget whose options use another template, and a field marked with a conflict, go through the engine as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, cast

from django.template import Context
from django.template.base import render_value_in_context
from django.template.defaultfilters import linebreaksbr
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeData, SafeString
from django.utils.translation import gettext

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"

_CONTEXT = Context(autoescape=True)  # what a template's {{ value }} does: localised, then escaped unless safe


def shown(value: Any) -> SafeString:
    """`{{ value }}` of a template: localised, escaped unless already safe."""
    return cast(SafeString, render_value_in_context(value, _CONTEXT))  # conditionally escaped: a SafeString


def as_string(value: Any) -> SafeString:
    """`{{ value|stringformat:'s' }}`: the value as text, escaped unless already safe."""
    return conditional_escape(value if isinstance(value, SafeData) else f"{value}")


def joined(pieces: Iterable[Any]) -> SafeString:
    """Pieces of markup one after another, each escaped unless already safe."""
    return format_html_join("", "{}", ((piece,) for piece in pieces))


def attrs_html(attrs: Mapping[str, Any]) -> SafeString:
    """django/forms/widgets/attrs.html: ` name="value"`, a True value as a bare name, a False one left out."""
    return joined(format_html(" {}", name) if value is True else format_html(' {}="{}"', name, as_string(value))
                  for name, value in attrs.items() if value is not False)


def select_html(context: Mapping[str, Any]) -> SafeString | None:
    """django/forms/widgets/select.html with its options, or None when an option has a template of its own."""
    widget = context["widget"]
    out: list[Any] = [format_html('<select name="{}"{}>', shown(widget["name"]), attrs_html(widget["attrs"]))]
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            out.append(format_html('\n  <optgroup label="{}">', shown(group_name)))
        for option in options:
            if option["template_name"] != OPTION:
                return None
            out.append(format_html('\n  <option value="{}"{}>{}</option>\n', as_string(option["value"]),
                                   attrs_html(option["attrs"]), shown(option["label"])))
        if group_name:
            out.append(format_html("\n  </{}>", "optgroup"))
    out.append(format_html("\n</{}>", "select"))
    return joined(out)


def field_html(context: Mapping[str, Any]) -> SafeString | None:
    """core/ui/field.html (core.forms.base.KontoraBoundField), or None for a field marked with a conflict: that rare
    block stays in the template alone."""
    field = context["field"]
    if field.conflict:
        return None
    horizontal, kind, name = field.form.horizontal, field.widget_type, shown(field.name)
    label, auto_id = shown(field.label), shown(field.auto_id)
    opening = '<div class="row g-2 mb-1 align-items-start {}">' if horizontal else '<div class="{}">'
    out: list[Any] = [format_html(opening, shown(field.col))]
    label_class = "col-4 col-form-label col-form-label-sm" if horizontal else "form-label small mb-0"
    required = " k-required" if field.is_required else ""
    help_text = (format_html('<div class="form-text small mt-0" id="{}_helptext">{}</div>', auto_id,
                             shown(field.help_text)) if field.help_text else "")
    if field.read_only:
        out.append(format_html(
            '\n\n  <div class="{}">{}</div>\n  <div class="{}" id="{}" data-testid="value-{}">{}</div>\n',
            label_class, label, "col-8 k-value small" if horizontal else "k-value small", auto_id, name,
            linebreaksbr(field.shown or "—", autoescape=True)))
    elif kind == "checkbox":
        out.append(format_html(
            '\n\n  <div class="form-check{}">{}<label class="form-check-label small" for="{}">{}</label></div>'
            '\n  {}\n', " offset-4" if horizontal else "", field, shown(field.id_for_label), label, help_text))
    elif kind in ("radioselect", "checkboxselectmultiple"):
        choices = joined(format_html(
            '<div class="form-check form-check-inline">{}<label class="form-check-label small" for="{}">{}</label>'
            '</div>', choice.tag(), shown(choice.id_for_label), shown(choice.choice_label)) for choice in field)
        if not choices:
            choices = format_html('<span class="text-secondary small">{}</span>',
                                  shown(gettext("The directory is empty.")))
        out.append(format_html('\n\n  <div class="form-label small mb-0{}">{}</div>\n  '
                               '<div data-testid="choices-{}">{}</div>\n', required, label, name, choices))
    else:
        out.append(format_html('\n\n  <label class="{}{}" for="{}">{}</label>\n  ', label_class, required,
                               shown(field.id_for_label), label))
        widget = format_html('{}\n  {}', field, help_text)
        out.append(format_html('<div class="col-8">{}</div>', widget) if horizontal else widget)
        out.append("\n")
    out.append("\n  \n  ")
    out.extend(format_html('<div class="invalid-feedback d-block{}" id="{}_error" data-testid="error-{}">{}</div>',
                           " offset-4 col-8" if horizontal else "", auto_id, name, shown(error))
               for error in field.errors)
    out.append(format_html("\n</{}>", "div"))
    return joined(out)


def input_html(context: Mapping[str, Any]) -> SafeString:
    """django/forms/widgets/input.html and the templates that only include it (text, email, checkbox, date …)."""
    widget = context["widget"]
    value = "" if widget["value"] is None else format_html(' value="{}"', as_string(widget["value"]))
    return format_html('<input type="{}" name="{}"{}{}>', shown(widget["type"]), shown(widget["name"]), value,
                       attrs_html(widget["attrs"]))


def option_input_html(context: Mapping[str, Any]) -> SafeString | None:
    """A radio or checkbox option's input as a field draws it (its label apart: `BoundWidget.tag()`)."""
    return None if context["widget"].get("wrap_label") else input_html(context)


def textarea_html(context: Mapping[str, Any]) -> SafeString:
    widget = context["widget"]
    return format_html('<textarea name="{}"{}>\n{}</textarea>', shown(widget["name"]), attrs_html(widget["attrs"]),
                       shown(widget["value"]) if widget["value"] else "")


FIELD = "core/ui/field.html"
_WIDGETS = "django/forms/widgets/"
PYTHON_TEMPLATES: dict[str, Callable[[Mapping[str, Any]], SafeString | None]] = {
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
    return draw(context) if draw is not None else None
