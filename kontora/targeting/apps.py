from django.utils.translation import gettext_lazy as _

from kontora.core import hooks


class TargetingConfig(hooks.KontoraAppConfig):
    name = "kontora.targeting"
    label = "targeting"
    verbose_name = _("Targeting")
