"""Administration → Change curator/specialist (ACL-05): hand every client of one user to another at once.

The manual's case is a dismissal: all clients of the old curator (and of the old specialist) go to the new
one, who works with them at once. Private clients belong to the curator's role, so they move with it and the
new curator becomes the only one who sees them. Each move is one UPDATE; nothing is loaded into memory.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kontora.clients import history
from kontora.clients.models import Client, ClientChange
from kontora.clients.selectors.admin import CuratorChange

audit = logging.getLogger("kontora.audit")


def _check_pair(errors: dict[str, list[str]], old: Any, new: Any, old_field: str, new_field: str) -> None:
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


def validate_change(*, old_curator: Any, new_curator: Any, old_specialist: Any, new_specialist: Any) -> None:
    """The form's check before the preview, and the service's own before it moves anything."""
    errors: dict[str, list[str]] = {}
    _check_pair(errors, old_curator, new_curator, "old_curator", "new_curator")
    _check_pair(errors, old_specialist, new_specialist, "old_specialist", "new_specialist")
    if not errors and old_curator is None and old_specialist is None:
        errors["__all__"] = [_("Choose the old and the new curator, or the old and the new specialist.")]
    if errors:
        raise ValidationError(errors)


def clients_change_curator(
    *, acting_user: Any, old_curator: Any = None, new_curator: Any = None, old_specialist: Any = None,
    new_specialist: Any = None,
) -> CuratorChange:
    """Move all clients of `old_curator` to `new_curator` and of `old_specialist` to `new_specialist`.

    Either pair may be left out. Raises ValidationError keyed by the form's field names.
    """
    if not acting_user.is_admin:
        raise PermissionError("only administrators change curators")
    validate_change(old_curator=old_curator, new_curator=new_curator, old_specialist=old_specialist,
              new_specialist=new_specialist)
    now = timezone.now()
    with transaction.atomic():
        curator_clients = 0
        specialist_clients = 0
        if old_curator is not None:
            moved = Client.objects.filter(curator=old_curator)
            _record_moves(moved, acting_user, _("Curator"), old_curator, new_curator)
            curator_clients = moved.update(curator=new_curator, changed_at=now, changed_by=acting_user)
        if old_specialist is not None:
            moved = Client.objects.filter(specialist=old_specialist)
            _record_moves(moved, acting_user, _("Specialist"), old_specialist, new_specialist)
            specialist_clients = moved.update(specialist=new_specialist, changed_at=now, changed_by=acting_user)
        audit.info(
            "%s changed curators: curator %s → %s (%s clients), specialist %s → %s (%s clients)",
            acting_user.login, getattr(old_curator, "login", "-"), getattr(new_curator, "login", "-"),
            curator_clients, getattr(old_specialist, "login", "-"), getattr(new_specialist, "login", "-"),
            specialist_clients,
        )
    return CuratorChange(curator_clients=curator_clients, specialist_clients=specialist_clients)


def _record_moves(moved: Any, acting_user: Any, field: str, old: Any, new: Any) -> None:
    """One history entry per moved client (CLI-12), written in batches: the ids stream, the cards do not load."""
    action = _("Clients handed over (Administration)")
    details = [{"field": field, "old": history.shown(old), "new": history.shown(new)}]
    batch: list[ClientChange] = []
    for client_id in moved.values_list("pk", flat=True).iterator(chunk_size=2000):
        batch.append(ClientChange(client_id=client_id, user=acting_user, action=action, details=details))
        if len(batch) == 2000:
            ClientChange.objects.bulk_create(batch)
            batch = []
    ClientChange.objects.bulk_create(batch)
