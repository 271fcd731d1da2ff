"""What imports plugs into the others: the writing job and the staged rows' policy (the pages come with their
menu item: Администрирование → Импорт)."""

from __future__ import annotations


def register() -> None:
    from kontora.core.hooks import JOB_HANDLERS, POLICIES, JobHandler
    from kontora.imports import policies, tasks
    from kontora.imports.services.uploads import CHECK_JOB, LOAD_JOB, UNDO_JOB
    from kontora.imports.services.writing import IMPORT_JOB

    JOB_HANDLERS.register(JobHandler(IMPORT_JOB, tasks.import_write_job))
    JOB_HANDLERS.register(JobHandler(LOAD_JOB, tasks.import_load_job))
    JOB_HANDLERS.register(JobHandler(CHECK_JOB, tasks.import_check_job))
    JOB_HANDLERS.register(JobHandler(UNDO_JOB, tasks.import_undo_job))
    POLICIES.register(policies.rows)
