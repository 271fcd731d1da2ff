"""Reads of the client registry: keyset pages over `access.visible_clients`, never an OFFSET or a full COUNT(*)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from django.db.models import Q, QuerySet
from django.db.models.query import ValuesListIterable
from django.urls import reverse

from kontora.clients import access, hooks
from kontora.clients.access import visible_clients
from kontora.clients.models import Client
from kontora.clients.selectors.sorting import DEFAULT_SORT, SORTS, SortSpec, parse_sort, sort_ordering
from kontora.core import prepared
from kontora.core.text import name_core, search_key

PAGE_SIZE = 50
COUNT_CAP = 10_000

ROW_FIELDS = (
    "id", "code", "short_name", "name_key", "city_key", "phone", "flag_id", "needs_attention", "is_private",
    "has_files", "changed_at", "curator_id", "status_id", "settlement_id",
    "curator__full_name", "status__name", "settlement__name", "flag__name", "flag__colour",
)


class FlagRef(NamedTuple):
    """The client's named flag as a registry row shows it: a coloured ⚑ with the flag's name."""

    pk: int
    name: str
    colour: str


class RowRef(NamedTuple):
    """A related record as a registry row shows it: its id and its name."""

    pk: int
    name: str

    @property
    def full_name(self) -> str:  # the curator's name, spelled as on User
        return self.name


@dataclass(slots=True)
class RegistryRow:
    """One registry row: the shown columns as plain values, with the attribute names of Client.

    Rows are read with values_list, not as Client instances: building 50 models with three related
    ones each cost several times the query itself (bench/RESULTS.md, the million-client run).
    """

    id: int
    code: int
    short_name: str
    name_key: str
    city_key: str
    phone: str
    flag_id: int | None
    needs_attention: bool
    is_private: bool
    has_files: bool
    changed_at: datetime
    curator_id: int | None
    status_id: int | None
    settlement_id: int | None
    curator: RowRef | None
    status: RowRef | None
    settlement: RowRef | None
    flag: FlagRef | None

    @property
    def pk(self) -> int:
        return self.id

    @property
    def flagged(self) -> bool:
        return self.flag_id is not None

    def __str__(self) -> str:
        return f"{self.code} · {self.short_name}"


def _row(v: tuple[Any, ...]) -> RegistryRow:
    # Positions follow ROW_FIELDS: 11–13 are the related ids, 14–16 their names; 6 the flag's id, 17–18 its name
    # and colour.
    return RegistryRow(
        v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13],
        None if v[11] is None else RowRef(v[11], v[14]),
        None if v[12] is None else RowRef(v[12], v[15]),
        None if v[13] is None else RowRef(v[13], v[16]),
        None if v[6] is None else FlagRef(v[6], v[17], v[18]),
    )


class _RowIterable(ValuesListIterable):
    """values_list's tuples turned into RegistryRow, so a sliced queryset yields rows directly."""

    def __iter__(self) -> Iterator[RegistryRow]:  # type: ignore[override]
        for values in super().__iter__():
            yield _row(values)


@dataclass(frozen=True)
class RegistryPage:
    rows: list[RegistryRow]
    sort: str
    next_after: int | None  # id of the last row when more rows follow
    prev_before: int | None = None  # id of the first row when rows precede it (a page that starts mid-list)
    cursor: int | None = None  # id of the row Ctrl+F puts the cursor on


def _after_q(spec: SortSpec, descending: bool, values: dict[str, Any]) -> Q:
    """Rows strictly after `values` in the order (asc: NULL first; desc: exactly the reverse)."""

    def equal(name: str) -> Q:
        value = values[name]
        return Q(**{f"{name}__isnull": True}) if value is None else Q(**{name: value})

    def beyond(name: str) -> Q:
        value = values[name]
        if descending:
            if value is None:
                return Q(pk__in=[])
            below = Q(**{f"{name}__lt": value})
            return below | Q(**{f"{name}__isnull": True}) if name in spec.nullable else below
        return Q(**{f"{name}__isnull": False}) if value is None else Q(**{f"{name}__gt": value})

    result = Q(pk__in=[])
    prefix = Q()
    for name in spec.keys:
        result |= prefix & beyond(name)
        prefix &= equal(name)
    first = spec.keys[0]
    first_value = values[first]
    # A plain range bound on the leading column lets the index narrow the scan before the OR is checked.
    if first_value is not None and first not in spec.nullable:
        result &= Q(**{f"{first}__lte" if descending else f"{first}__gte": first_value})
    return result


