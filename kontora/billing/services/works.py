"""Works and services of the client card's «Работы» journal (SAL-02): the same rules as sales
(`billing.services.sales`): recorded by a user who may edit the client, changed and deleted later only by their author
or an administrator, dated before today only with the past-date right; audited; stale saves refused."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kontora.accounts.models import User
from kontora.billing import locks, policies
from kontora.billing.models import Work
from kontora.billing.services.sales import value_given, value_of
from kontora.clients.models import Client
from kontora.core.audit import audit_record, changes_between, created_changes, deleted_changes, snapshot
from kontora.core.conflicts import Edit, check
from kontora.core.errors import NotAllowed
from kontora.core.models import LegalEntity

WORK_FIELDS = ("date", "work_type", "output", "receiver", "responsible", "amount", "paid", "paid_on",
               "description", "norm_hours")
TEXTS = ("work_type", "output", "description")


def _check(work: Work, changed: set[str]) -> None:
    """The work's rules, each error next to its field."""
    errors: dict[str, str] = {}
    for name in TEXTS:
        setattr(work, name, (getattr(work, name) or "").strip())
    if work.date is None:
        errors["date"] = _("Enter the date of the work.")
    if not work.work_type:
        errors["work_type"] = _("Enter the type of work.")
    if work.amount is None or Decimal(work.amount) < 0:
        errors["amount"] = _("The amount cannot be negative.")
    if work.norm_hours is None or Decimal(work.norm_hours) < 0:
        errors["norm_hours"] = _("The labour in norm-hours cannot be negative.")
    if work.responsible_id is None:
        errors["responsible"] = _("Choose who is responsible.")
    if work.receiver_id is not None and "receiver" in changed and not LegalEntity.objects.filter(
            pk=work.receiver_id).exists():
        errors["receiver"] = _("Choose one of your own legal entities.")
    if not work.paid:
        work.paid_on = None
    if errors:
        raise ValidationError(errors)


def _label(work: Work) -> str:
    return f"{work.date:%d.%m.%Y} {work.work_type}" if work.date else work.work_type


def _clean(name: str, value: Any) -> Any:
    if name in TEXTS:
        return value or ""
    if name == "paid":
        return bool(value)
    if name in ("amount", "norm_hours") and value is None:
        return Decimal("0")
    return value


def work_create(*, acting_user: User, client: Client, values: Mapping[str, Any]) -> Work:
    """Records works or services done for the client (Ins in the card's «Работы»): by a user who may edit the
    client; the responsible is the author unless another one is chosen."""
    with transaction.atomic():
        if not policies.can_write_for(acting_user, client):
            raise NotAllowed
        fields = {name: _clean(name, values.get(name)) for name in WORK_FIELDS}
        fields["responsible"] = fields["responsible"] or acting_user
        work = Work(client=client, author=acting_user, changed_by=acting_user, created_at=timezone.now(), **fields)
        _check(work, set(WORK_FIELDS))
        policies.refuse_past_date(acting_user, work.date)
        work.save(force_insert=True)
        audit_record(actor=acting_user, event="billing.work.create", target=work, client=client,
                     summary=_("Work recorded: %(work)s") % {"work": _label(work)},
                     changes=created_changes(work, WORK_FIELDS))
    return work


def work_update(*, acting_user: User, work: Work, values: Mapping[str, Any], edit: Edit | None = None) -> Work:
    """Changes the given fields of a work: its author or an administrator, on a client he may edit; a work dated
    before today, or moved there, needs the past-date right."""
    with transaction.atomic():
        current = locks.work_to_change(work.pk)
        if not policies.works.can(acting_user, "change", current):
            raise NotAllowed
        if edit is not None:
            check([edit], current, target=current)
        before = snapshot(current, WORK_FIELDS)
        was_dated = current.date
        changed = {name for name in WORK_FIELDS if name in values
                   and value_of(current, name) != value_given(Work, _clean(name, values[name]), name)}
        for name in changed:
            setattr(current, name, _clean(name, values[name]))
        _check(current, changed)
        if not changed:
            return current
        policies.refuse_past_date(acting_user, was_dated, current.date)
        current.changed_by = acting_user
        current.save()
        audit_record(actor=acting_user, event="billing.work.update", target=current, client=current.client_id,
                     summary=_("Work changed: %(work)s") % {"work": _label(current)},
                     changes=changes_between(Work, before, snapshot(current, WORK_FIELDS), WORK_FIELDS))
    return current


def work_delete(*, acting_user: User, work: Work) -> None:
    """Deletes a work: its author or an administrator, on a client he may edit (a past-dated one with the right)."""
    with transaction.atomic():
        current = locks.work_to_change(work.pk)
        if not policies.works.can(acting_user, "change", current):
            raise NotAllowed
        policies.refuse_past_date(acting_user, current.date)
        audit_record(actor=acting_user, event="billing.work.delete", target=current, client=current.client_id,
                     summary=_("Work deleted: %(work)s") % {"work": _label(current)},
                     changes=deleted_changes(current, WORK_FIELDS))
        current.delete()
