from django.utils.translation import gettext_lazy as _

from kontora.core import hooks


class ClientsConfig(hooks.KontoraAppConfig):
    name = "kontora.clients"
    label = "clients"
    verbose_name = _("Clients")
