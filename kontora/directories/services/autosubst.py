"""Settings → Parameters → Auto-substitution (ORG-04): a user's default region and city for new records."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kontora.accounts.models import User
from kontora.core.audit import audit_record, changes_between, snapshot
from kontora.directories.models import AutoSubstitution, Region, Settlement

FIELDS = ("region", "settlement")


def auto_substitution_save(
    *, acting_user: User, region_id: int | None, settlement_id: int | None,
) -> AutoSubstitution:
    """Sets the acting user's own defaults; the city, when given, decides the region."""
    with transaction.atomic():
        region = Region.objects.filter(pk=region_id).first() if region_id else None
        if region_id and region is None:
            raise ValidationError({"region": _("Choose a region from the directory.")})
        settlement = Settlement.objects.filter(pk=settlement_id).first() if settlement_id else None
        if settlement_id and settlement is None:
            raise ValidationError({"settlement": _("Choose a city from the directory.")})
        if settlement is not None:
            if region is not None and settlement.region_id != region.pk:
                raise ValidationError({"settlement": _("This city is in another region.")})
            region = settlement.region
        current = AutoSubstitution.objects.filter(user_id=acting_user.pk).select_related(*FIELDS).first()
        before = snapshot(current, FIELDS) if current is not None else {}
        values, _created = AutoSubstitution.objects.update_or_create(
            user_id=acting_user.pk, defaults={"region": region, "settlement": settlement},
        )
        audit_record(
            actor=acting_user, event="directories.auto_substitution.update", summary=_("Auto-substitution changed"),
            target=values, changes=changes_between(AutoSubstitution, before, snapshot(values, FIELDS), FIELDS),
        )
    return values
