"""What imports plugs into the others: Администрирование → «Импорт клиентов», the jobs of its steps (load, dry run,
write, undo) and the staged rows' policy."""

from __future__ import annotations

from typing import Any


def register() -> None:
    from django.utils.translation import gettext_lazy as _

    from kontora.core.hooks import EXITS, JOB_HANDLERS, MENU, POLICIES, JobHandler, MenuItem, right
    from kontora.imports import policies, tasks
    from kontora.imports.services.uploads import CHECK_JOB, LOAD_JOB, UNDO_JOB
    from kontora.imports.services.writing import IMPORT_JOB

    JOB_HANDLERS.register(JobHandler(IMPORT_JOB, tasks.import_write_job))
    JOB_HANDLERS.register(JobHandler(LOAD_JOB, tasks.import_load_job))
    JOB_HANDLERS.register(JobHandler(CHECK_JOB, tasks.import_check_job))
    JOB_HANDLERS.register(JobHandler(UNDO_JOB, tasks.import_undo_job))
    POLICIES.register(policies.rows)
    MENU.register(MenuItem("admin", _("Import of clients"), "imports:list", right(policies.RIGHT), order=85))
    for item in _exits():
        EXITS.register(item)


def _exits() -> list[Any]:
    """An import's page shows, for a row the dry run matched, the client's name and which of its fields would change
    (old → new): card data, shown only while the author may open the client — the staged rows' policy
    (`policies.rows`) drops any other row; a conflict names no client at all. The crawler asks it about an import of
    the user's own matched with each of his clients."""
    from kontora.core.hooks import OPENS, ROWS, Exit
    from kontora.imports import policies

    return [
        Exit("imports:detail", "imports.ImportRow", OPENS, args=lambda row: {"import_id": row.run_id}, answer=ROWS,
             who=policies.may_import),
    ]
