"""The card of a theme or case of the project planner (PLN-03), new or kept.

A field the user may not change is drawn as its value with the reason (the rights are `activity.policies`); the
percent of an item with cases is derived (the page shows it beside the form), so the form has no such field. The
form carries the values as read (`ReadValuesFormMixin`): a save writes what the user changed, checked field by field
against what others saved meanwhile (core.conflicts).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kontora.accounts.models import User
from kontora.activity.models import ProjectItem
from kontora.clients.forms.card import UserChoiceField, label_of, style
from kontora.core.forms.base import DateInput, ReadValuesFormMixin

FIELDS = ("title", "responsible", "starts_on", "due_on", "percent", "delegation_allowed", "description", "report")


class ProjectItemForm(ReadValuesFormMixin, forms.Form):
    read_key = "item"
    layout = {"item": {
        "title": "col-12", "responsible": "col-md-6", "starts_on": "col-md-3", "due_on": "col-md-3",
        "percent": "col-md-3", "delegation_allowed": "col-md-9 align-self-end", "description": "col-12",
        "report": "col-12",
    }}

    def __init__(self, *args: Any, user: Any, may_edit: bool = True, may_delegate: bool = True,
                 may_allow_delegation: bool = True, derived: bool = False, kept: ProjectItem | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        label = {name: label_of(ProjectItem, name) for name in FIELDS}
        self.fields.update({
            # The service checks every bound (it is the one message, whoever calls it).
            "title": forms.CharField(label=label["title"], max_length=300),
            "responsible": UserChoiceField(label=label["responsible"], known=[user]),
            "starts_on": forms.DateField(label=label["starts_on"], widget=DateInput()),
            "due_on": forms.DateField(label=label["due_on"], widget=DateInput()),
            "percent": forms.IntegerField(label=label["percent"], required=False,
                                          widget=forms.NumberInput(attrs={"min": 0, "max": 100})),
            "delegation_allowed": forms.BooleanField(
                label=label["delegation_allowed"], required=False,
                help_text=_("Its responsible may pass it on to another user or split it into cases.")),
            "description": forms.CharField(label=label["description"], required=False,
                                           widget=forms.Textarea(attrs={"rows": 3})),
            "report": forms.CharField(label=label["report"], required=False,
                                      widget=forms.Textarea(attrs={"rows": 4})),
        })
        if kept is not None and not kept.responsible.is_active:
            # A responsible who has left stays the item's until someone chooses another: he is one of the choices.
            field = self.fields["responsible"]
            field.queryset = field.queryset | User.objects.filter(pk=kept.responsible_id)  # type: ignore[attr-defined]
        if derived:
            del self.fields["percent"]
        reasons = {
            name: _("Only the responsible or an administrator changes it.")
            for name in FIELDS if name not in ("responsible", "delegation_allowed") and not may_edit
        }
        if not may_delegate:
            reasons["responsible"] = _("Delegation of this item is not allowed to you.")
        if not may_allow_delegation:
            reasons["delegation_allowed"] = _("Set by whoever gave the item: the parent's responsible or an "
                                              "administrator.")
        for name, reason in reasons.items():
            if name in self.fields:
                self.fields[name].disabled = True
                self.fields[name].read_only_reason = reason  # type: ignore[attr-defined]
        style(self)  # the base styled the fields it had: none yet
        self.take_read()

    @staticmethod
    def initial_for(item: ProjectItem) -> dict[str, Any]:
        return {name: getattr(item, name) for name in FIELDS}

    def stored(self, record: Any) -> dict[str, Any]:
        values = {name: getattr(record, name) for name in FIELDS if name != "responsible"}
        values["responsible"] = record.responsible_id  # compared by key: no query under the lock
        return values

    def values(self) -> dict[str, Any]:
        """The fields the user changed, with their cleaned values, as the services name them."""
        return {name: self.cleaned_data[name] for name in self.changed_data}
