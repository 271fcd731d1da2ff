"""The client card's one form: the main requisites with the General tab (`ClientForm`), and the parts other tabs
hold (`CardPartForm`: Operational work, Access, Attributes here; Registration data, Passport, Mailing, Security and
Shipping in their topics' modules). Every part carries the values as they were read (core.forms.base
`ReadValuesFormMixin`), so OK / Apply write only what the user changed. And the contact person's form (a journal's
modal)."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from django import forms
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from kontora.accounts.models import ClientScope, User
from kontora.clients import policies
from kontora.clients.models import Client, ClientGrant, ContactPerson
from kontora.clients.services import card as services
from kontora.core.forms.base import DateInput, ReadValuesFormMixin, guard_ids, russian_empty_choice, widget_class
from kontora.directories.attributes.forms import attribute_form_fields
from kontora.directories.attributes.selectors import card_attributes
from kontora.directories.attributes.services import field_name
from kontora.directories.forms.widgets import PickerWidget, allow_picker_editing, picker_field
from kontora.directories.models import AttributeOption, Competitor, Direction, DirectoryItem
from kontora.directories.selectors.autosubst import auto_substitution_for
from kontora.directories.services.settlements import place_outside_region

PICKERS = {
    "region": "regions", "settlement": "settlements", "status": "client-statuses", "size": "company-sizes",
    "source": "information-sources", "priority": "priorities", "activity": "activity-types",
    "ladder_stage": "ladder-stages", "next_stage": "ladder-stages", "penetration": "penetration-depths",
    "reaction": "contact-reactions", "loyalty": "loyalty", "prospect": "prospects", "flag": "client-flags",
}
MAIN_PART = (
    "kind", "short_name", "full_name", "region", "settlement", "address", "postal_code", "phone", "fax", "email",
    "website", "main_contact", "needs_attention", "flag", "curator", "specialist", "status", "size", "source",
    "priority", "activity", "directions", "notes",
)
OPERATIONAL_PART = (
    "ladder_stage", "penetration", "reaction", "loyalty", "next_stage", "prospect", "next_contact_date", "competitors",
)
# The relations of the client the card's page shows: read with the client in one query (no query per picker). Who
# registered and changed the card is the Service tab's, read when it is shown. The city's own region too: its picker
# names it (namesakes: «г Советск» is in three regions).
CARD_RELATED = (
    "region", "settlement", "settlement__region", "status", "size", "source", "priority", "activity", "curator",
    "specialist", "flag",
)
OPERATIONAL_RELATED = ("ladder_stage", "next_stage", "penetration", "reaction", "loyalty", "prospect")


def label_of(model: type[models.Model], name: str) -> Any:
    """A model field's verbose name as a form label ("Finances"), still lazy: translated when the form is shown."""
    return capfirst(model._meta.get_field(name).verbose_name)  # type: ignore[union-attr]


def style(form: forms.BaseForm) -> None:
    """Bootstrap classes (and «—» as a list's empty choice) on the fields a form added after the base form styled
    its (then empty) field list."""
    for field in form.fields.values():
        field.widget.attrs["class"] = widget_class(field.widget)
        russian_empty_choice(field)
        guard_ids(field)


def _users() -> Any:
    return User.objects.filter(disabled=False, dismissed=False).order_by("full_name", "id")


class UserChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A choice among `_users()` that takes a user already read in this request (the signed-in one, the card's
    curator and specialist) without a query when he is the one posted and one of `_users()`."""

    def __init__(self, *args: Any, known: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(_users(), *args, **kwargs)
        self.known = {str(user.pk): user for user in known if user is not None}

    def to_python(self, value: Any) -> Any:
        user = self.known.get(str(value)) if value not in self.empty_values else None
        if user is not None and not user.disabled and not user.dismissed:  # the filter of `_users()`
            return user
        return super().to_python(value)


def _read_with(client: Client, name: str) -> Any:
    """The client's related object if it was read with the client (so without a query), else None."""
    field = Client._meta.get_field(name)
    return getattr(client, name) if field.is_cached(client) else None  # type: ignore[union-attr]


def _client_values(client: Client, names: Iterable[str]) -> dict[str, Any]:
    """The client's own values of these fields; a relation as its object when it was read with the client, else as
    its key (a save's conflict check reads the locked row bare: compared by key, each object would be a query)."""
    values: dict[str, Any] = {}
    for name in names:
        field = Client._meta.get_field(name)
        if field.many_to_one and not field.is_cached(client):  # type: ignore[union-attr]
            values[name] = getattr(client, field.attname)  # type: ignore[union-attr]
        else:
            values[name] = getattr(client, name)
    return values


