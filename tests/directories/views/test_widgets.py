"""The directory picker as forms draw it (DIR-07): old inactive values, the edit buttons by right."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms

from kontora.directories.forms.widgets import allow_picker_editing, picker_field
from tests.directories.factories import PriorityFactory


@pytest.mark.feature("DIR-07")
def test_widget_still_renders_an_old_inactive_value(db: Any) -> None:
    # given: a record whose value has since been made inactive
    old = PriorityFactory(name="Устаревший", is_active=False)

    class Form(forms.Form):
        priority = picker_field("priorities", label="Приоритет")

    # when
    rendered = str(Form(initial={"priority": old.pk})["priority"])

    # then
    assert f'value="{old.pk}"' in rendered
    assert 'value="Устаревший"' in rendered
    assert "data-picker-inactive" in rendered
    assert "<select" not in rendered


@pytest.mark.feature("DIR-07")
def test_field_accepts_an_inactive_value_only_when_it_is_the_records_own(db: Any) -> None:
    # given
    old = PriorityFactory(name="Прежний", is_active=False)

    class Form(forms.Form):
        priority = picker_field("priorities", label="Приоритет")

    # when
    kept = Form({"priority": str(old.pk)}, initial={"priority": old.pk})
    crafted = Form({"priority": str(old.pk)})

    # then
    assert kept.is_valid()
    assert kept.cleaned_data["priority"] == old
    assert not crafted.is_valid()
    assert crafted.errors["priority"] == ["Элемент не действует — выберите другой."]


@pytest.mark.feature("DIR-07")
def test_picker_editing_buttons_follow_the_edit_right(admin_user: Any, manager_user: Any) -> None:
    # given
    class Form(forms.Form):
        unit = picker_field("units", label="Единица")

    for_admin, for_manager = Form(), Form()

    # when
    allow_picker_editing(for_admin, admin_user)
    allow_picker_editing(for_manager, manager_user)

    # then
    assert "data-picker-add" in str(for_admin["unit"])
    assert "data-picker-add" not in str(for_manager["unit"])
    assert "data-picker-edit" not in str(for_manager["unit"])


@pytest.mark.feature("DIR-07")
@pytest.mark.parametrize("language", ["ru", "en"])
def test_the_picker_drawn_in_python_is_the_markup_of_its_template(admin_user: Any, language: str) -> None:
    # given a chosen item (with markup in its name), an inactive one, none; with the edit buttons and without
    from django.forms.renderers import DjangoTemplates
    from django.utils import translation

    from kontora.directories.forms.widgets import PickerWidget

    chosen = PriorityFactory(name='Срочно <b>&"</b>')
    inactive = PriorityFactory(name="Старый", is_active=False)

    class Form(forms.Form):
        priority = picker_field("priorities", label="Приоритет")

    with translation.override(language):
        for value, editing in ((chosen, True), (inactive, False), (None, True), (None, False)):
            form = Form(initial={"priority": value})
            if editing:
                allow_picker_editing(form, admin_user)
            field = form["priority"]
            widget = field.field.widget
            assert isinstance(widget, PickerWidget)
            context = widget.get_context(field.html_name, field.value(), {"id": field.auto_id})
            # when it is drawn in Python and by its template
            drawn = str(field)
            expected = DjangoTemplates().render(widget.template_name, context)
            # then the markup is the same
            assert drawn == expected
