from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kontora.core"
    label = "core"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from kontora.core import tasks  # noqa: F401  (registers periodic jobs with Huey)
