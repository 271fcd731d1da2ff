"""The attribute card, and the client card's form fields of the active attributes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kontora.core.forms import KontoraForm
from kontora.directories.attributes.services import AttributeData, field_name
from kontora.directories.models import Attribute, AttributeOption


class NumberField(forms.DecimalField):
    """A number attribute's field: «12» and «12,5», not «12,0000» — the column keeps four decimal places, the user
    typed none."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal) and value.is_finite():
            return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
        return value


class AttributeForm(KontoraForm):
    layout = {"texts": dict.fromkeys(("name", "label", "hint"), "col-12"),
              "kind": dict.fromkeys(("kind", "order", "is_active"), "col-12")}

    name = forms.CharField(label=_("Name"), max_length=200)
    hint = forms.CharField(
        label=_("Hint"), max_length=500, required=False,
        help_text=_("Shown under the field on the client card."),
    )
    label = forms.CharField(
        label=_("Label"), max_length=100, help_text=_("The caption of the field on the client card."),
    )
    kind = forms.ChoiceField(label=_("Type"), choices=Attribute.Kind.choices)
    order = forms.IntegerField(label=_("Order"), min_value=0, initial=0)
    is_active = forms.BooleanField(label=_("Activate the attribute"), required=False)

    def data_object(self) -> AttributeData:
        data = self.cleaned_data
        return AttributeData(
            name=data["name"], label=data["label"], kind=data["kind"], hint=data["hint"],
            is_active=data["is_active"], order=data["order"],
        )


class OptionForm(KontoraForm):
    name = forms.CharField(label=_("Value"), max_length=200)
    is_active = forms.BooleanField(label=_("Active (offered for choice)"), required=False, initial=True)


def attribute_form_fields(
    attributes: Iterable[Attribute], *, current: Mapping[int, Any] | None = None,
    options: Mapping[int, list[AttributeOption]] | None = None,
) -> dict[str, forms.Field]:
    """One form field per ACTIVE attribute, keyed by `services.field_name(id)`, in the given order.

    `current` (attribute id → value, as `selectors.attribute_values_for` gives) keeps an inactive directory
    value on the record that already has it; a new record is offered the active values only. `options`
    (attribute id → its values, as `selectors.card_attributes` read them) spares a query per directory attribute.
    """
    current = current or {}
    fields: dict[str, forms.Field] = {}
    for attribute in attributes:
        if not attribute.is_active:
            continue
        common: dict[str, Any] = {"label": attribute.label, "help_text": attribute.hint, "required": False}
        field: forms.Field
        if attribute.kind == Attribute.Kind.DIRECTORY:
            value = current.get(attribute.pk)
            keep = value.pk if isinstance(value, AttributeOption) else None
            # Options are few (a handful per attribute): a plain select is the right picker here.
            field = forms.ModelChoiceField(
                queryset=AttributeOption.objects.filter(Q(is_active=True) | Q(pk=keep), attribute=attribute)
                .order_by("order", "name", "id"),
                empty_label="—", **common,
            )
            if options is not None and attribute.pk in options:
                field.choices = [("", "—"), *((option.pk, str(option)) for option in options[attribute.pk]
                                              if option.is_active or option.pk == keep)]
        elif attribute.kind == Attribute.Kind.TEXT:
            field = forms.CharField(max_length=500, **common)
        elif attribute.kind == Attribute.Kind.NUMBER:
            field = NumberField(max_digits=18, decimal_places=4, localize=True, **common)
        elif attribute.kind == Attribute.Kind.DATE:
            field = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **common)
        else:
            field = forms.BooleanField(**common)
        fields[field_name(attribute.pk)] = field
    return fields
