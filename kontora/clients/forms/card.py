"""The client card's form and the contact person's form, and what the card's tabs' forms share: the date input
and the detached form of a pane that sits inside the card's main form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from kontora.accounts.models import User
from kontora.clients.models import Client, ClientGrant, ContactPerson
from kontora.clients.policies import CardRights
from kontora.clients.services import card as services
from kontora.core.forms import KontoraForm
from kontora.core.forms.base import widget_class
from kontora.directories.attributes.forms import attribute_form_fields
from kontora.directories.attributes.selectors import active_attributes, attribute_values_for
from kontora.directories.attributes.services import field_name
from kontora.directories.forms.widgets import allow_picker_editing, picker_field
from kontora.directories.models import AttributeOption, Competitor, Direction
from kontora.directories.selectors.autosubst import auto_substitution_for

PICKERS = {
    "region": "regions", "settlement": "settlements", "status": "client-statuses", "size": "company-sizes",
    "source": "information-sources", "priority": "priorities", "activity": "activity-types",
    "ladder_stage": "ladder-stages", "next_stage": "ladder-stages", "penetration": "penetration-depths",
    "reaction": "contact-reactions", "loyalty": "loyalty", "prospect": "prospects",
}
_PLAIN = tuple(name for name in services.CLIENT_FIELDS if name not in PICKERS and name not in ("curator", "specialist"))


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


def label_of(model: type[models.Model], name: str) -> Any:
    """A model field's verbose name as a form label ("Finances"), still lazy: translated when the form is shown."""
    return capfirst(model._meta.get_field(name).verbose_name)  # type: ignore[union-attr]


def detach(form: forms.BaseForm, form_id: str) -> None:
    """Ties the form's inputs to `form_id`, an id no <form> has: a tab's pane sits inside the card's main form,
    so OK of the card does not send them, and the pane's own buttons post only them (htmx `hx-include`)."""
    for field in form.fields.values():
        field.widget.attrs["form"] = form_id


def read_only(form: forms.BaseForm, read_only: bool = True) -> None:
    """Disables every field: the pane is shown to a user who may not change it."""
    if read_only:
        for field in form.fields.values():
            field.disabled = True


class DetachedForm(KontoraForm):
    """A tab's form of declared fields, detached from the card's main form (`detached`: the id it posts with)."""

    detached = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        detach(self, self.detached)

    def read_only(self) -> DetachedForm:
        read_only(self)
        return self


def _users() -> Any:
    return User.objects.filter(disabled=False, dismissed=False).order_by("full_name", "id")


