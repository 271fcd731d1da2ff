"""Parameters of the sales ladder's conversion: the period, and the clients — every one the user may open, a
filter template, or the registry filter the board was showing (its specification, checked again here)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from kontora.accounts.models import User
from kontora.clients.flexi.selectors.specs import describe, parse, to_q
from kontora.clients.flexi.selectors.templates import template_ref, template_spec, templates_for
from kontora.reports.forms.base import PeriodForm


class ConversionForm(PeriodForm):
    layout = {"period": {"date_from": "col-6 col-md-3", "date_to": "col-6 col-md-3", "clients": "col-md-6"}}

    # Checked by clean_clients, not as a choice: a template no longer shared with the user is told as such.
    clients = forms.CharField(label=_("Clients"), required=False, widget=forms.Select)
    spec = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.choices = [("", _("All clients I may open")), *((ref.ref, ref.name) for ref in templates_for(user))]
        self.fields["clients"].widget.choices = self.choices  # type: ignore[attr-defined]

    def clean_clients(self) -> str:
        ref = self.cleaned_data.get("clients") or ""
        if ref:
            try:
                template_ref(self.user, ref)
            except Http404:
                raise ValidationError(_("This template is not available to you.")) from None
        return ref

    def clean_spec(self) -> dict[str, Any] | None:
        raw = self.cleaned_data.get("spec") or ""
        if not raw:
            return None
        try:
            return parse(raw, user=self.user)
        except ValidationError as exc:
            raise ValidationError(_("The registry filter the board showed can no longer be applied: %(why)s")
                                  % {"why": " ".join(exc.messages)}) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("clients") and data.get("spec"):
            self.add_error("clients", _("Choose a template or the registry filter, not both."))
        return data

    def filter_q(self) -> Any:
        """The clients' condition, or None for every client the user may open."""
        data = self.cleaned_data
        if data.get("spec"):
            return to_q(data["spec"], user=self.user)
        if data.get("clients"):
            try:
                return to_q(template_spec(self.user, data["clients"]), user=self.user)
            except ValidationError as exc:
                raise ValidationError({"clients": exc.messages}) from None
        return None

    def clients_label(self) -> str:
        data = self.cleaned_data
        if data.get("spec"):
            return describe(data["spec"])
        return str(dict(self.choices).get(data.get("clients") or "", ""))
