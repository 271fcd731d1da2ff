"""The administrator's client pages' forms: change curator/specialist (ACL-05) and "why does this user see this
client?" (ACL-06)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kontora.accounts.models import User
from kontora.core.forms import KontoraForm


def _users() -> QuerySet[User]:
    return User.objects.order_by("full_name", "id")


def _working_users() -> QuerySet[User]:
    return _users().filter(disabled=False, dismissed=False)


class UserChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        state = []
        if obj.dismissed:
            state.append(gettext("dismissed"))
        elif obj.disabled:
            state.append(gettext("disabled"))
        suffix = f" ({', '.join(state)})" if state else ""
        return f"{obj.full_name} · {obj.login}{suffix}"


class ChangeCuratorForm(KontoraForm):
    old_curator = UserChoiceField(queryset=_users(), required=False, label=_("Old curator"))
    new_curator = UserChoiceField(queryset=_working_users(), required=False, label=_("New curator"))
    old_specialist = UserChoiceField(queryset=_users(), required=False, label=_("Old specialist"))
    new_specialist = UserChoiceField(queryset=_working_users(), required=False, label=_("New specialist"))


class ExplainForm(KontoraForm):
    user = UserChoiceField(queryset=_users(), label=_("User"))
    code = forms.IntegerField(label=_("Client code"), min_value=1)
