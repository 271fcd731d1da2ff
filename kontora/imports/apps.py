from django.utils.translation import gettext_lazy as _

from kontora.core import hooks


class ImportsConfig(hooks.KontoraAppConfig):
    name = "kontora.imports"
    label = "imports"
    verbose_name = _("Import of clients")
