"""The Sorting tab of Settings → Parameters (REG-03), as core's Parameters page calls it.

`hooks.register()` registers the pair: the page builds the tab's form for the user and, with every tab valid,
saves it through the service in the page's one transaction.
"""

from __future__ import annotations

from typing import Any

from django import forms

from kontora.accounts.models import User
from kontora.clients.forms.sorting import SortingForm
from kontora.clients.selectors.sorting import default_sort
from kontora.clients.services.sorting import registry_preference_set


def parameters_tab_form(user: User, data: Any) -> SortingForm:
    return SortingForm(data, initial={"default_sort": default_sort(user)}, prefix="sorting")


def parameters_tab_save(user: User, form: forms.BaseForm) -> None:
    """The valid form's order, when it changed. A window posted without this tab's field (an older page, a
    script) keeps the saved order; saving the window with the order untouched writes nothing (no audit row for
    every press of OK)."""
    chosen = form.cleaned_data["default_sort"]
    if not chosen or chosen == default_sort(user):
        return
    registry_preference_set(acting_user=user, default_sort=chosen)
