from django.utils.translation import gettext_lazy as _

from kontora.core import hooks


class CoreConfig(hooks.KontoraAppConfig):
    name = "kontora.core"
    label = "core"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        super().ready()
        # Jobs are queued through the worker's task; the tasks import the services, never the other way round.
        from kontora.core import tasks
        from kontora.core.services import jobs

        jobs.JOB_QUEUE.register(tasks.run_job)