def _chosen(model: type[DirectoryItem], client: Client | None, relation: str) -> tuple[list[Any], list[int]]:
    """All items of a small directory with the client's choice among them, in one query: (choices, chosen ids). An
    item is shown by its name (DirectoryItem.__str__), read as a value: no instance of every item each request."""
    items = model._default_manager.all()
    if client is None:
        return list(items.values_list("pk", "name")), []
    rows = list(items.annotate(chosen=Exists(getattr(Client, relation).through.objects.filter(
        client_id=client.pk, **{f"{model._meta.model_name}_id": OuterRef("pk")}))).values_list("pk", "name", "chosen"))
    return [(pk, name) for pk, name, _chosen in rows], [pk for pk, _name, chosen in rows if chosen]


class CardPartForm(ReadValuesFormMixin, forms.Form):
    """A part of the card's one form (clients.hooks.CardPart): its fields with the values as stored (`stored`), all
    read-only for a user who may not change the part. What a save needs: `client_changes` (what goes to the
    client's own write) and `own_changes` (what the part's own service writes)."""

    client_fields: tuple[str, ...] = ()  # the fields kept on the client itself, saved with the card's own write
    # The names a page posts for this part besides its snapshot and its prefixed fields (`sent_in`); None: not
    # known before the form is built (it is built to tell).
    posted_names: tuple[str, ...] | None = None
    posted_prefix = ""  # unprefixed fields whose names start so (the custom attributes' "attr_<id>")

    def __init__(self, data: Any = None, *, client: Client | None, user: Any, read_only: bool = False,
                 **kwargs: Any) -> None:
        self.client, self.user, self.read_only = client, user, read_only
        stored = kwargs.setdefault("initial", self.stored(client))
        super().__init__(data, **kwargs)
        self.build()
        for name, field in self.fields.items():
            if isinstance(field.widget, PickerWidget) and isinstance(stored.get(name), models.Model):
                field.widget.known = stored[name]  # posted back unchanged, it is taken without a query
        self.take_read()
        style(self)
        if read_only:
            for field in self.fields.values():
                field.disabled = True

    @classmethod
    def sent_in(cls, data: Any) -> bool:
        """Whether the page may have sent this part, told without building it (`is_posted` needs its fields, and
        building a part reads its rows): a save of the General tab builds no other part. Never False for a part
        `is_posted` would find posted — a forged write to a read-only part is still built and refused."""
        if cls.posted_names is None or f"{cls.read_key or cls.prefix or 'form'}-read" in data:
            return True
        heads = tuple(head for head in (f"{cls.prefix}-" if cls.prefix else "", cls.posted_prefix) if head)
        return any(key in cls.posted_names or (heads and key.startswith(heads)) for key in data)

    def build(self) -> None:
        """Fields that depend on the client or the user (choices, pickers)."""

    def stored(self, client: Client | None) -> dict[str, Any]:
        """The part's values as kept now (a new card: its defaults)."""
        return {}

    def client_changes(self, changed: Iterable[str]) -> dict[str, Any]:
        """The changed fields kept on the client, as `services.card.card_save` takes them."""
        data = self.cleaned_data
        values = {name: data[name] for name in changed if name in self.client_fields}
        extra: dict[str, Any] = {name: values.pop(name) for name in ("directions", "competitors") if name in values}
        return {"values": values, **extra}

    def own_changes(self, changed: Iterable[str]) -> dict[str, Any]:
        """The changed fields the part's own service writes."""
        return {name: self.cleaned_data[name] for name in changed if name not in self.client_fields}