def registry_rows(qs: QuerySet[Client]) -> QuerySet[Any]:
    """`qs` as registry rows (RegistryRow, not Client): slice it and list it."""
    rows = qs.values_list(*ROW_FIELDS)
    rows._iterable_class = _RowIterable  # values_list's own hook; clones (slices) keep it
    return rows


def registry_queryset(*, fetched_by: Any, filter_q: Q | None = None) -> QuerySet[Client]:
    """The clients of the registry: those the user sees, narrowed by the active Flexi-filter or template."""
    qs = visible_clients(fetched_by)
    return qs if filter_q is None else qs.filter(filter_q)


def _read(
    user: Any, filter_q: Q | None, key: tuple[Any, ...], values: dict[str, Any],
    build: Callable[[QuerySet[Client], Mapping[str, Any]], QuerySet[Any]],
) -> list[tuple[Any, ...]]:
    """`build(visible clients, values)` as row tuples. Without a Flexi-filter the statement is compiled once per
    shape (core.prepared): at a million clients Django's per-call query building cost more than the seek."""
    shape = access.visibility_shape(user)
    if filter_q is None and shape != access.NOBODY:
        # The visible set depends on the user only through its shape and its id: the shape joins the key, the id
        # is a value of the statement like any other.
        def marked(v: Mapping[str, Any]) -> QuerySet[Any]:
            return build(access.clients_visible_in(shape, v["user"]), v)

        return prepared.fetch((*key, *shape), {"user": user.pk, **values}, marked)
    return [tuple(row) for row in build(registry_queryset(fetched_by=user, filter_q=filter_q), values)]


def _key_values(user: Any, filter_q: Q | None, spec: SortSpec, client_id: int) -> dict[str, Any] | None:
    """The sort-key values of a visible client (where a keyset page continues from), or None."""
    found = _read(user, filter_q, ("keys", spec.keys), {"id": client_id},
                  lambda visible, v: visible.filter(pk=v["id"]).values_list(*spec.keys)[:1])
    return dict(zip(spec.keys, found[0], strict=True)) if found else None


def _page_rows(
    user: Any, filter_q: Q | None, spec: SortSpec, descending: bool, *, after: dict[str, Any] | None = None,
    find_key: str | None = None,
) -> tuple[list[RegistryRow], bool]:
    """Up to a page of rows in the order, from the top, strictly after the key values `after`, or from the
    first name key not below `find_key`; and whether more follow."""
    values: dict[str, Any] = {}
    if after is not None:
        values = {name: value for name, value in after.items() if value is not None}
    if find_key is not None:
        values["find"] = find_key
    # NULL keys change the statement (IS NULL instead of a comparison): they are part of its shape.
    shape = ("page", spec.keys, descending, after is not None and tuple(sorted(values)), find_key is not None)

    def build(visible: QuerySet[Client], v: Mapping[str, Any]) -> QuerySet[Any]:
        qs = visible.order_by(*sort_ordering(spec, descending))
        if find_key is not None:
            qs = qs.filter(name_key__gte=v["find"])
        if after is not None:
            qs = qs.filter(_after_q(spec, descending, {name: v.get(name) for name in spec.keys}))
        return qs.values_list(*ROW_FIELDS)[: PAGE_SIZE + 1]

    rows = [_row(v) for v in _read(user, filter_q, shape, values, build)]
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


