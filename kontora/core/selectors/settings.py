"""Base-wide settings (Settings → Functionality) and one user's parameters (Settings → Parameters).

Both rows are made by the services that save them; until then a read answers with the defaults (an unsaved
row), so a new base, or one whose tables a test flushed, reads the same as one saved untouched.
"""

from __future__ import annotations

from typing import Any

from kontora.core.models import SystemSettings, UserParameters
from kontora.core.permissions import decided


def system_settings() -> SystemSettings:
    """The base-wide settings row, or the defaults while none was saved; read once per request (the menu, a view and
    its tabs all ask), afresh after a write of the request (core.permissions.decided)."""
    return decided(("system_settings",), lambda: SystemSettings.objects.filter(pk=1).first() or SystemSettings(pk=1))


# Functionality blocks an administrator can switch off (Settings → Functionality) → their SystemSettings flag.
BLOCK_FLAGS: dict[str, str] = {
    "sales": "sales_enabled",
    "works": "works_enabled",
    "warehouse": "warehouse_enabled",
    "cash": "cash_enabled",
    "security_tab": "security_tab_enabled",
    "shipping_tab": "shipping_tab_enabled",
}


def block_enabled(system: SystemSettings, block: str) -> bool:
    """Whether a functionality block is on; an unknown block name is a programming error."""
    try:
        flag = BLOCK_FLAGS[block]
    except KeyError:
        raise ValueError(f"unknown functionality block {block!r}") from None
    return bool(getattr(system, flag))


def user_parameters(user: Any) -> UserParameters:
    """Settings → Parameters of one user, or the defaults while the user saved none."""
    return UserParameters.objects.filter(user=user).first() or UserParameters(user=user)
