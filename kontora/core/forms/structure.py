"""Forms of Administration → Enterprise: structure: a department's card and a position's."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from kontora.core.forms.base import KontoraForm
from kontora.core.selectors import structure as selectors


class DepartmentForm(KontoraForm):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    order = forms.IntegerField(label=gettext_lazy("Order"), min_value=0, initial=0)
    is_active = forms.BooleanField(label=gettext_lazy("Active (offered for choice)"), required=False, initial=True)


class PositionForm(DepartmentForm):
    department = forms.ModelChoiceField(
        label=gettext_lazy("Department"), queryset=selectors.department_list(), empty_label=None,
    )

    field_order = ["department", "name", "order", "is_active"]
