"""What imports plugs into the others: Администрирование → «Импорт клиентов», the jobs of its steps (load, dry run,
write, undo) and the staged rows' policy."""

from __future__ import annotations


def register() -> None:
    from django.utils.translation import gettext_lazy as _

    from kontora.core.hooks import JOB_HANDLERS, MENU, POLICIES, JobHandler, MenuItem, right
    from kontora.imports import policies, tasks
    from kontora.imports.services.uploads import CHECK_JOB, LOAD_JOB, UNDO_JOB
    from kontora.imports.services.writing import IMPORT_JOB

    JOB_HANDLERS.register(JobHandler(IMPORT_JOB, tasks.import_write_job))
    JOB_HANDLERS.register(JobHandler(LOAD_JOB, tasks.import_load_job))
    JOB_HANDLERS.register(JobHandler(CHECK_JOB, tasks.import_check_job))
    JOB_HANDLERS.register(JobHandler(UNDO_JOB, tasks.import_undo_job))
    POLICIES.register(policies.rows)
    MENU.register(MenuItem("admin", _("Import of clients"), "imports:list", right(policies.RIGHT), order=85))
