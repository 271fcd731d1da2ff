"""Settings → Parameters → Auto-substitution (ORG-04): a user's default region and city for new records.

The clients feature pre-fills a new client from `auto_substitution_for(user)`; the counterparty and
warehouse defaults join when those features exist.
"""

from __future__ import annotations

import logging
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kontora.core.forms import KontoraForm
from kontora.core.forms.base import widget_class
from kontora.directories.models import AutoSubstitution, Region, Settlement
from kontora.directories.widgets import allow_picker_editing, picker_field

audit = logging.getLogger("kontora.audit")


def auto_substitution_for(user: Any) -> AutoSubstitution | None:
    """The user's auto-substitution values, or None when they never set any."""
    return AutoSubstitution.objects.select_related("region", "settlement").filter(user_id=user.pk).first()


def auto_substitution_save(
    *, acting_user: Any, region_id: int | None, settlement_id: int | None,
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
        values, _created = AutoSubstitution.objects.update_or_create(
            user_id=acting_user.pk, defaults={"region": region, "settlement": settlement},
        )
    audit.info("%s set auto-substitution: region %s, city %s", acting_user.login,
               region.pk if region else "-", settlement.pk if settlement else "-")
    return values


class AutoSubstitutionForm(KontoraForm):
    prefix = "autosubst"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"] = picker_field("regions", label=gettext_lazy("Region"))
        self.fields["settlement"] = picker_field(
            "settlements", label=gettext_lazy("Default city"),
            help_text=gettext_lazy("Choosing a city also sets its region."),
        )
        # The pickers are added after the base form styled its fields (their directories register at app ready).
        for name in ("region", "settlement"):
            widget = self.fields[name].widget
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {widget_class(widget)}".strip()


def parameters_tab_form(user: Any, data: Any) -> AutoSubstitutionForm:
    current = auto_substitution_for(user)
    initial = {"region": current.region_id, "settlement": current.settlement_id} if current else {}
    form = AutoSubstitutionForm(data, initial=initial)
    allow_picker_editing(form, user)
    return form


def parameters_tab_save(user: Any, form: forms.BaseForm) -> None:
    region, settlement = form.cleaned_data.get("region"), form.cleaned_data.get("settlement")
    auto_substitution_save(
        acting_user=user, region_id=region.pk if region else None,
        settlement_id=settlement.pk if settlement else None,
    )
