"""The project planner's writes (PLN-03): themes, cases of any depth under them, their edits and deletion.

Rules (the rights are `activity.policies`):
- anyone signed in starts a theme; a case is added under a theme or a case by whoever may split it
  (`can_split_item`: its giver — the parent's responsible or an administrator —, a theme's own responsible, or
  the item's responsible when «Разрешено делегировать» is set);
- the responsible or an administrator edits an item's title, description, dates, percent and execution report
  (`can_edit_item`); making another user responsible is `can_delegate_item`, and the flag itself is the giver's
  (`can_allow_delegation`), so nobody grants it to himself;
- dates: the due date is not before the start, and a case lies within its parent's span — a case cannot run out of
  its theme, and a theme cannot be narrowed past its cases (the parent is locked with the case, so the two checks
  never pass each other);
- percent done (0–100) is typed on a leaf only; a theme's or a case's with sub-cases is derived from its cases,
  weighted by duration, when read (`selectors.projects`), never stored: there is nothing to keep in step (a leaf's
  typed figure stays in its row once it is split, unused, and counts again if all its cases are deleted);
- deleting an item deletes its sub-cases and their closed project tasks with it (the foreign keys cascade); it is
  refused while a project task on it or below it is not closed — those are someone's live work, to be closed or
  deleted through the task services first.

Every write is one transaction with one audit row (`activity.project_item.*`); the responsible is told on his bell
when someone else gives him an item.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from kontora.accounts.models import User
from kontora.activity import locks, policies
from kontora.activity.models import ProjectItem, Task
from kontora.core import conflicts
from kontora.core.audit import audit_record, created_changes, deleted_changes, field_label, model_update
from kontora.core.conflicts import Edit
from kontora.core.errors import NotAllowed, Refused
from kontora.core.services.notifications import notification_send

TITLE_MAX = 300
# The fields the card edits, as the audit rows show them; who may change which is `_may_change`.
ITEM_FIELDS = ("title", "description", "responsible", "starts_on", "due_on", "percent", "report",
               "delegation_allowed")


def _day(value: datetime.date) -> str:
    return str(formats.date_format(value, "SHORT_DATE_FORMAT"))


def _kind(item: ProjectItem) -> str:
    return _("theme") if item.parent_id is None else _("case")


def _clean(values: Mapping[str, Any], parent: ProjectItem | None, *, leaf: bool, new_responsible: bool = True,
           ) -> dict[str, Any]:
    """The values of an item as they will be kept, or a ValidationError naming each wrong field (a responsible
    kept from before stays even if he has left since: only a newly chosen one must be able to sign in)."""
    errors: dict[str, str] = {}
    clean = dict(values)
    title = " ".join(str(values.get("title") or "").split())
    if not title:
        errors["title"] = _("Enter the title.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("The title is too long: at most %(limit)d characters.") % {"limit": TITLE_MAX}
    clean["title"] = title
    clean["description"] = str(values.get("description") or "").strip()
    clean["report"] = str(values.get("report") or "").strip()
    clean["delegation_allowed"] = bool(values.get("delegation_allowed"))
    responsible = values.get("responsible")
    if not isinstance(responsible, User):
        errors["responsible"] = _("Choose the responsible.")
    elif new_responsible and not responsible.is_active:
        errors["responsible"] = _("This user cannot sign in: the account is disabled or the employee is dismissed.")
    starts_on, due_on = values.get("starts_on"), values.get("due_on")
    if not isinstance(starts_on, datetime.date):
        errors["starts_on"] = _("Enter the start date.")
    if not isinstance(due_on, datetime.date):
        errors["due_on"] = _("Enter the due date.")
    if isinstance(starts_on, datetime.date) and isinstance(due_on, datetime.date):
        if due_on < starts_on:
            errors["due_on"] = _("The due date cannot be earlier than the start.")
        elif parent is not None and (starts_on < parent.starts_on or due_on > parent.due_on):
            errors["starts_on" if starts_on < parent.starts_on else "due_on"] = _(
                "A case lies within its parent «%(parent)s»: from %(start)s to %(due)s. Change the parent's dates "
                "first."
            ) % {"parent": parent.title, "start": _day(parent.starts_on), "due": _day(parent.due_on)}
    percent = values.get("percent")
    if percent in (None, ""):
        percent = 0
    if leaf and (not isinstance(percent, int) or not 0 <= percent <= 100):
        errors["percent"] = _("Percent done is a whole number from 0 to 100.")
    clean["percent"] = percent
    if errors:
        raise ValidationError(errors)
    return clean


def _check_children_fit(item: ProjectItem, starts_on: datetime.date, due_on: datetime.date) -> None:
    """An item is not narrowed past its cases (they are read under the item's lock: a case changing its dates locks
    its parent too)."""
    span = item.children.aggregate(first=Min("starts_on"), last=Max("due_on"))
    if span["first"] is None:
        return
    errors = {}
    if span["first"] < starts_on:
        errors["starts_on"] = _("Its cases start on %(date)s: the start cannot be later.") % {
            "date": _day(span["first"])}
    if span["last"] > due_on:
        errors["due_on"] = _("Its cases end on %(date)s: the due date cannot be earlier.") % {
            "date": _day(span["last"])}
    if errors:
        raise ValidationError(errors)


def _tell_responsible(acting_user: User, item: ProjectItem) -> None:
    """The new responsible hears of his item on his bell (on commit; never told of what he gave himself)."""
    recipient = item.responsible
    if recipient.pk == acting_user.pk or not recipient.is_active:
        return
    text = _("You are responsible for the %(kind)s «%(title)s» of the project planner, from %(start)s to %(due)s.") % {
        "kind": _kind(item), "title": item.title, "start": _day(item.starts_on), "due": _day(item.due_on)}
    url = reverse("activity:project_item", args=[item.pk])
    transaction.on_commit(
        lambda: notification_send(acting_user=acting_user, recipient=recipient, text=text, url=url, kind="project")
    )


def project_item_create(*, acting_user: User, parent: ProjectItem | None, values: Mapping[str, Any]) -> ProjectItem:
    """A new theme (`parent=None`) or a case under `parent`: title, responsible, dates; optionally description,
    percent, report and «Разрешено делегировать» (set by its giver, the creator)."""
    with transaction.atomic():
        if parent is not None:
            # Its span bounds the case: a concurrent narrowing of it waits for this one.
            parent = locks.items_to_change([parent.pk]).get(parent.pk)
            if parent is None:
                raise Refused(_("This theme or case has been deleted meanwhile."))
            grand = ProjectItem.objects.filter(pk=parent.parent_id).first() if parent.parent_id else None
            if not policies.can_split_item(acting_user, parent, grand):
                raise NotAllowed(_("You may not split «%(title)s» into cases: ask its responsible or an "
                                   "administrator, or have delegation allowed.") % {"title": parent.title})
        elif not acting_user.is_active:
            raise NotAllowed
        clean = _clean(values, parent, leaf=True)
        item = ProjectItem.objects.create(
            parent=parent, created_by=acting_user, **{name: clean[name] for name in ITEM_FIELDS},
        )
        audit_record(
            actor=acting_user, event="activity.project_item.create", target=item,
            summary=(_("Theme added: %(title)s") if parent is None else _("Case added: %(title)s")) % {
                "title": item.title},
            changes=created_changes(item, ITEM_FIELDS), extra={"parent": parent.pk if parent else None},
        )
        _tell_responsible(acting_user, item)
    return item


def _held(item_id: int) -> tuple[ProjectItem, ProjectItem | None]:
    """The item and its parent, locked together (a case never changes its parent, so the parent read before the
    lock is the one locked)."""
    parent_id = ProjectItem.objects.filter(pk=item_id).values_list("parent_id", flat=True).first()
    held = locks.items_to_change([item_id] + ([parent_id] if parent_id else []))
    if item_id not in held:
        raise Refused(_("This theme or case has been deleted meanwhile."))
    return held[item_id], held.get(parent_id) if parent_id else None


def _may_change(user: User, item: ProjectItem, parent: ProjectItem | None, name: str) -> bool:
    if name == "responsible":
        return policies.can_delegate_item(user, item, parent)
    if name == "delegation_allowed":
        return policies.can_allow_delegation(user, item, parent)
    return policies.can_edit_item(user, item)


def project_item_update(
    *, acting_user: User, item_id: int, values: Mapping[str, Any], edit: Edit | None = None,
) -> ProjectItem:
    """Writes `values` (some of ITEM_FIELDS) over the item as kept now; a form gives the fields the user changed
    with its `edit`, checked field by field against what others saved since it was read (core.conflicts). Each
    changed field needs its right (`_may_change`); percent is typed on a leaf only."""
    with transaction.atomic():
        item, parent = _held(item_id)
        if edit is not None:
            conflicts.check([edit], item, target=item)
        leaf = not item.children.exists()
        stored = {name: getattr(item, name) for name in ITEM_FIELDS}
        changed = [name for name in ITEM_FIELDS if name in values and not conflicts.same(values[name], stored[name])]
        if "percent" in changed and not leaf:
            raise ValidationError({"percent": _(
                "The percent of a theme or case with cases is derived from them, weighted by their duration.")})
        refused = [name for name in changed if not _may_change(acting_user, item, parent, name)]
        if refused:
            raise NotAllowed(_("You may not change this in «%(title)s»: %(fields)s.") % {
                "title": item.title,
                "fields": ", ".join(field_label(ProjectItem, name).lower() for name in refused)})
        clean = _clean({**stored, **{name: values[name] for name in changed}}, parent, leaf=leaf,
                       new_responsible="responsible" in changed)
        if "starts_on" in changed or "due_on" in changed:
            _check_children_fit(item, clean["starts_on"], clean["due_on"])
        changes = model_update(item, data={name: clean[name] for name in changed}, fields=ITEM_FIELDS)
        if changes:
            audit_record(
                actor=acting_user, event="activity.project_item.update", target=item, changes=changes,
                summary=_("Project %(kind)s changed: %(title)s") % {"kind": _kind(item), "title": item.title},
            )
        if "responsible" in changed:
            _tell_responsible(acting_user, item)
    return item


def _subtree(item: ProjectItem) -> list[int]:
    """The item's id and those of every case below it (one query per level)."""
    found, level = [item.pk], [item.pk]
    while level:
        level = list(ProjectItem.objects.filter(parent_id__in=level).values_list("pk", flat=True))
        found += level
    return found


def project_item_delete(*, acting_user: User, item_id: int) -> None:
    """Deletes the item, its sub-cases and their closed project tasks; refused while any project task on them is
    not closed."""
    with transaction.atomic():
        item, parent = _held(item_id)
        if not policies.can_delete_item(acting_user, item, parent):
            raise NotAllowed(_("Only whoever gave «%(title)s» or an administrator may delete it.") % {
                "title": item.title})
        ids = _subtree(item)
        open_tasks = Task.objects.filter(case_id__in=ids).exclude(state=Task.State.CLOSED).count()
        if open_tasks:
            raise Refused(_(
                "«%(title)s» and its cases still have tasks that are not closed (%(count)d): close or delete them "
                "first."
            ) % {"title": item.title, "count": open_tasks})
        closed_tasks = Task.objects.filter(case_id__in=ids).count()
        audit_record(
            actor=acting_user, event="activity.project_item.delete", target=item,
            summary=_("Project %(kind)s deleted: %(title)s") % {"kind": _kind(item), "title": item.title},
            changes=deleted_changes(item, ITEM_FIELDS),
            extra={"parent": item.parent_id, "cases": len(ids) - 1, "closed_tasks": closed_tasks},
        )
        item.delete()
