from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientsConfig(AppConfig):
    name = "kontora.clients"
    label = "clients"
    verbose_name = _("Clients")

    def ready(self) -> None:
        from kontora.clients import picker  # noqa: F401  (registers the clients picker with the directory engine)
        from kontora.clients.sorting import register_tab
        from kontora.clients.views.registry import registry_centre
        from kontora.core.main_window import register_centre

        register_centre("clients/registry.html", registry_centre)
        register_tab()
        self._register_card_tabs()

    @staticmethod
    def _register_card_tabs() -> None:
        from kontora.clients import card_tabs

        card_tabs.register(card_tabs.CardTab("files", _("Files"), "clients:files", order=100))
        from kontora.clients.models import Client

        # A person has the passport tab instead of Registration data (CLI-01); both kinds have Bank (CLI-07).
        card_tabs.register(card_tabs.CardTab(
            "personal", _("Passport and personal data"), "clients:personal", order=30,
            kinds=frozenset({Client.Kind.PERSON}),
        ))
        card_tabs.register(card_tabs.CardTab("bank", _("Bank"), "clients:bank", order=50))
        # Mailing, Security and Shipping (CLI-09 … CLI-11); the last two obey Settings → Functionality.
        from kontora.core.selectors import system_settings

        card_tabs.register(card_tabs.CardTab("mailing", _("Mailing E-Mail & SMS"), "clients:mailing", order=60))
        card_tabs.register(card_tabs.CardTab(
            "security", _("Security"), "clients:security", order=70,
            predicate=lambda user, client: system_settings().security_tab_enabled,
        ))
        card_tabs.register(card_tabs.CardTab(
            "shipping", _("Shipping requisites"), "clients:shipping", order=80,
            predicate=lambda user, client: system_settings().shipping_tab_enabled,
        ))
