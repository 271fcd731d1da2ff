"""Every write of custom attributes: the attributes, their directory values and the values clients carry."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kontora.core.text import search_key
from kontora.directories.models import Attribute, AttributeOption, AttributeValue

audit = logging.getLogger("kontora.audit")

# The typed column each kind keeps its value in; the others stay empty.
EMPTY_COLUMNS: dict[str, Any] = {"option": None, "text": "", "text_key": "", "number": None, "date": None, "flag": None}


@dataclass(frozen=True)
class AttributeData:
    name: str
    label: str
    kind: str
    hint: str = ""
    is_active: bool = False
    order: int = 0


def field_name(attribute_id: int) -> str:
    """The form field (and error key) of an attribute on the client card."""
    return f"attr_{attribute_id}"


def attribute_save(*, acting_user: Any, attribute_id: int | None, data: AttributeData) -> Attribute:
    name, label = " ".join(data.name.split()), " ".join(data.label.split())
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Enter the name.")
    if not label:
        errors["label"] = _("Enter the label shown next to the field.")
    if data.kind not in Attribute.Kind.values:
        errors["kind"] = _("Choose the type.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if attribute_id is None:
            attribute = Attribute(kind=data.kind)
        else:
            attribute = Attribute.objects.select_for_update().get(pk=attribute_id)
            if attribute.kind != data.kind and attribute.values.exists():
                raise ValidationError({"kind": _(
                    "Clients already have values of this attribute: its type cannot be changed."
                )})
        attribute.name, attribute.label, attribute.kind = name, label, data.kind
        attribute.hint, attribute.is_active, attribute.order = data.hint.strip(), data.is_active, data.order
        attribute.save()
    audit.info("%s saved attribute %s «%s» (%s, active %s)", acting_user.login, attribute.pk, name, data.kind,
               data.is_active)
    return attribute


def attribute_delete(*, acting_user: Any, attribute_id: int) -> None:
    with transaction.atomic():
        attribute = Attribute.objects.select_for_update().get(pk=attribute_id)
        used = attribute.values.count()
        if used:
            raise ValidationError(_(
                "Clients have values of this attribute (%(count)d) and it cannot be deleted; "
                "make it inactive instead."
            ) % {"count": used})
        name = attribute.name
        attribute.delete()
    audit.info("%s deleted attribute %s «%s»", acting_user.login, attribute_id, name)


def option_save(
    *, acting_user: Any, attribute_id: int, option_id: int | None, name: str, is_active: bool = True,
) -> AttributeOption:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Enter the value.")})
    with transaction.atomic():
        attribute = Attribute.objects.get(pk=attribute_id)
        if attribute.kind != Attribute.Kind.DIRECTORY:
            raise ValidationError(_("Only an attribute of the “Directory” type has its own values."))
        key = search_key(name)
        others = attribute.options.exclude(pk=option_id) if option_id else attribute.options.all()
        if others.filter(name_key=key).exists():
            raise ValidationError({"name": _("The attribute already has this value.")})
        if option_id is None:
            last = attribute.options.order_by("-order").values_list("order", flat=True).first()
            option = AttributeOption(attribute=attribute, order=(last or 0) + 1)
        else:
            option = AttributeOption.objects.select_for_update().get(pk=option_id, attribute=attribute)
        option.name, option.name_key, option.is_active = name, key, is_active
        option.save()
    audit.info("%s saved value %s «%s» of attribute %s", acting_user.login, option.pk, name, attribute_id)
    return option


def option_delete(*, acting_user: Any, attribute_id: int, option_id: int) -> None:
    with transaction.atomic():
        option = AttributeOption.objects.select_for_update().get(pk=option_id, attribute_id=attribute_id)
        used = AttributeValue.objects.filter(option=option).count()
        if used:
            raise ValidationError(_(
                "The value “%(name)s” is set for clients (%(count)d) and cannot be deleted; make it inactive instead."
            ) % {"name": option.name, "count": used})
        name = option.name
        option.delete()
    audit.info("%s deleted value %s «%s» of attribute %s", acting_user.login, option_id, name, attribute_id)


def attribute_values_save(*, acting_user: Any, client_id: int, values: dict[int, Any]) -> None:
    """Sets a client's attribute values: attribute id → value; an empty value (None, "", False) removes it.

    A flag is stored only when set: a client without the row has the flag off.
    """
    with transaction.atomic():
        attributes = Attribute.objects.in_bulk(list(values))
        errors: dict[str, str] = {}
        columns: dict[int, dict[str, Any] | None] = {}
        for attribute_id, value in values.items():
            attribute = attributes.get(attribute_id)
            if attribute is None:
                errors[field_name(attribute_id)] = _("Unknown attribute.")
                continue
            try:
                columns[attribute_id] = _typed(attribute, value)
            except ValidationError as exc:
                errors[field_name(attribute_id)] = exc.messages[0]
        if errors:
            raise ValidationError(errors)
        for attribute_id, typed in columns.items():
            if typed is None:
                AttributeValue.objects.filter(attribute_id=attribute_id, client_id=client_id).delete()
            else:
                AttributeValue.objects.update_or_create(
                    attribute_id=attribute_id, client_id=client_id, defaults={**EMPTY_COLUMNS, **typed},
                )
    audit.info("%s set attributes %s of client %s", acting_user.login,
               ",".join(str(pk) for pk in sorted(values)) or "-", client_id)


def _typed(attribute: Attribute, value: Any) -> dict[str, Any] | None:
    """The typed column for one value, or None when the value is empty."""
    if value is None or value == "" or value is False:
        return None
    kind = attribute.kind
    if kind == Attribute.Kind.DIRECTORY:
        option_id = value.pk if isinstance(value, AttributeOption) else value
        option = AttributeOption.objects.filter(pk=option_id, attribute=attribute).first() \
            if str(option_id).isdigit() else None
        if option is None:
            raise ValidationError(_("Choose one of the values of the attribute."))
        return {"option": option}
    if kind == Attribute.Kind.TEXT:
        text = str(value).strip()[:500]
        return {"text": text, "text_key": search_key(text)} if text else None
    if kind == Attribute.Kind.NUMBER:
        try:
            number = value if isinstance(value, Decimal) else Decimal(str(value).replace(",", ".").strip())
        except InvalidOperation as exc:
            raise ValidationError(_("Enter a number.")) from exc
        if not number.is_finite():
            raise ValidationError(_("Enter a number."))
        return {"number": number}
    if kind == Attribute.Kind.DATE:
        if isinstance(value, date):
            return {"date": value}
        try:
            return {"date": date.fromisoformat(str(value))}
        except ValueError as exc:
            raise ValidationError(_("Enter a date.")) from exc
    if value is True or value in ("1", "on", "true"):
        return {"flag": True}
    raise ValidationError(_("A flag is either set or not."))
