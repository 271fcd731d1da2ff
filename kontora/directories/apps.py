from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoriesConfig(AppConfig):
    name = "kontora.directories"
    label = "directories"
    verbose_name = _("Directories")

    def ready(self) -> None:
        from kontora.core.menu import menu_section
        from kontora.directories import declarations  # noqa: F401  (registers the linear directories)
        from kontora.directories.registry import menu_items

        menu_section("directories").providers.append(menu_items)

        from kontora.directories.autosubst import register_parameters_tab

        register_parameters_tab()
