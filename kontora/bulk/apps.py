from django.utils.translation import gettext_lazy as _

from kontora.core import hooks


class BulkConfig(hooks.KontoraAppConfig):
    name = "kontora.bulk"
    label = "bulk"
    verbose_name = _("Group processing")
