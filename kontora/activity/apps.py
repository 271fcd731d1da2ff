from django.utils.translation import gettext_lazy as _

from kontora.core import hooks


class ActivityConfig(hooks.KontoraAppConfig):
    name = "kontora.activity"
    label = "activity"
    verbose_name = _("Activity")
