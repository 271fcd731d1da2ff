"""Settings → Parameters → «Почта» (GRP-03) and «SMS» (GRP-04): the user's own mailbox and SMS account; the
filter of «Исходящие письма» (GRP-06)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kontora.core.forms.base import KontoraForm, KontoraModelForm, PeriodMixin, TimeInput
from kontora.messaging.models import Letter, Mailbox, MarketingPace, SmsAccount
from kontora.messaging.selectors.outbox import ATTENTION, EVERYONE, MINE, OutboxChoice


def _pace_defaults(data: dict[str, Any]) -> None:
    """A tab posted without its limits and hours (an older page) keeps the defaults, not empty values."""
    for name in MarketingPace.PACE_FIELDS:
        if data.get(name) is None:
            data[name] = MarketingPace._meta.get_field(name).get_default()  # type: ignore[union-attr]


class MailboxForm(KontoraModelForm):
    default_col = "col-12 col-md-6"

    password = forms.CharField(
        label=_("Password"), required=False, strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Kept encrypted and never shown. Leave empty to keep the password saved."))

    class Meta:
        model = Mailbox
        fields = ["host", "port", "security", "sender_name", "address", "login", "limit_minute", "limit_hour",
                  "limit_day", "window_from", "window_to"]
        widgets = {"window_from": TimeInput(format="%H:%M"), "window_to": TimeInput(format="%H:%M")}
        help_texts = {"sender_name": _("Shown to recipients as the sender, e.g. «ООО Ромашка, отдел продаж»."),
                      "limit_day": _("Mailings only, 0 for no limit: ask your provider how many letters it lets "
                                     "a mailbox send."),
                      "window_to": _("Mailing letters leave only in these hours of your clock; the rest wait.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The tab may be left empty: a user without a mailbox saves the other tabs.
        for name in ("host", "address", "port", "security", *Mailbox.PACE_FIELDS):
            self.fields[name].required = False
        self.fields["password"].widget.attrs["placeholder"] = (
            _("saved — leave empty to keep") if self.instance.pk and self.instance.password_sealed else "")

    @property
    def posted(self) -> bool:
        """Did the window carry this tab at all (an older page or a script may post the other tabs alone)."""
        return self.is_bound and f"{self.prefix}-host" in self.data

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("security"):
            data["security"] = Mailbox.Security.SSL
        _pace_defaults(data)
        if not data.get("port"):
            data["port"] = 587 if data["security"] == Mailbox.Security.STARTTLS else 465
        return data


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OutboxFilterForm(PeriodMixin, KontoraForm):
    """A GET form whose valid fields narrow the journal; a bad one is marked next to itself and narrows nothing (the
    period's dates within the calendar's reach, the end not before the start: PeriodMixin)."""

    state = forms.ChoiceField(label=_("State"), required=False)
    purpose = forms.ChoiceField(label=_("Class"), required=False,
                                choices=[("", _("any class")), *Letter.Purpose.choices])
    date_from = forms.DateField(label=_("Queued from"), required=False, widget=_date_input())
    date_to = forms.DateField(label=_("to"), required=False, widget=_date_input())
    whose = forms.ChoiceField(label=_("Employees"), required=False,
                              choices=[(EVERYONE, _("All employees")), (MINE, _("My letters"))])

    def __init__(self, data: Any = None, *, all_employees: bool) -> None:
        super().__init__(data)
        state = self.fields["state"]
        assert isinstance(state, forms.ChoiceField)
        # The states to act on first: «Неизвестно» (check and resend), failed, held.
        state.choices = [("", _("any state")), (ATTENTION, _("Needs attention: unknown, failed, held")),
                         *Letter.State.choices]
        if not all_employees:
            del self.fields["whose"]

    def choice(self) -> OutboxChoice:
        """The valid fields as the selectors' choice (a field with an error narrows nothing)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return OutboxChoice(state=data.get("state") or "", purpose=data.get("purpose") or "",
                            date_from=data.get("date_from"), date_to=data.get("date_to"),
                            whose=data.get("whose") or "")


class SmsAccountForm(KontoraModelForm):
    """Settings → Parameters → «SMS» (GRP-04): the user's own SMS account; its secrets never drawn back."""

    default_col = "col-12 col-md-6"

    password = forms.CharField(
        label=_("SMPP password"), required=False, strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Kept encrypted and never shown. Leave empty to keep the password saved."))
    api_id = forms.CharField(
        label=_("api_id"), required=False, strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("The key from your SMS.ru account's settings. Kept encrypted and never shown; leave empty to "
                    "keep the saved one."))

    api_url = forms.URLField(label=_("SMS.ru API address"), required=False, assume_scheme="https",
                             help_text=_("Do not change it unless SMS.ru gives you another address."))

    class Meta:
        model = SmsAccount
        fields = ["protocol", "sender", "host", "port", "system_id", "password", "system_type", "api_id", "api_url",
                  *SmsAccount.PACE_FIELDS]
        widgets = {"window_from": TimeInput(format="%H:%M"), "window_to": TimeInput(format="%H:%M")}
        # SMPP's own names, written as the gateway's papers write them (a model label would be capitalised).
        labels = {"system_id": _("system_id (login)"), "system_type": _("system_type"),
                  "limit_minute": _("SMS a minute"), "limit_hour": _("SMS an hour"), "limit_day": _("SMS a day")}
        help_texts = {
            "sender": _("The name recipients see: up to 11 Latin letters and digits, registered with your gateway, "
                        "or a phone number. Empty: the gateway's default."),
            "system_type": _("Only if your gateway asks for it."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The tab may be left empty: a user without an SMS account saves the other tabs.
        self.fields["protocol"].required = False
        protocol = self.fields["protocol"]
        assert isinstance(protocol, forms.ChoiceField)
        protocol.choices = [("", _("No SMS account")), *SmsAccount.Protocol.choices]
        if not self.instance.pk:
            self.initial["protocol"] = ""
        self.fields["port"].required = False
        for name in SmsAccount.PACE_FIELDS:
            self.fields[name].required = False
        for name, column in (("password", "password_sealed"), ("api_id", "api_id_sealed")):
            self.fields[name].widget.attrs["placeholder"] = (
                _("saved — leave empty to keep") if self.instance.pk and getattr(self.instance, column) else "")

    @property
    def posted(self) -> bool:
        return self.is_bound and f"{self.prefix}-protocol" in self.data

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("port"):
            data["port"] = 2775
        if not data.get("api_url"):
            data["api_url"] = "https://sms.ru"
        _pace_defaults(data)
        return data
