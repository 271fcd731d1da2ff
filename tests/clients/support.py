"""The access matrix as data (ACL-01 … ACL-03): roles × working modes × the user's relation to a client, and
what the manual allows for each. Every exit's access test (the card, search, exports, processes, …) reads it."""

from __future__ import annotations

import re
from typing import Any

from kontora.accounts.rights import ClientScope, Role
from kontora.clients.flexi.selectors.specs import to_q
from kontora.clients.selectors.registry import registry_queryset
from kontora.core.text import search_key
from kontora.directories.models import Region, Settlement

ROLES = [Role.ADMIN, Role.SUPERVISOR, Role.MANAGER, Role.SPECIALIST]
MODES = [ClientScope.OWN, ClientScope.LIST_ALL, ClientScope.OPEN_ALL, ClientScope.FULL]

# The user's relation to a client. Every "other" party is one stranger, curator of all clients not the user's.
RELATIONS = [
    "curator",  # the user curates it
    "specialist",  # the user is its specialist
    "granted",  # access granted on the card's Access tab, may edit
    "granted_view",  # access granted, view only
    "foreign",  # nothing to do with the user
    "private_other",  # private, another curator
    "private_other_spec",  # private, another curator, the user its specialist: still invisible
    "private_own",  # private, the user is its curator
]

# The manual's rules as data: v = seen in lists and pickers, o = opens the card, e = edits the card's
# information, m = edits the main data; "-" = nothing at all. Columns: own, list_all, open_all, full.
# The role does not widen access: every role follows its working mode (administrators too).
EXPECTED: dict[str, tuple[str, str, str, str]] = {
    "curator":            ("voem", "voem", "voem", "voem"),
    "specialist":         ("voem", "voem", "voem", "voem"),
    "granted":            ("voem", "voem", "voem", "voem"),
    "granted_view":       ("vo",   "vo",   "voe",  "voem"),
    "foreign":            ("-",    "v",    "voe",  "voem"),
    "private_other":      ("-",    "-",    "-",    "-"),
    "private_other_spec": ("-",    "-",    "-",    "-"),
    "private_own":        ("voem", "voem", "voem", "voem"),
}


# --- the registry side: the registry's rows, walked page by page -------------------------------------------


def registry_names(html: str) -> list[str]:
    """The names in the registry's rows of a page or partial, in order."""
    return re.findall(r'data-testid="registry-name">([^<]*)<', html)


def registry_walk(http: Any, sort: str) -> list[int]:
    """All ids of the registry in `sort`, page by page, as the "Show more" row asks for them."""
    page = http.get(f"/?sort={sort}").content.decode()
    ids = [int(pk) for pk in re.findall(r'data-row data-id="(\d+)"', page)]
    while True:
        more = re.search(r'hx-get="(/clients/registry/rows/[^"]+)"', page)
        if not more:
            return ids
        page = http.get(more.group(1).replace("&amp;", "&")).content.decode()
        ids += [int(pk) for pk in re.findall(r'data-row data-id="(\d+)"', page)]


def two_towns() -> list[Settlement]:
    """«Москва» and «Тула» of a test region: clients in them get a city key (the registry's City column)."""
    region, _created = Region.objects.get_or_create(
        code="98", defaults={"name": "Тестовый край", "name_key": search_key("Тестовый край"), "short_name": "Тест"})
    return [Settlement.objects.create(region=region, name=name, name_key=search_key(name), kind="г")
            for name in ("Москва", "Тула")]


# A Flexi-filter specification every test of templates reuses: the flagged clients.
FLAGGED_SPEC: dict[str, Any] = {"op": "and", "items": [{"field": "flagged", "operator": "is_true", "value": None}]}


def filtered_names(user: Any, spec: dict[str, Any]) -> list[str]:
    """The short names of the clients `user` sees under a parsed Flexi-filter `spec`, sorted."""
    qs = registry_queryset(fetched_by=user, filter_q=to_q(spec, user=user))
    return sorted(qs.values_list("short_name", flat=True))