class ClientForm(CardPartForm):
    """The main requisites and the General tab: always on the card's page (the tabs' parts load when shown)."""

    read_key = "card"
    client_fields = MAIN_PART
    layout = {
        "main": {
            "kind": "col-3", "short_name": "col-4", "full_name": "col-5", "region": "col-3", "settlement": "col-3",
            "address": "col-4", "postal_code": "col-2", "phone": "col-3", "fax": "col-2", "email": "col-3",
            "website": "col-2", "main_contact": "col-2", "needs_attention": "col-3", "flag": "col-2",
        },
        "general": {
            "curator": "col-3", "specialist": "col-3", "status": "col-3", "size": "col-3", "source": "col-3",
            "priority": "col-3", "activity": "col-6", "directions": "col-12", "notes": "col-12",
        },
    }

    def __init__(self, *args: Any, kind: str, main_read_only: bool = False, **kwargs: Any) -> None:
        self.kind = kind
        super().__init__(*args, **kwargs)
        client = self.client
        if main_read_only:
            for name in services.MAIN_FIELDS:
                if name in self.fields:
                    self.fields[name].disabled = True
            for name in () if self.read_only else ("curator", "specialist"):  # a card he may only read says so
                self.fields[name].read_only_reason = _(  # type: ignore[attr-defined]
                    "Your working mode lets you change this client's information but not its main data: its "
                    "curator, specialist or an administrator changes them.")
        elif client is None and getattr(self.user, "client_scope", None) in (ClientScope.OWN, ClientScope.LIST_ALL):
            # A user who works with his own clients only is the curator of those he registers (the service refuses
            # any other curator): not offered, so no choice of his is ever dropped.
            field = self.fields["curator"]
            field.disabled = True
            field.read_only_reason = _(  # type: ignore[attr-defined]
                "You work with your own clients only, so you are the curator of the clients you register. An "
                "administrator hands clients over to another curator.")
            if not self.read_posted:
                self.initial["curator"] = self.user  # shown by name without a query
        allow_picker_editing(self, self.user)

    def build(self) -> None:
        plain = [name for name in MAIN_PART if name not in PICKERS and name not in (
            "curator", "specialist", "directions")]
        self.fields.update(forms.fields_for_model(Client, fields=plain, widgets={
            "notes": forms.Textarea(attrs={"rows": 4}), "kind": forms.RadioSelect}))
        self.fields["kind"].choices = Client.Kind.choices  # type: ignore[attr-defined]
        self.fields["short_name"].required = True
        self.fields["full_name"].required = False
        self.fields["full_name"].help_text = _("Left empty, the short name is used.")
        if self.kind == Client.Kind.PERSON:  # a person has a name, not an organisation's «наименование»
            self.fields["short_name"].label = _("Full name")
            self.fields["full_name"].label = _("Full name, unabridged")
            self.fields["full_name"].help_text = _("Left empty, the name above is used.")
        for name in MAIN_PART:
            if name in PICKERS:
                self.fields[name] = picker_field(PICKERS[name], label=label_of(Client, name))
        # One query of the users' names for both lists (str(user): the full name, else the login), and only when
        # a list is drawn: a save that succeeds validates by key and draws nothing.
        @functools.cache
        def users() -> list[tuple[Any, str]]:
            return [("", "—"), *((pk, name or login) for pk, name, login in _users().values_list(
                "pk", "full_name", "login"))]

        client = self.client
        known = [self.user, *(_read_with(client, name) for name in ("curator", "specialist") if client is not None)]
        for name, label in (("curator", _("Curator")), ("specialist", _("Specialist"))):
            field = UserChoiceField(required=False, label=label, known=known)
            field.choices = users
            self.fields[name] = field
        directions = forms.ModelMultipleChoiceField(Direction.objects.all(), required=False, label=_("Directions"),
                                                    widget=forms.CheckboxSelectMultiple)
        directions.choices = self._directions[0]
        self.fields["directions"] = directions
        self.fields["save_anyway"] = forms.BooleanField(
            required=False, label=_("These are different clients: save anyway"))
        self.order_fields(MAIN_PART)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        place, region = data.get("settlement"), data.get("region")
        changed = {"region", "settlement"} & set(self.changed_data)
        if place is not None and changed == {"settlement"}:
            # Choosing a city sets its region (picker.js does it in the browser; the card's service on save).
            data["region"] = place.region
        elif changed and place is not None and region is not None and place.region_id != region.pk:
            self.add_error("settlement", place_outside_region(place, region))
        return data

    def stored(self, client: Client | None) -> dict[str, Any]:
        self._directions = _chosen(Direction, client, "directions")
        if client is None:
            initial: dict[str, Any] = {"kind": self.kind, "curator": self.user.pk}
            defaults = auto_substitution_for(self.user)
            if defaults is not None:
                # The items themselves (read with the defaults): their pickers show them without a query each.
                initial.update(region=defaults.region, settlement=defaults.settlement)
            return initial
        initial = _client_values(client, (name for name in MAIN_PART if name != "directions"))
        initial["directions"] = self._directions[1]
        return initial


