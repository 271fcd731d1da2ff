"""Forms of Settings: Functionality (base-wide blocks, for the administrator) and one user's Parameters."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy

from kontora.core.forms.base import KontoraForm, KontoraModelForm
from kontora.core.models import SystemSettings

BLOCK_FIELDS = [
    "sales_enabled", "works_enabled", "warehouse_enabled", "cash_enabled",
    "security_tab_enabled", "shipping_tab_enabled",
]
LOGIN_FIELDS = ["login_user_list"]
NETWORK_FIELDS = ["signin_allowed_networks"]


class FunctionalityForm(KontoraModelForm):
    """Only validates: services.settings.system_settings_update is the one place that writes the row."""

    class Meta:
        model = SystemSettings
        fields = [*BLOCK_FIELDS, *LOGIN_FIELDS, *NETWORK_FIELDS]
        widgets = {"signin_allowed_networks": forms.Textarea(attrs={"rows": 3})}


def _language_choices() -> list[tuple[str, str]]:
    # Each language is named in itself, so a person who chose the wrong one can still find theirs.
    return [(code, translation.get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES]


class ParametersForm(KontoraForm):
    default_col = "col-12 k-field-narrow"

    language = forms.ChoiceField(label=gettext_lazy("Interface language"), choices=_language_choices)
    informer_at_start = forms.BooleanField(label=gettext_lazy("Show the informer at start"), required=False)
    show_tasks_at_login = forms.BooleanField(
        label=gettext_lazy("Show the task journal at system start"), required=False,
        help_text=gettext_lazy("The journal opens after sign-in when you have active tasks."),
    )
    report_overdue_at_login = forms.BooleanField(
        label=gettext_lazy("Report overdue tasks"), required=False,
        help_text=gettext_lazy("After sign-in a report lists your overdue tasks, if there are any."),
    )


# Core's own tabs of the Parameters window: (key, label, fields of ParametersForm).
PARAMETERS_TABS = [
    ("general", gettext_lazy("Common"), ["language"]),
    ("informer", gettext_lazy("Informer"), ["informer_at_start"]),
    ("login", gettext_lazy("Sign-in"), ["show_tasks_at_login", "report_overdue_at_login"]),
]