class ClientForm(KontoraForm):
    """All tabs of the card in one form; the view decides which fields are read-only for this user."""

    layout = {
        "main": {
            "kind": "col-3", "short_name": "col-4", "full_name": "col-5", "region": "col-3", "settlement": "col-3",
            "address": "col-4", "postal_code": "col-2", "phone": "col-3", "fax": "col-2", "email": "col-3",
            "website": "col-2", "main_contact": "col-2", "needs_attention": "col-3", "flagged": "col-2",
        },
        "general": {
            "curator": "col-3", "specialist": "col-3", "status": "col-3", "size": "col-3", "source": "col-3",
            "priority": "col-3", "activity": "col-6", "directions": "col-12", "notes": "col-12",
        },
        "operational": {
            "ladder_stage": "col-4", "penetration": "col-4", "reaction": "col-4", "loyalty": "col-4",
            "next_stage": "col-4", "prospect": "col-4", "next_contact_date": "col-3", "competitors": "col-12",
        },
        "registration": {"inn": "col-3", "kpp": "col-3", "ogrn": "col-3"},
    }

    def __init__(
        self, *args: Any, user: Any, client: Client | None, rights: CardRights, kind: str, **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        model_fields = forms.fields_for_model(
            Client, fields=_PLAIN, widgets={
                "next_contact_date": DateInput(), "notes": forms.Textarea(attrs={"rows": 4}),
                "kind": forms.RadioSelect,
            },
        )
        self.fields.update(model_fields)
        self.fields["kind"].choices = Client.Kind.choices  # type: ignore[attr-defined]
        self.fields["short_name"].required = True
        self.fields["full_name"].required = False
        self.fields["full_name"].help_text = _("Left empty, the short name is used.")
        for name, key in PICKERS.items():
            self.fields[name] = picker_field(key, label=label_of(Client, name))
        self.fields["curator"] = forms.ModelChoiceField(_users(), required=False, label=_("Curator"))
        self.fields["specialist"] = forms.ModelChoiceField(_users(), required=False, label=_("Specialist"))
        self.fields["directions"] = forms.ModelMultipleChoiceField(
            Direction.objects.all(), required=False, label=_("Directions"), widget=forms.CheckboxSelectMultiple,
        )
        self.fields["competitors"] = forms.ModelMultipleChoiceField(
            Competitor.objects.all(), required=False, label=_("Competitors present"),
            widget=forms.CheckboxSelectMultiple,
        )
        others = _users().exclude(pk__in=[pk for pk in (client.curator_id, client.specialist_id) if pk]) \
            if client else _users().exclude(pk=user.pk)
        choices = [(str(u.pk), str(u)) for u in others]
        self.fields["granted"] = forms.MultipleChoiceField(
            choices=choices, required=False, label=_("Has access"), widget=forms.CheckboxSelectMultiple,
        )
        self.fields["granted_edit"] = forms.MultipleChoiceField(
            choices=choices, required=False, label=_("May edit"), widget=forms.CheckboxSelectMultiple,
        )
        self.fields["save_anyway"] = forms.BooleanField(
            required=False, label=_("These are different clients: save anyway"),
        )
        if rights.can_make_private:
            self.fields["is_private"] = forms.BooleanField(required=False, label=_("Private client"))
        self._add_attributes(client)
        # The fields are added after the base form styled its (then empty) field list.
        for field in self.fields.values():
            field.widget.attrs["class"] = widget_class(field.widget)
        if kind == Client.Kind.PERSON:
            # A person has no Registration tab (CLI-01); what was entered before is kept as it is.
            for name in ("inn", "kpp", "ogrn"):
                del self.fields[name]
        if client is not None:
            self._read_only(rights)
        allow_picker_editing(self, user)

    def _add_attributes(self, client: Client | None) -> None:
        """The Attributes tab (DIR-06): one field per active custom attribute, with the client's values."""
        current = attribute_values_for(client.pk) if client is not None else {}
        attributes = active_attributes()
        fields = attribute_form_fields(attributes, current=current)
        self.attribute_ids = {field_name(a.pk): a.pk for a in attributes if field_name(a.pk) in fields}
        self.fields.update(fields)
        self.layout = {**self.layout, "attributes": dict.fromkeys(self.attribute_ids, "col-4")}
        for name, attribute_id in self.attribute_ids.items():
            value = current.get(attribute_id)
            self.initial.setdefault(name, value.pk if isinstance(value, AttributeOption) else value)

    def attribute_bound_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.attribute_ids]

    def attribute_values(self) -> dict[int, Any] | None:
        """attribute id → the value to save, for the attributes this user may change; None when none."""
        values = {attribute_id: self.cleaned_data.get(name) for name, attribute_id in self.attribute_ids.items()
                  if not self.fields[name].disabled}
        return values or None

    def _read_only(self, rights: CardRights) -> None:
        main = set(services.MAIN_FIELDS) | {"granted", "granted_edit"}
        for name, field in self.fields.items():
            if name == "save_anyway":
                continue
            if not rights.can_edit or (name in main and not rights.can_edit_main):
                field.disabled = True

    @staticmethod
    def initial_for(client: Client | None, *, user: Any, kind: str) -> dict[str, Any]:
        if client is None:
            initial: dict[str, Any] = {"kind": kind, "curator": user.pk}
            defaults = auto_substitution_for(user)
            if defaults is not None:
                initial.update(region=defaults.region_id, settlement=defaults.settlement_id)
            return initial
        initial = {name: getattr(client, f"{name}_id" if name in PICKERS or name in ("curator", "specialist")
                                 else name) for name in services.CLIENT_FIELDS}
        initial["directions"] = list(client.directions.values_list("pk", flat=True))
        initial["competitors"] = list(client.competitors.values_list("pk", flat=True))
        grants = list(ClientGrant.objects.filter(client=client).values_list("user_id", "can_edit"))
        initial["granted"] = [str(uid) for uid, _edit in grants]
        initial["granted_edit"] = [str(uid) for uid, edit in grants if edit]
        initial["is_private"] = client.is_private
        return initial

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {name: data[name] for name in services.CLIENT_FIELDS if name in data}

    def grants(self) -> dict[int, bool]:
        editing = set(self.cleaned_data.get("granted_edit") or ())
        return {int(uid): uid in editing for uid in self.cleaned_data.get("granted") or ()}


class ContactForm(KontoraForm):
    layout = {"contact": {
        "full_name": "col-8", "position": "col-4", "phone_office": "col-4", "phone_mobile": "col-4",
        "phone_home": "col-4", "email": "col-6", "birthday": "col-3", "is_main": "col-3", "competence": "col-6",
        "characteristics": "col-6", "relatives": "col-6", "biography": "col-6",
    }}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(forms.fields_for_model(
            ContactPerson, fields=services.CONTACT_FIELDS, widgets={
                "birthday": DateInput(), **{name: forms.Textarea(attrs={"rows": 2}) for name in (
                    "competence", "characteristics", "relatives", "biography")},
            },
        ))
        for field in self.fields.values():
            widget = field.widget
            if "form-" not in widget.attrs.get("class", ""):
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} {widget_class(widget)}".strip()

    @staticmethod
    def initial_for(contact: ContactPerson) -> dict[str, Any]:
        return {name: getattr(contact, name) for name in services.CONTACT_FIELDS}
