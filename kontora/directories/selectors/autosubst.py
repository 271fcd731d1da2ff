"""Reads of the users' auto-substitution values (ORG-04).

The clients feature pre-fills a new client from `auto_substitution_for(user)`; the counterparty and
warehouse defaults join when those features exist.
"""

from __future__ import annotations

from typing import Any

from kontora.directories.models import AutoSubstitution


def auto_substitution_for(user: Any) -> AutoSubstitution | None:
    """The user's auto-substitution values, or None when they never set any."""
    return AutoSubstitution.objects.select_related("region", "settlement__region").filter(user_id=user.pk).first()
