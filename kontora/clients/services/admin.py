"""Administration → Change curator/specialist (ACL-05): hand every client of one user to another at once.

The manual's case is a dismissal: all clients of the old curator (and of the old specialist) go to the new
one, who works with them at once. Private clients belong to the curator's role, so they move with it and the
new curator becomes the only one who sees them. Each move is one UPDATE; nothing is loaded into memory, and
every moved card gets its history row (CLI-12) from `audit_record_many`, written in batches.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kontora.accounts.models import User
from kontora.clients.models import Client
from kontora.clients.selectors.admin import CuratorChange
from kontora.core.audit import audit_record, audit_record_many, shown
from kontora.core.errors import NotAllowed

HANDED_OVER = "clients.client.hand_over"  # each moved card's history row
HAND_OVER = "clients.hand_over"  # the hand-over itself: who moved how many clients


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
    """Move all clients of `old_curator` to `new_curator` and of `old_specialist` to `new_specialist`.

    Either pair may be left out. Raises ValidationError keyed by the form's field names. Writes one history row
    per moved card and one row of the hand-over itself (who moved how many clients from whom to whom).
    """
    if not acting_user.is_admin:
        raise NotAllowed
    validate_change(old_curator=old_curator, new_curator=new_curator, old_specialist=old_specialist,
                    new_specialist=new_specialist)
    now = timezone.now()
    with transaction.atomic():
        curator_clients = 0
        specialist_clients = 0
        changes = []
        if old_curator is not None:
            moved = Client.objects.filter(curator=old_curator)
            changes.append(_record_moves(moved, acting_user, _("Curator"), old_curator, new_curator))
            curator_clients = moved.update(curator=new_curator, changed_at=now, changed_by=acting_user)
        if old_specialist is not None:
            moved = Client.objects.filter(specialist=old_specialist)
            changes.append(_record_moves(moved, acting_user, _("Specialist"), old_specialist, new_specialist))
            specialist_clients = moved.update(specialist=new_specialist, changed_at=now, changed_by=acting_user)
        audit_record(
            actor=acting_user, event=HAND_OVER, summary=_("Clients handed over (Administration)"),
            changes=changes, extra={"curator_clients": curator_clients, "specialist_clients": specialist_clients},
        )
    return CuratorChange(curator_clients=curator_clients, specialist_clients=specialist_clients)


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
