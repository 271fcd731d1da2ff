"""What directories plugs into the others: its rights, menu items, the Parameters tab and the banks job."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kontora.accounts.hooks import ACCESS, ADMIN_ONLY, RIGHTS, Right
from kontora.core.hooks import (
    CODE_KINDS,
    JOB_HANDLERS,
    MENU,
    MENU_PROVIDERS,
    PARAMETERS_TABS,
    CodeKind,
    JobHandler,
    MenuItem,
    MenuProvider,
    ParametersTab,
    admins,
)
from kontora.directories import autosubst, banks, declarations, registry


def register() -> None:
    RIGHTS.register(Right(
        "edit_directories", _("Edit directories"),
        _("Add, change and deactivate items of directories and classifiers, also on the fly from forms."), ACCESS,
        roles=ADMIN_ONLY, order=30,
    ))
    RIGHTS.register(Right(
        "edit_nomenclature", _("Edit nomenclature"),
        _("Add and change goods and services in the nomenclature directory."), ACCESS, roles=ADMIN_ONLY, order=40,
    ))
    CODE_KINDS.register(CodeKind("nomenclature", "directories_nomenclatureitem"))
    for directory in declarations.LINEAR:
        registry.DIRECTORIES.register(directory)
    MENU.register(MenuItem("directories", _("Banks"), "directories:banks", order=10))
    MENU.register(MenuItem("directories", _("Nomenclature"), "nomenclature:tree", order=20))
    MENU_PROVIDERS.register(MenuProvider("directories", "directories", registry.menu_items))
    MENU.register(MenuItem("admin", _("Data management: attributes"), "attributes:list", admins, order=80))
    PARAMETERS_TABS.register(ParametersTab(
        key="autosubst", label=_("Auto-substitution"), template="directories/parameters_autosubst.html",
        form_factory=autosubst.parameters_tab_form, save=autosubst.parameters_tab_save,
    ))
    JOB_HANDLERS.register(JobHandler("banks_import", banks.banks_import_run))
