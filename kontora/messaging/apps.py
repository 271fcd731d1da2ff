from django.utils.translation import gettext_lazy as _

from kontora.core import hooks


class MessagingConfig(hooks.KontoraAppConfig):
    name = "kontora.messaging"
    label = "messaging"
    verbose_name = _("Mail and SMS")
