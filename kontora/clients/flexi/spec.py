"""The Flexi-filter specification: validation (`parse`) and human text (`describe`).

  group     = {"op": "and" | "or", "items": [item, …]}      1..MAX_ITEMS items, at most MAX_DEPTH levels
  item      = group | condition
  condition = {"field": "<key>", "operator": "<code>", "value": <json>}

`parse` checks every condition against the field catalogue (`fields.get_field`) and returns the
normalised specification — the only form `compile.to_q`, templates and the session accept. A refused
specification raises `SpecError` (a ValidationError) whose message names the field or operator, in the
user's language, and whose `path` locates the offending item: the indexes into `items` from the root,
e.g. (1, 0) is the first item of the root's second item (a group). Nothing reaches the database.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kontora.clients.flexi.fields import ME, OPERATOR_LABELS, FieldDef, get_field
from kontora.directories.selectors import registry

MAX_DEPTH = 4  # the root group is level 1
MAX_ITEMS = 50  # items in one group
MAX_CONDITIONS = 200  # conditions in the whole specification
MAX_JSON = 64 * 1024
OPS = ("and", "or")


class SpecError(ValidationError):
    """A refused specification; `path` locates the offending item (indexes into `items` from the root)."""

    def __init__(self, message: str, *, path: tuple[int, ...] = (), code: str = "invalid") -> None:
        super().__init__(message, code=code)
        self.path = path


def parse(raw: str | bytes | dict[str, Any], *, user: Any) -> dict[str, Any]:
    """The validated, normalised specification; SpecError (a ValidationError) otherwise.

    `raw` is JSON text or an already decoded dict. A bare condition is taken as a group of one. Only fields
    of active attributes ("attr:<id>") are looked up in the base; everything else is checked without SQL.
    """
    if isinstance(raw, str | bytes):
        if len(raw) > MAX_JSON:
            raise SpecError(_("The filter is too large."), code="size")
        try:
            raw = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            raise SpecError(_("The filter could not be read."), code="invalid") from exc
    if isinstance(raw, dict) and "field" in raw and "items" not in raw:
        raw = {"op": "and", "items": [raw]}
    counter = [0]
    return _group(raw, user=user, depth=1, path=(), counter=counter)


def _group(raw: Any, *, user: Any, depth: int, path: tuple[int, ...], counter: list[int]) -> dict[str, Any]:
    if depth > MAX_DEPTH:
        raise SpecError(_("Groups are nested too deeply: at most %(count)s levels.") % {"count": MAX_DEPTH},
                        path=path, code="depth")
    if not isinstance(raw, dict) or not isinstance(raw.get("items"), list):
        raise SpecError(_("The filter could not be read."), path=path, code="invalid")
    op = raw.get("op", "and")
    if op not in OPS:
        raise SpecError(_("Unknown logical operator “%(op)s”: use AND or OR.") % {"op": str(op)[:20]},
                        path=path, code="op")
    items = raw["items"]
    if not items:
        raise SpecError(_("The group is empty: add a condition."), path=path, code="empty")
    if len(items) > MAX_ITEMS:
        raise SpecError(_("A group holds at most %(count)s conditions.") % {"count": MAX_ITEMS},
                        path=path, code="size")
    result = []
    for index, item in enumerate(items):
        here = (*path, index)
        if isinstance(item, dict) and "items" in item:
            result.append(_group(item, user=user, depth=depth + 1, path=here, counter=counter))
        else:
            counter[0] += 1
            if counter[0] > MAX_CONDITIONS:
                raise SpecError(_("A filter holds at most %(count)s conditions.") % {"count": MAX_CONDITIONS},
                                path=here, code="size")
            result.append(_condition(item, user=user, path=here))
    return {"op": op, "items": result}


def _condition(raw: Any, *, user: Any, path: tuple[int, ...]) -> dict[str, Any]:
    if not isinstance(raw, dict) or set(raw) - {"field", "operator", "value"}:
        raise SpecError(_("The filter could not be read."), path=path, code="invalid")
    try:
        field_def = get_field(raw.get("field"))
        operator = str(raw.get("operator"))
        value = field_def.clean(operator, raw.get("value"))
        field_def.to_q(operator, value, user)  # builds (never runs) the condition: the last check of the value
    except SpecError:
        raise
    except ValidationError as exc:
        raise SpecError(" ".join(exc.messages), path=path, code=exc.code or "invalid") from exc
    return {"field": field_def.key, "operator": operator, "value": value}


def conditions(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Every condition of a (parsed) specification, depth first."""
    found: list[dict[str, Any]] = []
    for item in spec.get("items", []):
        found.extend(conditions(item) if "items" in item else [item])
    return found


