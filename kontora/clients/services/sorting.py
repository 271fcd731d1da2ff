"""The user's default order of the client registry (Settings → Parameters → «Sorting», REG-03)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kontora.accounts.models import User
from kontora.clients.models import RegistryPreference
from kontora.clients.selectors.sorting import parse_sort
from kontora.core.audit import audit_record, changes_between, model_update


def registry_preference_set(*, acting_user: User, default_sort: str) -> RegistryPreference:
    """Saves the order the registry opens in at every sign-in; ValidationError for an order not in the list."""
    if parse_sort(default_sort) is None:
        raise ValidationError({"default_sort": _("Choose a sort order from the list.")})
    with transaction.atomic():
        preference, created = RegistryPreference.objects.get_or_create(
            user=acting_user, defaults={"default_sort": default_sort},
        )
        if created:
            changes = changes_between(RegistryPreference, {}, {"default_sort": default_sort}, ["default_sort"])
        else:
            changes = model_update(preference, data={"default_sort": default_sort}, fields=["default_sort"])
        audit_record(actor=acting_user, event="clients.registry_preference.update",
                     summary=_("Default sort order of the client registry changed"), target=preference,
                     changes=changes)
    return preference
