"""The Flexi-filter specification: validation (`parse`), human text (`describe`) and the query (`to_q`).

  group     = {"op": "and" | "or", "items": [item, …]}      1..MAX_ITEMS items, at most MAX_DEPTH levels
  item      = group | condition
  condition = {"field": "<key>", "operator": "<code>", "value": <json>}

`parse` checks every condition against the field catalogue (`fields.get_field`) and returns the
normalised specification — the only form `to_q`, templates and the session accept. A refused specification
raises a ValidationError whose message names the field or operator, in the user's language. An error of an
item is keyed by the item's place (`refusal_path` reads it back): the indexes into `items` from the root,
e.g. (1, 0) is the first item of the root's second item (a group); an error of the whole specification
carries no place. Nothing reaches the database.

`to_q` compiles a parsed specification into one `Q` over `Client`. Conditions over related rows are
`Exists` / `pk__in` subqueries, so the registry, counts and exports stay one SQL query. The `Q` narrows a
queryset that must already start from `access.visible_clients`
(`selectors.registry_queryset(fetched_by=user, filter_q=to_q(spec, user=user))`): a filter never widens
what the user sees. A condition of a field that reads card data (`FieldDef.reads == CARD`) is compiled through
`access.card_only`: it holds only on clients the user may open.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from kontora.clients import access
from kontora.clients.flexi.hooks import ME, NO_VALUE, OPERATOR_LABELS, REGISTRY, FieldDef
from kontora.clients.flexi.selectors.fields import clean_value, get_field
from kontora.core.text import json_param
from kontora.directories.selectors import registry

MAX_DEPTH = 4  # the root group is level 1
MAX_ITEMS = 50  # items in one group
MAX_CONDITIONS = 200  # conditions in the whole specification
MAX_JSON = 64 * 1024
OPS = ("and", "or")


def _refused(message: str, *, path: tuple[int, ...] = (), code: str = "invalid") -> ValidationError:
    """A refusal of the specification: an item's keyed by its place ("1.0"), the whole one's plain."""
    error = ValidationError(message, code=code)
    return ValidationError({".".join(str(index) for index in path): error}) if path else error


def refusal_path(error: ValidationError) -> tuple[int, ...]:
    """Where a refused specification went wrong: the indexes into `items` from the root; () for the whole."""
    if not hasattr(error, "error_dict"):
        return ()
    place = next(iter(error.error_dict))
    return tuple(int(index) for index in place.split(".")) if place else ()


def parse(raw: str | bytes | dict[str, Any], *, user: Any) -> dict[str, Any]:
    """The validated, normalised specification; a ValidationError otherwise (its place: `refusal_path`).

    `raw` is JSON text or an already decoded dict. A bare condition is taken as a group of one. Only fields
    of active attributes ("attr:<id>") are looked up in the base; everything else is checked without SQL.
    """
    if isinstance(raw, str | bytes):
        if len(raw) > MAX_JSON:
            raise _refused(_("The filter is too large."), code="size")
        try:
            raw = json_param(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            raise _refused(_("The filter could not be read."), code="invalid") from exc
    if isinstance(raw, dict) and "field" in raw and "items" not in raw:
        raw = {"op": "and", "items": [raw]}
    counter = [0]
    return _group(raw, user=user, depth=1, path=(), counter=counter)


def _group(raw: Any, *, user: Any, depth: int, path: tuple[int, ...], counter: list[int]) -> dict[str, Any]:
    if depth > MAX_DEPTH:
        raise _refused(_("Groups are nested too deeply: at most %(count)s levels.") % {"count": MAX_DEPTH},
                        path=path, code="depth")
    if not isinstance(raw, dict) or not isinstance(raw.get("items"), list):
        raise _refused(_("The filter could not be read."), path=path, code="invalid")
    op = raw.get("op", "and")
    if op not in OPS:
        raise _refused(_("Unknown logical operator “%(op)s”: use AND or OR.") % {"op": str(op)[:20]},
                        path=path, code="op")
    items = raw["items"]
    if not items:
        raise _refused(_("The group is empty: add a condition."), path=path, code="empty")
    if len(items) > MAX_ITEMS:
        raise _refused(_("A group holds at most %(count)s conditions.") % {"count": MAX_ITEMS},
                        path=path, code="size")
    result = []
    for index, item in enumerate(items):
        here = (*path, index)
        if isinstance(item, dict) and "items" in item:
            result.append(_group(item, user=user, depth=depth + 1, path=here, counter=counter))
        else:
            counter[0] += 1
            if counter[0] > MAX_CONDITIONS:
                raise _refused(_("A filter holds at most %(count)s conditions.") % {"count": MAX_CONDITIONS},
                                path=here, code="size")
            result.append(_condition(item, user=user, path=here))
    return {"op": op, "items": result}


def _condition(raw: Any, *, user: Any, path: tuple[int, ...]) -> dict[str, Any]:
    if not isinstance(raw, dict) or set(raw) - {"field", "operator", "value"}:
        raise _refused(_("The filter could not be read."), path=path, code="invalid")
    try:
        field_def = get_field(raw.get("field"))
        operator = str(raw.get("operator"))
        value = clean_value(field_def, operator, raw.get("value"))
        field_def.to_q(operator, value, user)  # builds (never runs) the condition: the last check of the value
    except ValidationError as exc:
        raise _refused(" ".join(exc.messages), path=path, code=getattr(exc, "code", None) or "invalid") from exc
    return {"field": field_def.key, "operator": operator, "value": value}


def raw_conditions(node: Any, path: str = "") -> list[tuple[str, dict[str, Any]]]:
    """Every condition of a (raw or parsed) specification with its path: item indices from the root, "0.2.1"."""
    found: list[tuple[str, dict[str, Any]]] = []
    if not isinstance(node, dict):
        return found
    items = node.get("items")
    if isinstance(items, list):
        for index, item in enumerate(items):
            found.extend(raw_conditions(item, f"{path}.{index}" if path else str(index)))
    elif path:
        found.append((path, node))
    return found


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
    if operator in NO_VALUE:
        return f"{label}: {symbol}"
    if field_def is not None and field_def.control in ("counted", "sum") and isinstance(value, dict):
        return _describe_counted(label, symbol, condition["field"], value, labels)
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


def _describe_counted(label: str, symbol: str, key: str, value: dict[str, Any],
                      labels: dict[tuple[str, Any], str]) -> str:
    """«События за период: не менее 3 {Звонок} 01.03.2026 — 31.03.2026»."""
    parts = [f"{label}: {symbol}"]
    if value.get("count") is not None:
        parts.append(str(value["count"]))
    if value.get("amount") is not None:
        parts.append(number_format(Decimal(value["amount"]), decimal_pos=2, force_grouping=True))
    if value.get("items"):
        parts.append("{" + ", ".join(labels.get((key, item), f"#{item}") for item in value["items"]) + "}")
    if value.get("from") or value.get("to"):
        parts.append(f"{_show(value.get('from') or '…')} — {_show(value.get('to') or '…')}")
    return " ".join(parts)


def _items(value: Any) -> list[Any]:
    """The picked items of a condition's value: a list, one item, or a counted value's "items"."""
    if isinstance(value, dict):
        items = value.get("items")
        return items if isinstance(items, list) else []
    return value if isinstance(value, list) else [value]


def _show(value: Any) -> str:
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value).strftime("%d.%m.%Y")
        except ValueError:
            return value
    return str(value)


def _directory_names(field_def: FieldDef, ids: list[int]) -> dict[int, str]:
    """The names of a directory field's items as its picker shows them (a place with its region), one query."""
    if not field_def.directory or not ids:
        return {}
    directory = registry.get(field_def.directory)
    rows: Any = directory.model._default_manager.filter(pk__in=ids)
    if directory.pick_related:
        rows = rows.select_related(*directory.pick_related)
    return {row.pk: directory.text_of(row) for row in rows}


