"""Works and services of the client card's «Работы» journal (SAL-02): written as every journal row is
(`services.journal`), with the work's own rules: its type, labour that is not negative, a receiver among our own legal
entities."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kontora.accounts.models import User
from kontora.billing import locks, policies
from kontora.billing.models import Work
from kontora.billing.services.journal import Audit, RowSpec, row_create, row_delete, row_update
from kontora.clients.models import Client
from kontora.core.conflicts import Edit
from kontora.core.models import LegalEntity

WORK_FIELDS = ("date", "work_type", "output", "receiver", "responsible", "amount", "paid", "paid_on",
               "description", "norm_hours")


def _rules(work: Work, changed: set[str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if work.date is None:
        errors["date"] = _("Enter the date of the work.")
    if not work.work_type:
        errors["work_type"] = _("Enter the type of work.")
    if work.norm_hours is None or Decimal(work.norm_hours) < 0:
        errors["norm_hours"] = _("The labour in norm-hours cannot be negative.")
    if work.receiver_id is not None and "receiver" in changed and not LegalEntity.objects.filter(
            pk=work.receiver_id).exists():
        errors["receiver"] = _("Choose one of your own legal entities.")
    return errors


def _label(work: Work) -> dict[str, str]:
    return {"work": f"{work.date:%d.%m.%Y} {work.work_type}" if work.date else work.work_type}


WORKS: RowSpec[Work] = RowSpec(
    model=Work, fields=WORK_FIELDS, policy=policies.works, lock=locks.work_to_change, rules=_rules, label=_label,
    created=Audit("billing.work.create", gettext_lazy("Work recorded: %(work)s")),
    updated=Audit("billing.work.update", gettext_lazy("Work changed: %(work)s")),
    deleted=Audit("billing.work.delete", gettext_lazy("Work deleted: %(work)s")),
    texts=("work_type", "output", "description"), zeros=("amount", "norm_hours"),
)


def work_create(*, acting_user: User, client: Client, values: Mapping[str, Any]) -> Work:
    """Records works or services done for the client (Ins in the card's «Работы»)."""
    return row_create(WORKS, acting_user=acting_user, client=client, values=values)


def work_update(*, acting_user: User, work: Work, values: Mapping[str, Any], edit: Edit | None = None) -> Work:
    """Changes the given fields of a work (its author or an administrator)."""
    return row_update(WORKS, acting_user=acting_user, row=work, values=values, edit=edit)


def work_delete(*, acting_user: User, work: Work) -> None:
    """Deletes a work (its author or an administrator)."""
    row_delete(WORKS, acting_user=acting_user, row=work)
