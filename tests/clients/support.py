"""The access matrix as data (ACL-01 … ACL-03): roles × working modes × the user's relation to a client, and
what the manual allows for each. Every exit's access test (the card, search, exports, processes, …) reads it."""

from __future__ import annotations

from kontora.accounts.models import ClientScope, Role

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
