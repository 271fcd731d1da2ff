"""Settings → Parameters → «Почта» (GRP-03): the user's own mailbox."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kontora.core.forms.base import KontoraModelForm, TimeInput
from kontora.messaging.models import Mailbox


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
        for name in ("host", "address", "port", "security", "limit_minute", "limit_hour", "limit_day",
                     "window_from", "window_to"):
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
        for name in ("limit_minute", "limit_hour", "limit_day", "window_from", "window_to"):
            if data.get(name) is None:
                data[name] = Mailbox._meta.get_field(name).get_default()  # type: ignore[union-attr]
        if not data.get("port"):
            data["port"] = 587 if data["security"] == Mailbox.Security.STARTTLS else 465
        return data
