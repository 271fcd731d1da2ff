"""The status and curator columns of an import (issue 17) recognised against the directories: a status by its name
in the client statuses, a curator by the full name or the login of a working user — any case and spacing.

Both directories are small (tens of statuses, hundreds of users) and a file of 100,000 rows names a few of their
items over and over: each is read whole, once per run and only when a row first names one, and matched in memory,
so the queries do not grow with the rows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from kontora.accounts.models import login_key
from kontora.accounts.selectors import users_working
from kontora.core.text import search_key
from kontora.directories.models import ClientStatus
from kontora.directories.selectors.items import offered_items


@dataclass(frozen=True)
class Found:
    """A typed value's directory item (its id and name as the directory spells it), or why there is none."""

    id: int | None = None
    name: str = ""
    problem: str = ""


class Lookups:
    """The client statuses and the working users for one processing run; each directory is read on first use."""

    def __init__(self) -> None:
        self._statuses: dict[str, tuple[int, str]] | None = None
        self._names: dict[str, list[tuple[int, str]]] | None = None
        self._logins: dict[str, tuple[int, str]] = {}

    def status(self, text: str) -> Found:
        if self._statuses is None:
            self._statuses = {}
            # The active statuses only, as the card offers them; the first of namesakes in the directory's order.
            for pk, name in offered_items(ClientStatus).order_by("order", "name", "id").values_list("id", "name"):
                self._statuses.setdefault(search_key(name), (pk, name))
        found = self._statuses.get(search_key(text))
        if found is None:
            return Found(problem=_("There is no status “%(value)s” among the client statuses: type one of the "
                                   "directory's statuses or add this one to it.") % {"value": text})
        return Found(*found)

    def curator(self, text: str) -> Found:
        if self._names is None:
            self._names = defaultdict(list)
            for pk, full_name, login in users_working():
                shown = full_name or login
                self._names[search_key(full_name)].append((pk, shown))
                self._logins[login_key(login)] = (pk, shown)
        named = self._names.get(search_key(text), [])
        if len(named) == 1:
            return Found(*named[0])
        by_login = self._logins.get(login_key(text))
        if by_login is not None:  # a login also tells namesakes apart
            return Found(*by_login)
        if named:
            return Found(problem=_("Several users are named “%(value)s”: type the login of the one meant.")
                         % {"value": text})
        return Found(problem=_("There is no working user “%(value)s”: type the full name or the login of a user "
                               "who is neither disabled nor dismissed.") % {"value": text})
