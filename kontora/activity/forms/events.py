"""The «Событие» form of the card's History (HIS-01): the event's fields, the contact picker limited to the card's
personnel, the ladder's active stages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kontora.activity.models import Event
from kontora.activity.services.events import EVENT_FIELDS
from kontora.clients.models import Client, ContactPerson
from kontora.core.forms.base import DateInput, ReadValuesFormMixin
from kontora.directories.models import ContactReaction, EventResult, EventType, LadderStage
from kontora.directories.selectors.items import offered_items


class EventForm(ReadValuesFormMixin, forms.Form):
    read_key = "event"
    layout = {"event": {
        "event_type": "col-6", "contact": "col-6", "description": "col-12", "result": "col-6", "reaction": "col-6",
        "stage": "col-4", "next_contact_date": "col-4",
    }}

    event_type = forms.ModelChoiceField(EventType.objects.none(), label=_("Event type"))
    contact = forms.ModelChoiceField(ContactPerson.objects.none(), label=_("Contact person"), required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}))
    result = forms.ModelChoiceField(EventResult.objects.none(), label=_("Result"), required=False)
    reaction = forms.ModelChoiceField(ContactReaction.objects.none(), label=_("Client reaction"), required=False)
    stage = forms.ModelChoiceField(LadderStage.objects.none(), label=_("Development stage"), required=False)
    next_contact_date = forms.DateField(label=_("Next contact date"), required=False, widget=DateInput())

    def __init__(self, *args: Any, client: Client, event: Event | None = None, read_only: bool = False,
                 **kwargs: Any) -> None:
        if event is not None and "initial" not in kwargs:
            kwargs["initial"] = self.stored(event)
        # The modal opens over the card, whose Operational work pane has fields of the same names: ids of its own.
        kwargs.setdefault("auto_id", "id_event_%s")
        super().__init__(*args, **kwargs)

        def held(name: str) -> Any:
            return getattr(event, f"{name}_id") if event is not None else None

        self.fields["event_type"].queryset = offered_items(EventType, held("event_type"))  # type: ignore[attr-defined]
        self.fields["result"].queryset = offered_items(EventResult, held("result"))  # type: ignore[attr-defined]
        self.fields["reaction"].queryset = offered_items(ContactReaction, held("reaction"))  # type: ignore[attr-defined]
        self.fields["stage"].queryset = offered_items(LadderStage, held("stage"))  # type: ignore[attr-defined]
        # Only the card's own personnel: a contact of another client is no choice here.
        self.fields["contact"].queryset = ContactPerson.objects.filter(  # type: ignore[attr-defined]
            client=client).order_by("full_name", "id")
        if read_only:
            for field in self.fields.values():
                field.disabled = True
        self.take_read()

    def stored(self, record: Any) -> dict[str, Any]:
        """The event's values as kept (relations as keys: no query per field)."""
        return {name: getattr(record, Event._meta.get_field(name).attname)  # type: ignore[union-attr]
                for name in EVENT_FIELDS}
