from django.utils.translation import gettext_lazy as _

from kontora.core import hooks


class BillingConfig(hooks.KontoraAppConfig):
    name = "kontora.billing"
    label = "billing"
    verbose_name = _("Billing")
