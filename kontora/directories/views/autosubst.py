"""The Auto-substitution tab of Settings → Parameters (ORG-04), as core's Parameters page calls it.

`hooks.register()` registers the pair: the page builds the tab's form for the user and, with every tab valid,
saves it through the service in the page's one transaction.
"""

from __future__ import annotations

from typing import Any

from django import forms

from kontora.accounts.models import User
from kontora.directories.forms.autosubst import AutoSubstitutionForm
from kontora.directories.forms.widgets import allow_picker_editing
from kontora.directories.selectors.autosubst import auto_substitution_for
from kontora.directories.services.autosubst import auto_substitution_save


def parameters_tab_form(user: User, data: Any) -> AutoSubstitutionForm:
    current = auto_substitution_for(user)
    initial = {"region": current.region_id, "settlement": current.settlement_id} if current else {}
    form = AutoSubstitutionForm(data, initial=initial)
    allow_picker_editing(form, user)
    return form


def parameters_tab_save(user: User, form: forms.BaseForm) -> None:
    region, settlement = form.cleaned_data.get("region"), form.cleaned_data.get("settlement")
    auto_substitution_save(
        acting_user=user, region_id=region.pk if region else None,
        settlement_id=settlement.pk if settlement else None,
    )
