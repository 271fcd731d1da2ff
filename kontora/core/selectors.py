from __future__ import annotations

from kontora.core.models import SystemSettings


def system_settings() -> SystemSettings:
    """The base-wide settings row, created with defaults on first use."""
    obj, _created = SystemSettings.objects.get_or_create(pk=1)
    return obj
