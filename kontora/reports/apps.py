from django.utils.translation import gettext_lazy as _

from kontora.core import hooks


class ReportsConfig(hooks.KontoraAppConfig):
    name = "kontora.reports"
    label = "reports"
    verbose_name = _("Reports")
