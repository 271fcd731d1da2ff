"""The Flexi-filter panel's "Save as template" (REG-06, REG-12)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kontora.accounts.models import Role
from kontora.core.forms import KontoraForm
from kontora.core.models import Department


class TemplateSaveForm(KontoraForm):
    """"Save as template": a name and whom to share it with (a role or a department, or nobody)."""

    template_id = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    name = forms.CharField(label=gettext_lazy("Template name"), max_length=200)
    share = forms.ChoiceField(label=gettext_lazy("Share with"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = [(f"department:{d.pk}", str(d)) for d in Department.objects.filter(is_active=True)]
        self.fields["share"].choices = [  # type: ignore[attr-defined]
            ("", _("Nobody (only me)")),
            (_("Role"), [(f"role:{code}", str(label)) for code, label in Role.choices]),
            *([(_("Department"), departments)] if departments else []),
        ]

    def sharing(self) -> tuple[str, Department | None]:
        share = self.cleaned_data.get("share") or ""
        if share.startswith("role:"):
            return share[5:], None
        if share.startswith("department:"):
            return "", Department.objects.filter(pk=int(share[11:])).first()
        return "", None
