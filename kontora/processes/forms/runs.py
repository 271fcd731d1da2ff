"""«Запустить процесс» (BPM-02): the process, the client (picker, or the card's own), the note."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kontora.accounts.models import User
from kontora.clients.models import Client
from kontora.core.forms.base import KontoraForm
from kontora.directories.forms.widgets import picker_field, scope_pickers
from kontora.processes.selectors import runs as selectors


class RunStartForm(KontoraForm):
    # Not required here: the service names what is missing, so the message is the same everywhere.
    process = forms.ModelChoiceField(
        queryset=selectors.startable_processes(), required=False, label=_("Process"), empty_label="—",
    )
    client = picker_field("clients", label=_("Client"))
    note = forms.CharField(
        label=_("Note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The essence of the matter, for those who will work on the process."),
    )

    def __init__(self, *args: Any, user: User, locked_client: Client | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The picker accepts only the clients this user sees; the service then asks for the card to open.
        scope_pickers(self, user)
        self.locked_client = locked_client
        if locked_client is not None:
            # Started from the card: the client is the card's and is not chosen again.
            self.fields["client"].widget = forms.HiddenInput()
            self.initial["client"] = locked_client.pk

    def clean_client(self) -> Any:
        if self.locked_client is not None:
            return self.locked_client
        return self.cleaned_data.get("client")