def registry_page(
    *, fetched_by: Any, sort: str, after: int | None = None, before: int | None = None, find: str = "",
    around: int | None = None, filter_q: Q | None = None,
) -> RegistryPage:
    """One page of the registry in `sort` order: from the top, after row `after`, the rows just before row
    `before` (scrolling up from a jump), around row `around` (back from its card: the cursor on it), or from the
    best match of `find`.

    `find` (Ctrl+F) always works in name order: the page starts at the client it finds (`find_target`).
    """
    parsed = parse_sort(sort) or parse_sort(DEFAULT_SORT)
    assert parsed is not None
    column, descending = parsed
    if find:
        column, descending, sort = "name", False, "name"
    spec = SORTS[column]
    if before is not None:
        return _page_before(fetched_by, filter_q, spec, descending, sort, before)
    if around is not None:
        page = _page_around(fetched_by, filter_q, spec, descending, sort, around)
        if page is not None:
            return page
        if find:  # the client left the list meanwhile: the match again, else the top
            return _found_page(fetched_by, filter_q, spec, sort, find)
    elif find:
        return _found_page(fetched_by, filter_q, spec, sort, find)
    after_values = None if after is None else _key_values(fetched_by, filter_q, spec, after)
    rows, more = _page_rows(fetched_by, filter_q, spec, descending, after=after_values)
    return RegistryPage(rows=rows, sort=sort, next_after=rows[-1].pk if more and rows else None)


class _Found(NamedTuple):
    name_key: str
    core_key: str
    id: int


def _first(user: Any, filter_q: Q | None, field: str, bound: str | None, order: tuple[str, ...]) -> _Found | None:
    """The first visible client in `order` whose `field` is not below `bound` (None: the very first)."""
    shape = ("find", field, order, bound is not None)

    def build(visible: QuerySet[Client], v: Mapping[str, Any]) -> QuerySet[Any]:
        qs = visible if bound is None else visible.filter(**{f"{field}__gte": v["bound"]})
        return qs.order_by(*order).values_list("name_key", "name_core_key", "id")[:1]

    found = _read(user, filter_q, shape, {} if bound is None else {"bound": bound}, build)
    return _Found(*found[0]) if found else None


def find_target(*, fetched_by: Any, find: str, filter_q: Q | None = None) -> tuple[_Found | None, bool]:
    """The client Ctrl+F puts the cursor on, and whether it is the last one in name order (nothing after the
    text): the first name starting with the text; else the first whose meaningful part (`name_core`: «юпитер» of
    «ООО «Юпитер»») starts with it, the closest meaningful name first; else the nearest name in order — the
    next meaningful name after the text, or the last client when none follows (the manual: the cursor moves to the
    name that matches best, never to an empty list: REG-07)."""
    key = search_key(find)
    core = name_core(key)
    by_name = _first(fetched_by, filter_q, "name_key", key, ("name_key", "id"))
    if by_name is not None and by_name.name_key.startswith(key):
        return by_name, False
    by_core = _first(fetched_by, filter_q, "name_core_key", core, ("name_core_key", "name_key", "id"))
    if by_core is not None:
        return by_core, False
    if by_name is not None:
        return by_name, False
    return _first(fetched_by, filter_q, "name_key", None, ("-name_key", "-id")), True


def _found_page(user: Any, filter_q: Q | None, spec: SortSpec, sort: str, find: str) -> RegistryPage:
    target, last = find_target(fetched_by=user, find=find, filter_q=filter_q)
    if target is None:
        return RegistryPage(rows=[], sort=sort, next_after=None)
    if last:
        # Past the end of the list: the last page, the cursor on its last row.
        rows, more = _page_rows(user, filter_q, spec, True)
        rows = rows[::-1]
        return RegistryPage(rows=rows, sort=sort, next_after=None, prev_before=rows[0].pk if more else None,
                            cursor=target.id)
    # The page starts at the found row: no visible row with its name key comes before it (it is the first of
    # them in either order, and rows with one name key share the meaningful part).
    rows, more = _page_rows(user, filter_q, spec, False, find_key=target.name_key)
    page = RegistryPage(rows=rows, sort=sort, next_after=rows[-1].pk if more and rows else None, cursor=target.id)
    return page_with_earlier(user, filter_q, spec, False, page) if rows else page


