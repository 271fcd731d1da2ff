"""Parameters of the client reports: birthdays of contact persons, the client summary."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from kontora.accounts.models import User
from kontora.clients import access
from kontora.core.forms.base import KontoraForm
from kontora.reports.forms.base import PeriodForm


class BirthdaysForm(PeriodForm):
    layout = {"period": {"date_from": "col-6 col-md-3", "date_to": "col-6 col-md-3", "curator": "col-md-6"}}
    at_most_a_year = True

    curator = forms.ModelChoiceField(queryset=User.objects.order_by("full_name", "id"), required=False,
                                     label=_("Curator"), empty_label=_("Any curator"))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        if not self.scope.everyone:
            del self.fields["curator"]  # his own clients only


class ClientSummaryForm(KontoraForm):
    """The client of «Сводная информация по клиенту», opened from the card's header: only a client whose card the
    user may open — any other id is the same 404 as the card's."""

    client = forms.IntegerField(widget=forms.HiddenInput, min_value=1,
                                error_messages={"required": _("Open the summary from a client's card.")})

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_client(self) -> Any:
        client = access.openable_client(self.user, self.cleaned_data["client"], related=(
            "settlement", "status", "curator", "ladder_stage"))
        if client is None:
            raise Http404
        return client
