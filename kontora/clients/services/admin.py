"""Administration → Change curator/specialist (ACL-05): hand every client of one user to another at once.

The manual's case is a dismissal: all clients of the old curator (and of the old specialist) go to the new
one, who works with them at once. Private clients are the curator's alone (F1): those of a working curator never
move by an administrator's act, and the acting administrator never becomes their curator; a dismissed employee's
go to another working user, who is notified. Each move is one UPDATE; nothing is loaded into memory, and
every moved card gets its history row (CLI-12) from `audit_record_many`, written in batches.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kontora.accounts import locks as accounts_locks
from kontora.accounts.models import User
from kontora.clients.models import Client
from kontora.clients.selectors import admin as selectors
from kontora.clients.selectors.admin import KEPT_WORKING, CuratorChange
from kontora.core.audit import audit_record, audit_record_many, shown
from kontora.core.errors import NotAllowed
from kontora.core.services.notifications import notification_send

HANDED_OVER = "clients.client.hand_over"  # each moved card's history row
HAND_OVER = selectors.HAND_OVER  # the hand-over itself, about the old user: who moved how many of his clients
CURATOR, SPECIALIST = "curator", "specialist"


def _check_pair(
    errors: dict[str, list[str]], old: User | None, new: User | None, old_field: str, new_field: str,
) -> None:
    if old is None and new is None:
        return
    if old is None:
        errors.setdefault(old_field, []).append(_("Choose whose clients move."))
    if new is None:
        errors.setdefault(new_field, []).append(_("Choose who receives the clients."))
        return
    if old is not None and old.pk == new.pk:
        errors.setdefault(new_field, []).append(_("The new user must differ from the old one."))
    if not new.is_active:
        errors.setdefault(new_field, []).append(
            _("The account of this user is disabled or the employee dismissed: choose a working user.")
        )


def validate_change(
    *, old_curator: User | None, new_curator: User | None, old_specialist: User | None,
    new_specialist: User | None,
) -> None:
    """The form's check before the preview, and the service's own before it moves anything."""
    errors: dict[str, list[str]] = {}
    _check_pair(errors, old_curator, new_curator, "old_curator", "new_curator")
    _check_pair(errors, old_specialist, new_specialist, "old_specialist", "new_specialist")
    if not errors and old_curator is None and old_specialist is None:
        errors["__all__"] = [_("Choose the old and the new curator, or the old and the new specialist.")]
    if errors:
        raise ValidationError(errors)


def clients_change_curator(
    *, acting_user: User, old_curator: User | None = None, new_curator: User | None = None,
    old_specialist: User | None = None, new_specialist: User | None = None,
) -> CuratorChange:
    """Move the clients of `old_curator` to `new_curator` and of `old_specialist` to `new_specialist`.

    Either pair may be left out. Raises ValidationError keyed by the form's field names. Private clients (F1): a
    working curator's stay his, and none goes to the acting user; a dismissed curator's go to the new curator, who
    is notified. Writes one history row per moved card and, per pair, one row of the hand-over itself about the old
    user (who moved how many of his clients to whom, how many private ones moved or stayed): its subject is told
    of it at his next sign-in.
    """
    if not acting_user.is_admin:
        raise NotAllowed
    validate_change(old_curator=old_curator, new_curator=new_curator, old_specialist=old_specialist,
                    new_specialist=new_specialist)
    now = timezone.now()
    result: dict[str, Any] = {}
    with transaction.atomic():
        if old_curator is not None and new_curator is not None:
            # Whether his private clients may move is read under his row's lock: a concurrent change of his card
            # (an employee taken back) waits for the hand-over, or the hand-over for it.
            old_curator = accounts_locks.user(old_curator.pk)
            moving, kept = selectors.curator_moves(acting_user=acting_user, old_curator=old_curator,
                                                   new_curator=new_curator)
            private_moved = moving.filter(is_private=True).count()
            private_kept = kept.count()
            reason = selectors.private_kept_reason(acting_user=acting_user, old_curator=old_curator,
                                                   new_curator=new_curator) if private_kept else ""
            change = _record_moves(moving, acting_user, _("Curator"), old_curator, new_curator)
            moved = moving.update(curator=new_curator, changed_at=now, changed_by=acting_user)
            _record_hand_over(acting_user, CURATOR, old_curator, new_curator, change, moved=moved,
                              private_moved=private_moved, private_kept=private_kept, reason=reason)
            _notify(acting_user, CURATOR, old_curator, new_curator, moved=moved, private_moved=private_moved)
            result.update(curator_clients=moved, private_moved=private_moved, private_kept=private_kept,
                          private_kept_reason=reason)
        if old_specialist is not None and new_specialist is not None:
            moving, kept = selectors.specialist_moves(old_specialist=old_specialist)
            kept_count = kept.count()
            change = _record_moves(moving, acting_user, _("Specialist"), old_specialist, new_specialist)
            moved = moving.update(specialist=new_specialist, changed_at=now, changed_by=acting_user)
            _record_hand_over(acting_user, SPECIALIST, old_specialist, new_specialist, change, moved=moved,
                              private_moved=0, private_kept=kept_count, reason=KEPT_WORKING if kept_count else "")
            _notify(acting_user, SPECIALIST, old_specialist, new_specialist, moved=moved, private_moved=0)
            result.update(specialist_clients=moved, specialist_private_kept=kept_count)
    return CuratorChange(**result)


def _record_moves(
    moved: QuerySet[Client], acting_user: User, field: str, old: User | None, new: User | None,
) -> dict[str, str]:
    """One history row per moved client (CLI-12): the ids stream, the cards do not load. Returns the change."""
    change = {"field": field, "old": shown(old), "new": shown(new)}
    audit_record_many(
        actor=acting_user, event=HANDED_OVER, summary=_("Clients handed over (Administration)"),
        target_type=Client._meta.label_lower, clients=moved.values_list("pk", flat=True).iterator(chunk_size=2000),
        changes=[change], batch=2000,
    )
    return change


def _record_hand_over(
    acting_user: User, role: str, old: User, new: User, change: dict[str, str], *, moved: int, private_moved: int,
    private_kept: int, reason: str,
) -> None:
    """The hand-over of one user's clients, about that user (the subject of the sign-in notice)."""
    audit_record(
        actor=acting_user, event=HAND_OVER, summary=_("Clients handed over (Administration)"), target=old,
        changes=[change], extra={"role": role, "moved": moved, "private_moved": private_moved,
                                 "private_kept": private_kept, "reason": reason, "new_user": new.pk},
    )


def _notify(acting_user: User, role: str, old: User, new: User, *, moved: int, private_moved: int) -> None:
    """The receiver learns of his new clients on his bell (in the same transaction: nothing half-done)."""
    if not moved:
        return
    values = {"admin": shown(acting_user), "old": shown(old), "count": moved}
    if role == CURATOR:
        text = _("%(admin)s handed clients of %(old)s over to you as their curator: %(count)d.") % values
    else:
        text = _("%(admin)s handed clients of %(old)s over to you as their specialist: %(count)d.") % values
    if private_moved:
        text += " " + _("Private among them: %(count)d — now only you see them.") % {"count": private_moved}
    notification_send(acting_user=acting_user, recipient=new, text=text, kind="hand_over")