def page_with_earlier(
    user: Any, filter_q: Q | None, spec: SortSpec, descending: bool, page: RegistryPage,
) -> RegistryPage:
    """`page` (starting mid-list, e.g. at a found client) told whether rows precede its first row."""
    first = page.rows[0]
    values = {name: getattr(first, name) for name in spec.keys}
    # One row read backwards from the first one tells whether it has predecessors.
    earlier = bool(_read(
        user, filter_q, ("earlier", spec.keys, descending, tuple(n for n, x in values.items() if x is not None)),
        {name: value for name, value in values.items() if value is not None},
        lambda visible, v: visible.order_by(*sort_ordering(spec, not descending))
        .filter(_after_q(spec, not descending, {name: v.get(name) for name in spec.keys})).values_list("pk")[:1],
    ))
    return RegistryPage(rows=page.rows, sort=page.sort, next_after=page.next_after,
                        prev_before=first.pk if earlier else None, cursor=page.cursor)


def _page_before(
    user: Any, filter_q: Q | None, spec: SortSpec, descending: bool, sort: str, before: int,
) -> RegistryPage:
    # The rows before `before` are the rows after it in the reversed order: read backwards, shown forwards.
    values = _key_values(user, filter_q, spec, before)
    if values is None:
        return RegistryPage(rows=[], sort=sort, next_after=None)
    rows, more = _page_rows(user, filter_q, spec, not descending, after=values)
    rows = rows[::-1]
    return RegistryPage(rows=rows, sort=sort, next_after=None, prev_before=rows[0].pk if more and rows else None)


def _page_around(
    user: Any, filter_q: Q | None, spec: SortSpec, descending: bool, sort: str, focus: int,
) -> RegistryPage | None:
    """A page before the client `focus`, the client, and a page after it, in the order (None when the user does
    not see it, or the filter leaves it out): where the registry was when its card was opened, with the card's
    values as saved since. Three reads (four by a key no column shows), whatever the client's place in the list."""
    found = _read(user, filter_q, ("row",), {"id": focus},
                  lambda visible, v: visible.filter(pk=v["id"]).values_list(*ROW_FIELDS)[:1])
    if not found:
        return None
    row = _row(found[0])
    if all(hasattr(row, name) for name in spec.keys):
        values: dict[str, Any] | None = {name: getattr(row, name) for name in spec.keys}
    else:  # a key the row does not show (the phone's digits): one read more
        values = _key_values(user, filter_q, spec, focus)
    if values is None:
        return None
    earlier, more_earlier = _page_rows(user, filter_q, spec, not descending, after=values)
    later, more_later = _page_rows(user, filter_q, spec, descending, after=values)
    rows = [*earlier[::-1], row, *later]
    return RegistryPage(rows=rows, sort=sort, next_after=rows[-1].pk if more_later else None,
                        prev_before=rows[0].pk if more_earlier else None, cursor=row.pk)


def registry_count(*, fetched_by: Any, filter_q: Q | None = None) -> tuple[int, bool]:
    """How many clients the user sees (under the filter), counted no further than COUNT_CAP (+ whether more)."""
    qs = registry_queryset(fetched_by=fetched_by, filter_q=filter_q)
    counted = qs.order_by().values("pk")[: COUNT_CAP + 1].count()
    return min(counted, COUNT_CAP), counted > COUNT_CAP


def registry_count_exact(*, fetched_by: Any, filter_q: Q | None = None) -> int:
    """How many clients the user sees under the filter, counted to the end: a background job's read (a full
    COUNT over a million rows takes seconds), asked for by the user when the capped count says "10 000+"."""
    return registry_queryset(fetched_by=fetched_by, filter_q=filter_q).order_by().count()


def marked_ids(*, fetched_by: Any, ids: list[int]) -> list[int]:
    """The subset of `ids` the user still sees: marks never reveal or act on clients outside the user's view."""
    if not ids:
        return []
    return sorted(visible_clients(fetched_by).filter(pk__in=ids).values_list("pk", flat=True))


def registry_actions(user: Any) -> list[dict[str, Any]]:
    """The registry's group operations the user is offered (hooks.REGISTRY_ACTIONS), in order."""
    return [{"key": action.key, "label": action.label, "url": reverse(action.url_name)}
            for action in sorted(hooks.REGISTRY_ACTIONS.items(), key=lambda a: (a.order, a.key))
            if action.visible(user)]
