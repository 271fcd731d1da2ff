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
