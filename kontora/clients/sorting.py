"""The registry's sort orders and the user's default one (Settings → Parameters → «Sorting», REG-02, REG-03).

A sort is a column code, "-" in front for descending. Each column seeks on its own index ending with id,
so every page is an index range scan whatever the order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kontora.core.forms import KontoraForm


@dataclass(frozen=True)
class SortSpec:
    label: str | Promise
    keys: tuple[str, ...]
    nullable: frozenset[str] = frozenset()


SORTS: dict[str, SortSpec] = {
    "code": SortSpec(_("Code"), ("code",)),
    "name": SortSpec(_("Name"), ("name_key", "id")),
    "city": SortSpec(_("City"), ("city_key", "id")),
    "curator": SortSpec(_("Curator"), ("curator_id", "name_key", "id"), frozenset({"curator_id"})),
    "status": SortSpec(_("Status"), ("status_id", "id"), frozenset({"status_id"})),
    "changed": SortSpec(_("Changed"), ("changed_at", "id")),
}
DEFAULT_SORT = "name"
SESSION_KEY = "clients_registry_sort"


def parse_sort(sort: str | None) -> tuple[str, bool] | None:
    """("name", False) for "name", ("name", True) for "-name"; None for anything else."""
    if not sort:
        return None
    descending = sort.startswith("-")
    column = sort[1:] if descending else sort
    return (column, descending) if column in SORTS else None


def sort_choices() -> list[tuple[str, str]]:
    choices: list[tuple[str, str]] = []
    for code, spec in SORTS.items():
        choices.append((code, f"{spec.label} ({_('ascending')})"))
        choices.append((f"-{code}", f"{spec.label} ({_('descending')})"))
    return choices


def session_sort(session: Any, default: str) -> str:
    """The temporary sort of this session; a new default (saved since) wins over it at once."""
    stored = session.get(SESSION_KEY)
    if isinstance(stored, dict) and stored.get("default") == default and parse_sort(stored.get("sort")):
        return str(stored["sort"])
    return default


def remember_session_sort(session: Any, sort: str, default: str) -> None:
    session[SESSION_KEY] = {"sort": sort, "default": default}


def registry_preference_set(*, acting_user: Any, default_sort: str) -> None:
    from kontora.clients.models import RegistryPreference

    if parse_sort(default_sort) is None:
        raise forms.ValidationError({"default_sort": _("Choose a sort order from the list.")})
    with transaction.atomic():
        RegistryPreference.objects.update_or_create(user=acting_user, defaults={"default_sort": default_sort})


class SortingForm(KontoraForm):
    default_sort = forms.ChoiceField(
        label=_("Sort the client registry by"), choices=sort_choices, required=False,
        help_text=_("Applied at every sign-in; a sort chosen by clicking a column lasts until you sign out."),
    )


def parameters_tab_form(user: Any, data: Any) -> forms.BaseForm:
    from kontora.clients.selectors.registry import default_sort

    return SortingForm(data, initial={"default_sort": default_sort(user)}, prefix="sorting")


def parameters_tab_save(user: Any, form: forms.BaseForm) -> None:
    # A window posted without this tab's field (an older page, a script) keeps the saved order.
    if not form.cleaned_data["default_sort"]:
        return
    registry_preference_set(acting_user=user, default_sort=form.cleaned_data["default_sort"])
