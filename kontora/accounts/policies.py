"""Who may do what with users and system settings; views ask here, templates get booleans.

Pages are guarded by `core.permissions.policy_required` with these predicates.
"""

from __future__ import annotations

from typing import Any

from kontora.core.permissions import is_administrator

can_administer = is_administrator


def can_delete_user(acting_user: Any, target: Any) -> bool:
    """The Delete button of the user card: not on one's own card (disable the account instead)."""
    return can_administer(acting_user) and target.pk is not None and target.pk != acting_user.pk
