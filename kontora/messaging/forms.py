"""Settings → Parameters → «Почта» (GRP-03): the user's own mailbox."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kontora.core.forms.base import KontoraModelForm
from kontora.messaging.models import Mailbox


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