class OperationalForm(CardPartForm):
    """Operational work (CLI-04): the sales ladder and the competitors, kept on the client."""

    read_key = "operational"
    client_fields = posted_names = OPERATIONAL_PART
    layout = {"operational": {
        "ladder_stage": "col-4", "penetration": "col-4", "reaction": "col-4", "loyalty": "col-4",
        "next_stage": "col-4", "prospect": "col-4", "next_contact_date": "col-3", "competitors": "col-12",
    }}

    def build(self) -> None:
        for name in OPERATIONAL_PART[:-2]:
            self.fields[name] = picker_field(PICKERS[name], label=label_of(Client, name))
        self.fields["next_contact_date"] = forms.DateField(
            required=False, label=label_of(Client, "next_contact_date"), widget=DateInput())
        competitors = forms.ModelMultipleChoiceField(
            Competitor.objects.all(), required=False, label=_("Competitors present"),
            widget=forms.CheckboxSelectMultiple)
        competitors.choices = self._competitors[0]
        self.fields["competitors"] = competitors
        allow_picker_editing(self, self.user)

    def stored(self, client: Client | None) -> dict[str, Any]:
        self._competitors = _chosen(Competitor, client, "competitors")
        if client is None:
            return {}
        return {**_client_values(client, OPERATIONAL_PART[:-1]), "competitors": self._competitors[1]}


class AccessForm(CardPartForm):
    """Access (ACL-02, ACL-03): who besides the curator and the specialist works with the client, and the private
    flag (only a curator with the right "keep private clients" sees it)."""

    read_key = "access"
    posted_names = ("granted", "granted_edit", "is_private")

    def build(self) -> None:
        choices = [(str(user.pk), str(user)) for user in self._users]
        self.fields["granted"] = forms.MultipleChoiceField(
            choices=choices, required=False, label=_("Has access"), widget=forms.CheckboxSelectMultiple)
        self.fields["granted_edit"] = forms.MultipleChoiceField(
            choices=choices, required=False, label=_("May edit"), widget=forms.CheckboxSelectMultiple)
        if policies.clients.can(self.user, "make_private", self.client):
            self.fields["is_private"] = forms.BooleanField(required=False, label=_("Private client"))

    def stored(self, client: Client | None) -> dict[str, Any]:
        # The other users with their grants on this client: one query.
        users = _users()
        if client is not None:
            users = users.exclude(pk__in=[pk for pk in (client.curator_id, client.specialist_id) if pk]).annotate(
                granted=Exists(ClientGrant.objects.filter(client=client, user=OuterRef("pk"))),
                granted_edit=Exists(ClientGrant.objects.filter(client=client, user=OuterRef("pk"), can_edit=True)))
        else:
            users = users.exclude(pk=self.user.pk)
        self._users = list(users)
        return {
            "granted": [str(user.pk) for user in self._users if getattr(user, "granted", False)],
            "granted_edit": [str(user.pk) for user in self._users if getattr(user, "granted_edit", False)],
            "is_private": bool(client and client.is_private),
        }

    def grant_rows(self) -> list[dict[str, Any]]:
        granted, editing = self["granted"], self["granted_edit"]
        return [{"label": a.choice_label, "access": a, "edit": e} for a, e in zip(granted, editing, strict=True)]

    @staticmethod
    def grants(values: dict[str, Any]) -> dict[int, bool]:
        editing = set(values.get("granted_edit") or ())
        return {int(uid): uid in editing for uid in values.get("granted") or ()}


class AttributesForm(CardPartForm):
    """The Attributes tab (DIR-06): one field per active custom attribute, saved with the client's own write."""

    read_key = "attributes"
    posted_names = ()
    posted_prefix = "attr_"  # attributes.services.field_name

    def build(self) -> None:
        attributes = [row.attribute for row in self._attributes]
        current = {row.attribute.pk: row.value for row in self._attributes}
        fields = attribute_form_fields(attributes, current=current, options={
            row.attribute.pk: row.options for row in self._attributes})
        self.attribute_ids = {name: int(name.rsplit("_", 1)[1]) for name in fields}
        self.fields.update(fields)
        self.client_fields = tuple(fields)
        self.layout = {"attributes": dict.fromkeys(fields, "col-4")}

    def stored(self, client: Client | None) -> dict[str, Any]:
        self._attributes = card_attributes(client.pk if client is not None else None)
        return {field_name(row.attribute.pk): row.value.pk if isinstance(row.value, AttributeOption) else row.value
                for row in self._attributes}

    def client_changes(self, changed: Iterable[str]) -> dict[str, Any]:
        values = {self.attribute_ids[name]: self.cleaned_data[name] for name in changed if name in self.attribute_ids}
        return {"attributes": values} if values else {}


class ContactForm(ReadValuesFormMixin, forms.Form):
    read_key = "contact"
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
        self.fields["full_name"].label = _("Full name")  # a contact is a person: «ФИО», not the model's «наименование»
        style(self)
        self.take_read()

    @staticmethod
    def initial_for(contact: ContactPerson) -> dict[str, Any]:
        return {name: getattr(contact, name) for name in services.CONTACT_FIELDS}

    def stored(self, record: Any) -> dict[str, Any]:
        return self.initial_for(record)
