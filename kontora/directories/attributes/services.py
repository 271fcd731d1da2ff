"""Every write of custom attributes: the attributes, their directory values and the values clients carry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kontora.accounts.models import User
from kontora.core.audit import audit_record, changes_between, model_update, snapshot
from kontora.core.errors import Refused
from kontora.core.text import id_param, search_key
from kontora.directories import locks
from kontora.directories.attributes.selectors import date_value, number_value
from kontora.directories.models import Attribute, AttributeOption, AttributeValue
from kontora.directories.services.items import defaults_of

# The typed column each kind keeps its value in; the others stay empty.
EMPTY_COLUMNS: dict[str, Any] = {"option": None, "text": "", "text_key": "", "number": None, "date": None, "flag": None}
ATTRIBUTE_FIELDS = ("name", "label", "kind", "hint", "is_active", "order")
OPTION_FIELDS = ("name", "is_active")


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


def attribute_save(*, acting_user: User, attribute_id: int | None, data: AttributeData) -> Attribute:
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
    values = {"name": name, "label": label, "kind": data.kind, "hint": data.hint.strip(),
              "is_active": data.is_active, "order": data.order}
    with transaction.atomic():
        if attribute_id is None:
            attribute = Attribute.objects.create(**values)
            changes = changes_between(Attribute, defaults_of(Attribute, ATTRIBUTE_FIELDS), values, ATTRIBUTE_FIELDS)
        else:
            attribute = locks.attribute(attribute_id)
            if attribute.kind != data.kind and attribute.values.exists():
                raise ValidationError({"kind": _(
                    "Clients already have values of this attribute: its type cannot be changed."
                )})
            changes = model_update(attribute, data=values, fields=ATTRIBUTE_FIELDS)
        audit_record(
            actor=acting_user, event=f"directories.attribute.{'create' if attribute_id is None else 'update'}",
            summary=_("Attribute added") if attribute_id is None else _("Attribute changed"),
            target=attribute, changes=changes,
        )
    return attribute


def attribute_delete(*, acting_user: User, attribute_id: int) -> None:
    with transaction.atomic():
        attribute = locks.attribute(attribute_id, deleting=True)
        used = attribute.values.count()
        if used:
            raise Refused(_(
                "Clients have values of this attribute (%(count)d) and it cannot be deleted; "
                "make it inactive instead."
            ) % {"count": used})
        audit_record(actor=acting_user, event="directories.attribute.delete", summary=_("Attribute deleted"),
                     target=attribute, extra={"name": attribute.name})
        attribute.delete()


def option_save(
    *, acting_user: User, attribute_id: int, option_id: int | None, name: str, is_active: bool = True,
) -> AttributeOption:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Enter the value.")})
    with transaction.atomic():
        attribute = Attribute.objects.get(pk=attribute_id)
        if attribute.kind != Attribute.Kind.DIRECTORY:
            raise Refused(_("Only an attribute of the “Directory” type has its own values."))
        key = search_key(name)
        others = attribute.options.exclude(pk=option_id) if option_id else attribute.options.all()
        if others.filter(name_key=key).exists():
            raise ValidationError({"name": _("The attribute already has this value.")})
        values = {"name": name, "name_key": key, "is_active": is_active}
        if option_id is None:
            last = attribute.options.order_by("-order").values_list("order", flat=True).first()
            option = AttributeOption.objects.create(attribute=attribute, order=(last or 0) + 1, **values)
            changes = changes_between(AttributeOption, defaults_of(AttributeOption, OPTION_FIELDS), values,
                                      OPTION_FIELDS)
        else:
            option = locks.attribute_option(attribute_id, option_id)
            before = snapshot(option, OPTION_FIELDS)
            model_update(option, data=values, fields=[*OPTION_FIELDS, "name_key"])
            changes = changes_between(AttributeOption, before, snapshot(option, OPTION_FIELDS), OPTION_FIELDS)
        audit_record(
            actor=acting_user, event=f"directories.attribute_option.{'create' if option_id is None else 'update'}",
            summary=_("Attribute value added") if option_id is None else _("Attribute value changed"),
            target=option, changes=changes, extra={"attribute": attribute.pk},
        )
    return option


def option_delete(*, acting_user: User, attribute_id: int, option_id: int) -> None:
    with transaction.atomic():
        option = locks.attribute_option(attribute_id, option_id, deleting=True)
        used = AttributeValue.objects.filter(option=option).count()
        if used:
            raise Refused(_(
                "The value “%(name)s” is set for clients (%(count)d) and cannot be deleted; make it inactive instead."
            ) % {"name": option.name, "count": used})
        audit_record(actor=acting_user, event="directories.attribute_option.delete",
                     summary=_("Attribute value deleted"), target=option,
                     extra={"attribute": attribute_id, "name": option.name})
        option.delete()


def attribute_values_save(*, acting_user: User, client_id: int, values: dict[int, Any]) -> None:
    """Sets a client's attribute values: attribute id → value; an empty value (None, "", False) removes it.

    A flag is stored only when set: a client without the row has the flag off. Only the client card's service
    calls it, inside the card's transaction, and the card's audit row lists the attribute changes with the
    card's other ones (one row per save of the card), so this writes no row of its own.
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


def _typed(attribute: Attribute, value: Any) -> dict[str, Any] | None:
    """The typed column for one value, or None when the value is empty."""
    if value is None or value == "" or value is False:
        return None
    kind = attribute.kind
    if kind == Attribute.Kind.DIRECTORY:
        option_id = value.pk if isinstance(value, AttributeOption) else value
        option_pk = id_param(option_id)
        option = AttributeOption.objects.filter(pk=option_pk, attribute=attribute).first() if option_pk else None
        if option is None:
            raise ValidationError(_("Choose one of the values of the attribute."))
        return {"option": option}
    if kind == Attribute.Kind.TEXT:
        text = str(value).strip()[:500]
        return {"text": text, "text_key": search_key(text)} if text else None
    if kind == Attribute.Kind.NUMBER:
        return {"number": number_value(value)}
    if kind == Attribute.Kind.DATE:
        return {"date": date_value(value)}
    if value is True or value in ("1", "on", "true"):
        return {"flag": True}
    raise ValidationError(_("A flag is either set or not."))
