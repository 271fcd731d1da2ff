from django.utils.translation import gettext_lazy as _

from kontora.core import hooks


class DirectoriesConfig(hooks.KontoraAppConfig):
    name = "kontora.directories"
    label = "directories"
    verbose_name = _("Directories")
