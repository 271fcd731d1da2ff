from django.utils.translation import gettext_lazy as _

from kontora.core import hooks


class ProcessesConfig(hooks.KontoraAppConfig):
    name = "kontora.processes"
    label = "processes"
    verbose_name = _("Business processes")
