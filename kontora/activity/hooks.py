"""What activity plugs into the others: its policies (and, as they land, the card's History and Tasks journals, the
task monitor, menu items, rights, filter fields and the periodic reminder job). Clients and core render what is
registered; clients imports nothing of activity."""

from __future__ import annotations


def register() -> None:
    from kontora.activity import policies
    from kontora.core.hooks import POLICIES

    POLICIES.register(policies.events)
    POLICIES.register(policies.tasks)
