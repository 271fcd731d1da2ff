"""The one base of Kontora's forms: Bootstrap classes on widgets, red fields, domain errors next to their fields."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from kontora.core.errors import DomainError, form_error


def widget_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select form-select-sm"
    return "form-control form-control-sm"


class KontoraFormMixin(forms.BaseForm):
    """Bootstrap classes on every widget and `is-invalid` on fields with errors, so templates stay plain.

    Views hand a service's ValidationError to `apply_error`, the one way a domain error becomes
    a form error.
    """

    # Fields shown with the red star although the form accepts them empty in some cases.
    conditional_required: frozenset[str] = frozenset()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {widget_class(widget)}".strip()

    def full_clean(self) -> None:
        super().full_clean()
        self._mark_invalid()

    def _mark_invalid(self) -> None:
        # Bootstrap draws a field red only when the input itself carries is-invalid.
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                if "is-invalid" not in attrs.get("class", ""):
                    attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["aria-invalid"] = "true"

    def add_errors(self, errors: Mapping[str, Any]) -> None:
        """Errors keyed by field name land next to their fields; names the form does not have, above it."""
        for name, error in errors.items():
            self.add_error(name if name in self.fields else None, error)

    def apply_error(self, exc: ValidationError | DomainError) -> None:
        """A service's error raised after is_valid(): a field's next to the field, the rest above the form
        (core.errors.form_error; a NotAllowed is raised on, for the 403 page)."""
        form_error(self, exc)


class KontoraForm(KontoraFormMixin, forms.Form):
    pass


class KontoraModelForm(KontoraFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    pass
