"""One keyset pager for every journal and list (DESIGN, "Big lists"): seek on the list's order, never OFFSET or
COUNT, forwards ("show more", "Older") and backwards ("Newer").

A list declares its order once — `Keyset("-started_at", "-id")`, the last key unique — and reads a page with
`keyset.page(queryset, request.GET, size=50)`. The cursor names the row a page continues from and the
direction: `?after=<cursor>` pages on past that row, `?before=<cursor>` back towards the top. A cursor is the
row's key values as JSON, base64url-encoded: opaque to the user, read back through the model's own fields, and
harmless when forged — it only moves the seek inside the queryset the user was given. A damaged one starts from
the top.

Rows may be model instances, `.values()` dicts or the plain rows `read` makes; the keys are their attribute (or
dict) names. Sort keys must not be NULL (a seek past NULL has no order).
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
import uuid
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Field, Model, Q, QuerySet
from django.utils.http import urlencode

from kontora.core import prepared
from kontora.core.text import json_param

Row = TypeVar("Row")

AFTER, BEFORE = "after", "before"


@dataclass(frozen=True)
class Page(Generic[Row]):
    rows: list[Row]
    after: str  # the cursor past the last row when more rows follow it, else ""
    before: str  # the cursor before the first row when rows precede it, else ""

    @property
    def is_first(self) -> bool:
        return not self.before

    def link(self, base: str, direction: str, **params: Any) -> str:
        """The URL of the next (`AFTER`) or previous (`BEFORE`) page, keeping `params`; "" when there is none."""
        cursor = self.after if direction == AFTER else self.before
        if not cursor:
            return ""
        query = {name: value for name, value in params.items() if value not in (None, "")}
        query[direction] = cursor
        return f"{base}?{urlencode(query)}"

    def nav(self, base: str, **params: Any) -> dict[str, str]:
        """The links `core/ui/pager.html` draws: the first page (when not on it), the previous and the next."""
        query = {name: value for name, value in params.items() if value not in (None, "")}
        first = f"{base}?{urlencode(query)}" if query else base
        return {"first": "" if self.is_first else first, "previous": self.link(base, BEFORE, **params),
                "next": self.link(base, AFTER, **params)}


def _exact(value: Any) -> str:
    """Key values as text that reads back to the same value: Django's JSON encoder cuts microseconds, and a seek
    past a rounded moment would skip or repeat rows."""
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    raise TypeError(f"a keyset key of type {type(value).__name__} cannot be written into a cursor")


def position(params: Mapping[str, str]) -> dict[str, str]:
    """The cursor a page was read from (`after` or `before` of its request), to come back to the same page after
    an action on one of its rows."""
    for direction in (AFTER, BEFORE):
        if params.get(direction):
            return {direction: params[direction]}
    return {}


class Keyset:
    """The order of a list as (key, …, unique key), each "-name" for descending, and its pages."""

    def __init__(self, *order: str) -> None:
        if not order:
            raise ValueError("a keyset needs at least its unique key")
        self.order = order
        self.names = tuple(name.lstrip("-") for name in order)
        self.descending = tuple(name.startswith("-") for name in order)

    # --- cursors ---

    def encode(self, row: Any) -> str:
        values = [row[name] if isinstance(row, Mapping) else getattr(row, name) for name in self.names]
        text = json.dumps(values, default=_exact, ensure_ascii=False, separators=(",", ":"))
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    def decode(self, cursor: str, model: type[Model]) -> tuple[Any, ...] | None:
        """The key values a cursor holds, as the model's fields read them; None for a damaged cursor."""
        if not cursor:
            return None
        try:
            raw = json_param(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        except (ValueError, binascii.Error, UnicodeDecodeError):
            return None
        if not isinstance(raw, list) or len(raw) != len(self.names):
            return None
        values = []
        for name, value in zip(self.names, raw, strict=True):
            try:
                field = model._meta.get_field("id" if name == "pk" else name)
                if not isinstance(field, Field):
                    return None
                values.append(field.to_python(value))
            except (FieldDoesNotExist, ValidationError, TypeError, ValueError):
                return None
        return tuple(values)

    # --- the seek ---

    def _past(self, values: Sequence[Any], backwards: bool) -> Q:
        """Rows after `values` in the list's order (before them when `backwards`): a lexicographic comparison
        written as ORs of "equal keys so far, this key past"."""
        condition = Q()
        for index, name in enumerate(self.names):
            later = self.descending[index] != backwards
            step = Q(**{f"{name}__{'lt' if later else 'gt'}": values[index]})
            for earlier in range(index):
                step &= Q(**{self.names[earlier]: values[earlier]})
            condition |= step
        return condition

    def _ordering(self, backwards: bool) -> list[str]:
        if not backwards:
            return list(self.order)
        return [name[1:] if name.startswith("-") else f"-{name}" for name in self.order]

    def page(self, queryset: QuerySet[Any], params: Mapping[str, str], *, size: int) -> Page[Any]:
        """One page of `queryset` (its rows as it yields them) from the cursor in `params` (`after` or
        `before`), `size` rows, one query."""
        model = queryset.model
        backwards = bool(params.get(BEFORE)) and not params.get(AFTER)
        cursor = self.decode(params.get(BEFORE if backwards else AFTER, ""), model)
        seek = queryset if cursor is None else queryset.filter(self._past(cursor, backwards))
        fetched = list(seek.order_by(*self._ordering(backwards and cursor is not None))[: size + 1])
        return self._finish(fetched, size, backwards=backwards, cursor=cursor)

    def read(self, *, model: type[Model], key: Hashable, values: Mapping[str, Any],
             parts: Sequence[Callable[[Mapping[str, Any]], QuerySet[Any]]], fields: Sequence[str],
             make: Callable[..., Row], params: Mapping[str, str], size: int) -> Page[Row]:
        """`page` for a hot list, its statements compiled once per shape (core.prepared): on SQLite Django's
        building of a query costs several times the index seek it asks for. Each of `parts` builds the list's rows
        (of `model`) from `values` — or from their markers, so it may use them only as plain comparison values —
        and `key` names everything else that changes their SQL. Rows are `make(*row)` for the row's `fields`
        (which hold the list's keys). Several parts, which may overlap, are each read along their own index and
        merged — where one query with an OR of two indexed columns would sort every row of both. One query a
        part."""
        backwards = bool(params.get(BEFORE)) and not params.get(AFTER)
        cursor = self.decode(params.get(BEFORE if backwards else AFTER, ""), model)
        flipped = backwards and cursor is not None
        seek = {f"seek{index}": value for index, value in enumerate(cursor or ())}
        shape = (key, cursor is not None, flipped, size, tuple(fields))
        unique = fields.index(self.names[-1])
        merged: dict[Any, tuple[Any, ...]] = {}
        for number, part in enumerate(parts):
            def marked(v: Mapping[str, Any], part: Callable[[Mapping[str, Any]], QuerySet[Any]] = part,
                       ) -> QuerySet[Any]:
                rows = part(v)
                if cursor is not None:
                    rows = rows.filter(self._past([v[f"seek{index}"] for index in range(len(self.names))],
                                                  backwards))
                return rows.order_by(*self._ordering(flipped)).values_list(*fields)[: size + 1]

            for row in prepared.fetch((*shape, number), {**values, **seek}, marked):
                merged[row[unique]] = row  # the last key is unique: a row of two parts counts once
        chosen = list(merged.values())
        if len(parts) > 1:
            for name in reversed(self.names):  # stable sorts, the last key first: the list's order
                at, descending = fields.index(name), self.descending[self.names.index(name)]
                chosen.sort(key=lambda row: row[at], reverse=descending != flipped)
        return self._finish([make(*row) for row in chosen[: size + 1]], size, backwards=backwards, cursor=cursor)

    def first(self, fetched: list[Any], *, size: int) -> Page[Any]:
        """The first page of rows read in this order by other means (up to `size` + 1 of them, the extra one
        telling that more follow): its "more" link seeks on like any other page's."""
        return self._finish(fetched, size, backwards=False, cursor=None)

    def _finish(self, fetched: list[Any], size: int, *, backwards: bool, cursor: tuple[Any, ...] | None,
                ) -> Page[Any]:
        more = len(fetched) > size
        rows = fetched[:size]
        if backwards and cursor is not None:
            rows.reverse()
            # Came back from a later page: it follows these rows; rows precede them only if more were found.
            return Page(rows, self.encode(rows[-1]) if rows else "", self.encode(rows[0]) if more and rows else "")
        return Page(rows, self.encode(rows[-1]) if more else "",
                    self.encode(rows[0]) if cursor is not None and rows else "")