def picked_labels(spec: dict[str, Any] | None) -> dict[str, dict[str, str]]:
    """Texts of the directory items a specification names, so the panel shows names instead of ids:
    {field key: {str(id): name}}."""
    labels: dict[str, dict[str, str]] = {}
    for _path, condition in raw_conditions(spec):
        try:
            field_def = get_field(condition.get("field"))
        except ValidationError:
            continue
        ids = [v for v in _items(condition.get("value")) if isinstance(v, int)]
        for pk, text in _directory_names(field_def, ids).items():
            labels.setdefault(field_def.key, {})[str(pk)] = text
    return labels


def _value_labels(spec: dict[str, Any]) -> dict[tuple[str, Any], str]:
    """Names of the picked values, one query per field: (field key, id) → label."""
    result: dict[tuple[str, Any], str] = {}
    for condition in conditions(spec):
        try:
            field_def: FieldDef = get_field(condition["field"])
        except ValidationError:
            continue
        wanted = _items(condition["value"])
        if field_def.control not in ("pick", "multi", "counted"):
            continue
        if field_def.directory:
            ids = [item for item in wanted if isinstance(item, int)]
            for pk, text in _directory_names(field_def, ids).items():
                result[(field_def.key, pk)] = text
        elif field_def.choices is not None:
            for code, text in field_def.choices():
                result[(field_def.key, code)] = str(text)
                if isinstance(code, str) and code.isdigit():
                    result[(field_def.key, int(code))] = str(text)
        if ME in wanted:
            result[(field_def.key, ME)] = _("me")
    return result


def to_q(spec: dict[str, Any], *, user: Any) -> Q:
    """The whole specification (the output of `parse`) as one Q; "me" in user fields means `user`.

    Raises ValidationError when a field has gone since the specification was saved (an attribute
    deactivated): the caller drops such a filter rather than showing every client.
    """
    return _compiled_group(spec, user)


def _compiled_group(group: dict[str, Any], user: Any) -> Q:
    parts = [_compiled_group(item, user) if "items" in item else _compiled_condition(item, user)
             for item in group["items"]]
    result = parts[0]
    for part in parts[1:]:
        result = (result | part) if group["op"] == "or" else (result & part)
    # Wrapping keeps the group's own connector when it is combined with other Qs later.
    return Q(result)


def _compiled_condition(condition: dict[str, Any], user: Any) -> Q:
    field_def = get_field(condition["field"])
    q = field_def.to_q(condition["operator"], condition["value"], user)
    # A condition over card data holds only on clients the user may open: on one he may only list it is false
    # whatever its data, so no count or row of the filter tells him what his card level hides.
    return q if field_def.reads == REGISTRY else access.card_only(user, q)
