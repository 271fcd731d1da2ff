from django.utils.translation import gettext_lazy as _

from kontora.core import hooks


class CoreConfig(hooks.KontoraAppConfig):
    name = "kontora.core"
    label = "core"
    verbose_name = _("Organisation")
