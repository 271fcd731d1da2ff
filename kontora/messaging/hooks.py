"""What messaging plugs into the others: the «Почта» tab of Settings → Parameters."""

from __future__ import annotations


def register() -> None:
    from django.utils.translation import gettext_lazy as _

    from kontora.core.hooks import PARAMETERS_TABS, ParametersTab
    from kontora.messaging import views

    PARAMETERS_TABS.register(ParametersTab(
        key="mail", label=_("Mail"), template="messaging/parameters_mail.html",
        form_factory=views.parameters_tab_form, save=views.parameters_tab_save,
    ))
