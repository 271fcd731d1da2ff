"""Forms of Settings: Functionality (base-wide blocks, for the administrator) and one user's Parameters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy

from kontora.core.forms.base import KontoraForm, KontoraModelForm, TimeInput
from kontora.core.models import SystemSettings
from kontora.core.selectors.calendar import offered_zones, office_zone, zone_offset

BLOCK_FIELDS = [
    "sales_enabled", "works_enabled", "warehouse_enabled", "cash_enabled",
    "security_tab_enabled", "shipping_tab_enabled",
]
LOGIN_FIELDS = ["login_user_list"]
NETWORK_FIELDS = ["signin_allowed_networks"]
CLOCK_FIELDS = ["time_zone", "work_start", "work_end"]
GROUP_FIELDS = ["bulk_max_clients"]


def _zone_choices(empty: str) -> list[tuple[str, str]]:
    """The time zone picker: `empty` (the office's or the server's zone), then Russia's zones, then the rest, each
    with its offset from UTC now. The service checks the choice again (an unknown zone is refused)."""
    return [("", empty), *((name, f"{name} ({zone_offset(name)})") for name in offered_zones())]


def _office_zone_choices() -> list[tuple[str, str]]:
    return _zone_choices(gettext("As the server's (%(zone)s)") % {"zone": settings.TIME_ZONE})


def _user_zone_choices() -> list[tuple[str, str]]:
    return _zone_choices(gettext("As the office's (%(zone)s)") % {"zone": office_zone().key})


class FunctionalityForm(KontoraModelForm):
    """Only validates: services.settings.system_settings_update is the one place that writes the row."""

    layout = {"clock": {"time_zone": "col-12 col-md-6", "work_start": "col-6 col-md-3", "work_end": "col-6 col-md-3"},
              "group": {"bulk_max_clients": "col-6 col-md-3"}}
    time_zone = forms.ChoiceField(
        label=gettext_lazy("Office time zone"), choices=_office_zone_choices, required=False,
        help_text=gettext_lazy("Users who have not chosen a time zone of their own (Parameters) work in this one."),
    )

    class Meta:
        model = SystemSettings
        fields = [*BLOCK_FIELDS, *LOGIN_FIELDS, *NETWORK_FIELDS, *CLOCK_FIELDS, *GROUP_FIELDS]
        labels = {"work_start": gettext_lazy("Working day starts"), "work_end": gettext_lazy("Working day ends")}
        widgets = {
            "signin_allowed_networks": forms.Textarea(attrs={"rows": 3}),
            "work_start": TimeInput(format="%H:%M"), "work_end": TimeInput(format="%H:%M"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Left empty (or not posted), the hours stay as they are: the service takes None as "unchanged".
        for name in ("work_start", "work_end", "bulk_max_clients"):
            self.fields[name].required = False


def _language_choices() -> list[tuple[str, str]]:
    # Each language is named in itself, so a person who chose the wrong one can still find theirs.
    return [(code, translation.get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES]


class ParametersForm(KontoraForm):
    default_col = "col-12 k-field-narrow"

    language = forms.ChoiceField(label=gettext_lazy("Interface language"), choices=_language_choices)
    time_zone = forms.ChoiceField(
        label=gettext_lazy("Time zone"), choices=_user_zone_choices, required=False,
        help_text=gettext_lazy("“Today”, reminders, planners and every time the program shows are on this clock."),
    )
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
    ("general", gettext_lazy("Common"), ["language", "time_zone"]),
    ("informer", gettext_lazy("Informer"), ["informer_at_start"]),
    ("login", gettext_lazy("Sign-in"), ["show_tasks_at_login", "report_overdue_at_login"]),
]
