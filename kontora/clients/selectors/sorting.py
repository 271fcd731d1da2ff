"""The registry's sort orders and the user's default one (Settings → Parameters → «Sorting», REG-02, REG-03).

A sort is a column code, "-" in front for descending. Each column seeks on its own index ending with id,
so every page is an index range scan whatever the order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import F
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kontora.clients.models import RegistryPreference


@dataclass(frozen=True)
class SortSpec:
    label: str | Promise
    keys: tuple[str, ...]
    nullable: frozenset[str] = frozenset()


SORTS: dict[str, SortSpec] = {
    "code": SortSpec(_("Code"), ("code",)),
    "name": SortSpec(_("Name"), ("name_key", "id")),
    "city": SortSpec(_("City"), ("city_key", "id")),
    # By the phones' digits as typed ("+7 (495) …" and "8 495 …" sort apart); clients without a phone come first.
    "phone": SortSpec(_("Phone"), ("phone_digits", "id")),
    "curator": SortSpec(_("Curator"), ("curator_id", "name_key", "id"), frozenset({"curator_id"})),
    "status": SortSpec(_("Status"), ("status_id", "id"), frozenset({"status_id"})),
    "changed": SortSpec(_("Changed"), ("changed_at", "id")),
}
DEFAULT_SORT = "name"
SESSION_KEY = "clients_registry_sort"


def parse_sort(sort: str | None) -> tuple[str, bool] | None:
    """("name", False) for "name", ("name", True) for "-name"; None for anything else."""
    if not sort:
        return None
    descending = sort.startswith("-")
    column = sort[1:] if descending else sort
    return (column, descending) if column in SORTS else None


def sort_choices() -> list[tuple[str, str]]:
    choices: list[tuple[str, str]] = []
    for code, spec in SORTS.items():
        choices.append((code, f"{spec.label} ({_('ascending')})"))
        choices.append((f"-{code}", f"{spec.label} ({_('descending')})"))
    return choices


def sort_ordering(spec: SortSpec, descending: bool) -> list[Any]:
    """The ORDER BY of a sort: the same keys, directions and NULL placement on every page and in exports."""
    ordering = []
    for name in spec.keys:
        expr = F(name)
        if name not in spec.nullable:
            # No NULLS clause on NOT NULL columns: on PostgreSQL "ASC NULLS FIRST" does not match a plain
            # btree index (NULLS LAST), so the million-row registry would be sorted instead of seeked.
            ordering.append(expr.desc() if descending else expr.asc())
        else:
            ordering.append(expr.desc(nulls_last=True) if descending else expr.asc(nulls_first=True))
    return ordering


def default_sort(user: Any) -> str:
    """The user's saved default order (Settings → Parameters), or the product's."""
    pref = RegistryPreference.objects.filter(user=user).values_list("default_sort", flat=True).first()
    return pref if pref and parse_sort(pref) else DEFAULT_SORT


def session_sort(session: Any, default: str) -> str:
    """The temporary sort of this session; a new default (saved since) wins over it at once."""
    stored = session.get(SESSION_KEY)
    if isinstance(stored, dict) and stored.get("default") == default and parse_sort(stored.get("sort")):
        return str(stored["sort"])
    return default


def remember_session_sort(session: Any, sort: str, default: str) -> None:
    session[SESSION_KEY] = {"sort": sort, "default": default}
