"""Row locks of imports, each built with `core.locks.locked`: an import's row is locked while its state changes,
so two requests (a start and a cancel, two undos) take turns."""

from __future__ import annotations

from kontora.core.locks import locked
from kontora.imports.models import Import


def import_for_update(import_id: int) -> Import:
    return locked(Import.objects.filter(pk=import_id)).get()
