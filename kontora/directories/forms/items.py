"""The card form of any directory, built from its declaration: its fields in order, then "active"."""

from __future__ import annotations

from functools import cache
from typing import Any

from django import forms
from django.db import models
from django.forms.models import modelform_factory
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from kontora.core.forms.base import KontoraModelForm
from kontora.directories.forms.widgets import picker_field
from kontora.directories.hooks import Directory
from kontora.directories.selectors import registry


def _formfield(field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    # A reference to another directory is chosen with its picker, never a <select> of all its items.
    if isinstance(field, models.ForeignKey):
        try:
            target = registry.for_model(field.related_model)  # type: ignore[arg-type]
        except KeyError:
            pass
        else:
            return picker_field(target.key, required=not field.blank, label=capfirst(field.verbose_name))
    return field.formfield(**kwargs)  # type: ignore[no-any-return]


@cache
def _form_class(directory: Directory) -> type[KontoraModelForm]:
    return modelform_factory(  # type: ignore[return-value]
        directory.model, form=KontoraModelForm, fields=list(directory.card_fields), formfield_callback=_formfield,
    )


def directory_form(directory: Directory, *args: Any, **kwargs: Any) -> KontoraModelForm:
    """A bound or unbound card form of `directory` (pass `instance=` to edit an item)."""
    form = _form_class(directory)(*args, **kwargs)
    if "is_active" in form.fields:
        form.fields["is_active"].help_text = _(
            "An inactive item is not offered for new records but stays on the records that have it.")
    return form
