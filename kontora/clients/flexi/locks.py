"""Row locks of the Flexi engine (core.locks.locked)."""

from __future__ import annotations

from kontora.clients.models import FilterTemplate
from kontora.core.locks import locked


def filter_template(template_id: int) -> FilterTemplate | None:
    """A saved template about to be overwritten or deleted: two tabs saving it at once take turns."""
    return locked(FilterTemplate.objects.filter(pk=template_id)).first()
