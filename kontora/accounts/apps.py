from django.utils.translation import gettext_lazy as _

from kontora.core import hooks


class AccountsConfig(hooks.KontoraAppConfig):
    name = "kontora.accounts"
    label = "accounts"
    verbose_name = _("Users")
