"""Shared steps of the group processing tests."""

from __future__ import annotations

from typing import Any

from kontora.clients.models import Client
from kontora.clients.views.registry import MARKS_KEY


def mark(http: Any, *clients: Client) -> None:
    """The registry's marks, as Space leaves them in the session."""
    session = http.session
    session[MARKS_KEY] = [client.pk for client in clients]
    session.save()