def describe(spec: dict[str, Any]) -> str:
    """Human text of a parsed specification, e.g. «Статус ∈ {Горячий} И (Город ∈ {Москва} ИЛИ …)»."""
    labels = _value_labels(spec)
    return _describe_group(spec, labels, top=True)


def _describe_group(group: dict[str, Any], labels: dict[tuple[str, Any], str], *, top: bool) -> str:
    word = _("AND") if group["op"] == "and" else _("OR")
    joiner = f" {word} "
    parts = [
        _describe_group(item, labels, top=False) if "items" in item else _describe_condition(item, labels)
        for item in group["items"]
    ]
    text = joiner.join(parts)
    return text if top or len(parts) == 1 else f"({text})"


_SYMBOLS = {"in": "∈", "not_in": "∉", "eq": "=", "ne": "≠", "lt": "<", "le": "≤", "gt": ">", "ge": "≥"}


def _describe_condition(condition: dict[str, Any], labels: dict[tuple[str, Any], str]) -> str:
    try:
        field_def = get_field(condition["field"])
        label = str(field_def.label)
    except ValidationError:
        field_def, label = None, condition["field"]
    operator, value = condition["operator"], condition["value"]
    symbol = _SYMBOLS.get(operator) or str(OPERATOR_LABELS.get(operator, operator))
    if operator in ("is_true", "is_false"):
        return f"{label}: {symbol}"
    if isinstance(value, list) and field_def is not None and field_def.control == "multi":
        names = [labels.get((condition["field"], item), f"#{item}") for item in value]
        return f"{label} {symbol} {{{', '.join(names)}}}"
    if operator == "between":
        return f"{label} {symbol} {_show(value[0])} — {_show(value[1])}"
    if isinstance(value, str) and field_def is not None and field_def.control == "text":
        return f"{label} {symbol} «{value}»"
    if field_def is not None and field_def.control == "pick":
        return f"{label} {symbol} {labels.get((condition['field'], value), value)}"
    return f"{label} {symbol} {_show(value)}"


def _show(value: Any) -> str:
    from datetime import date

    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value).strftime("%d.%m.%Y")
        except ValueError:
            return value
    return str(value)


def _value_labels(spec: dict[str, Any]) -> dict[tuple[str, Any], str]:
    """Names of the picked values, one query per field: (field key, id) → label."""
    result: dict[tuple[str, Any], str] = {}
    for condition in conditions(spec):
        try:
            field_def: FieldDef = get_field(condition["field"])
        except ValidationError:
            continue
        value = condition["value"]
        wanted = value if isinstance(value, list) else [value]
        if field_def.control not in ("pick", "multi"):
            continue
        if field_def.directory:
            model: Any = registry.get(field_def.directory).model
            ids = [item for item in wanted if isinstance(item, int)]
            for row in model._default_manager.filter(pk__in=ids):
                result[(field_def.key, row.pk)] = str(row)
        elif field_def.choices is not None:
            for code, text in field_def.choices():
                result[(field_def.key, code)] = str(text)
                if isinstance(code, str) and code.isdigit():
                    result[(field_def.key, int(code))] = str(text)
        if ME in wanted:
            result[(field_def.key, ME)] = _("me")
    return result
