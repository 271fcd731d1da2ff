"""Settings → Parameters → «Почта» (GRP-03) and «SMS» (GRP-04): the user's own mailbox and SMS account."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kontora.core.forms.base import KontoraModelForm
from kontora.messaging.models import Mailbox, SmsAccount


class MailboxForm(KontoraModelForm):
    default_col = "col-12 col-md-6"

    password = forms.CharField(
        label=_("Password"), required=False, strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Kept encrypted and never shown. Leave empty to keep the password saved."))

    class Meta:
        model = Mailbox
        fields = ["host", "port", "security", "sender_name", "address", "login"]
        help_texts = {"sender_name": _("Shown to recipients as the sender, e.g. «ООО Ромашка, отдел продаж».")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The tab may be left empty: a user without a mailbox saves the other tabs.
        for name in ("host", "address", "port", "security"):
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
        if not data.get("port"):
            data["port"] = 587 if data["security"] == Mailbox.Security.STARTTLS else 465
        return data


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
        fields = ["protocol", "sender", "host", "port", "system_id", "password", "system_type", "api_id", "api_url"]
        # SMPP's own names, written as the gateway's papers write them (a model label would be capitalised).
        labels = {"system_id": _("system_id (login)"), "system_type": _("system_type")}
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
        return data
