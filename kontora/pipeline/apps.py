from django.utils.translation import gettext_lazy as _

from kontora.core import hooks


class PipelineConfig(hooks.KontoraAppConfig):
    name = "kontora.pipeline"
    label = "pipeline"
    verbose_name = _("Sales ladder board")
