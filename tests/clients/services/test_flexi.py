"""Saving and deleting filter templates (REG-06, REG-12): the owner's own templates, never the static ones nor
another user's; every save and delete leaves its audit row."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import override

from kontora.clients.flexi import services
from kontora.clients.flexi.selectors import templates
from kontora.clients.models import FilterTemplate
from kontora.core.errors import NotAllowed
from kontora.core.models import AuditEvent
from tests.clients.factories import client_named
from tests.clients.support import FLAGGED_SPEC, filtered_names


@pytest.mark.feature("REG-06")
def test_static_templates_cannot_be_saved_over_renamed_or_deleted(colleagues: Any) -> None:
    first, _second, _boss = colleagues
    with override("ru"):
        with pytest.raises(ValidationError) as caught:
            services.template_save(acting_user=first, name="Мои клиенты v2", spec=FLAGGED_SPEC, template_id="static:my")
        assert caught.value.messages == ["Статические шаблоны нельзя изменить или удалить."]
        with pytest.raises(ValidationError) as caught:
            services.template_delete(acting_user=first, template_id="static:my_hot")
        assert caught.value.messages == ["Статические шаблоны нельзя изменить или удалить."]
        with pytest.raises(ValidationError) as caught:
            services.template_save(acting_user=first, name="мои  КЛИЕНТЫ", spec=FLAGGED_SPEC)
        assert caught.value.message_dict == {"name": ["Это название статического шаблона: выберите другое."]}
    assert not FilterTemplate.objects.exists()


# --- user templates ---------------------------------------------------------------------------------------


@pytest.mark.feature("REG-06")
def test_owner_saves_renames_overwrites_and_deletes_a_template(colleagues: Any) -> None:
    # given
    first, _second, _boss = colleagues
    client_named("Флажок", flagged=True)
    client_named("Без флага")
    # when
    saved = services.template_save(acting_user=first, name="  С флагом ", spec=FLAGGED_SPEC)
    # then
    assert (saved.name, saved.owner_id, saved.spec) == ("С флагом", first.pk, FLAGGED_SPEC)
    assert filtered_names(first, templates.template_spec(first, f"user:{saved.pk}")) == ["Флажок"]
    # when: renamed and given another filter
    other = {"op": "and", "items": [{"field": "flagged", "operator": "is_false", "value": None}]}
    renamed = services.template_save(acting_user=first, name="Без флагов", spec=other, template_id=saved.pk)
    # then
    assert renamed.pk == saved.pk and FilterTemplate.objects.count() == 1
    assert filtered_names(first, templates.template_spec(first, f"user:{saved.pk}")) == ["Без флага"]
    # when
    services.template_delete(acting_user=first, template_id=f"user:{saved.pk}")
    # then
    assert not FilterTemplate.objects.exists()


@pytest.mark.feature("REG-06")
def test_bad_name_and_bad_filter_are_refused_field_by_field(colleagues: Any) -> None:
    first, second, _boss = colleagues
    services.template_save(acting_user=first, name="Горячие", spec=FLAGGED_SPEC)
    # another owner: the same name is fine
    services.template_save(acting_user=second, name="Горячие", spec=FLAGGED_SPEC)
    with override("ru"), pytest.raises(ValidationError) as caught:
        services.template_save(
            acting_user=first, name="горячие", shared_role="emperor", shared_department=999999,
            spec={"op": "and", "items": [{"field": "salary", "operator": "gt", "value": 1}]},
        )
    assert caught.value.message_dict == {
        "name": ["У вас уже есть шаблон с таким названием."],
        "shared_role": ["Выберите роль из списка."],
        "shared_department": ["Выберите отдел из списка."],
        "spec": ["Неизвестное поле фильтра «salary»."],
    }
    with override("ru"), pytest.raises(ValidationError) as caught:
        services.template_save(acting_user=first, name=" ", spec=FLAGGED_SPEC)
    assert caught.value.message_dict == {"name": ["Введите название шаблона."]}
    assert FilterTemplate.objects.count() == 2


@pytest.mark.feature("REG-12")
def test_a_template_shared_with_a_role_is_seen_by_that_role_only_and_changed_by_its_owner_only(
    colleagues: Any,
) -> None:
    # given
    first, second, boss = colleagues
    saved = services.template_save(acting_user=first, name="Для менеджеров", spec=FLAGGED_SPEC, shared_role="manager")
    ref = f"user:{saved.pk}"
    # then: another manager sees and applies it, the supervisor does not even learn it exists
    assert [t.name for t in templates.templates_for(second) if not t.static] == ["Для менеджеров"]
    assert templates.template_ref(second, ref).editable is False
    assert templates.template_spec(second, ref) == FLAGGED_SPEC
    assert [t.name for t in templates.templates_for(boss) if not t.static] == []
    with pytest.raises(Http404):
        templates.template_spec(boss, ref)
    # and only the owner changes or deletes it
    with pytest.raises(PermissionDenied):
        services.template_save(acting_user=second, name="Моё", spec=FLAGGED_SPEC, template_id=saved.pk)
    with pytest.raises(PermissionDenied):
        services.template_delete(acting_user=second, template_id=saved.pk)
    with pytest.raises(NotAllowed):  # the views answer "not found" before (tests/clients/views/test_flexi.py)
        services.template_delete(acting_user=boss, template_id=saved.pk)
    assert FilterTemplate.objects.get().name == "Для менеджеров"


# --- the audit ----------------------------------------------------------------------------------------------


@pytest.mark.feature("REG-06")
def test_every_save_and_delete_leaves_an_audit_row(colleagues: Any) -> None:
    # given
    first, _second, _boss = colleagues
    # when
    saved = services.template_save(acting_user=first, name="С флагом", spec=FLAGGED_SPEC)
    services.template_save(acting_user=first, name="С флагом v2", spec=FLAGGED_SPEC, template_id=saved.pk)
    services.template_delete(acting_user=first, template_id=saved.pk)
    # then
    rows = list(AuditEvent.objects.order_by("id"))
    assert [(row.event, row.summary) for row in rows] == [
        ("clients.filter_template.create", "Создан шаблон фильтра"),
        ("clients.filter_template.update", "Изменён шаблон фильтра"),
        ("clients.filter_template.delete", "Удалён шаблон фильтра"),
    ]
    assert {(row.actor, row.target_type, row.target_id) for row in rows} == {
        (first, "clients.filtertemplate", saved.pk)}
    assert rows[1].changes == [{"field": "Наименование", "old": "С флагом", "new": "С флагом v2"}]
    assert rows[2].extra == {"name": "С флагом v2"}


@pytest.mark.feature("REG-06")
def test_a_refused_save_or_delete_leaves_no_audit_row(colleagues: Any) -> None:
    # given
    first, second, _boss = colleagues
    saved = services.template_save(acting_user=first, name="С флагом", spec=FLAGGED_SPEC)
    # when
    with pytest.raises(NotAllowed):
        services.template_delete(acting_user=second, template_id=saved.pk)
    with pytest.raises(ValidationError):
        services.template_save(acting_user=first, name="", spec=FLAGGED_SPEC, template_id=saved.pk)
    # then
    assert list(AuditEvent.objects.values_list("event", flat=True)) == ["clients.filter_template.create"]


@pytest.mark.feature("REG-06")
@pytest.mark.django_db(transaction=True)
def test_a_save_whose_outer_transaction_rolls_back_leaves_no_audit_row(colleagues: Any) -> None:
    # given
    first, _second, _boss = colleagues
    # when the caller's transaction fails after the template was saved
    with pytest.raises(RuntimeError), transaction.atomic():
        services.template_save(acting_user=first, name="С флагом", spec=FLAGGED_SPEC)
        raise RuntimeError("the caller failed")
    # then neither the template nor its audit row stays
    assert not FilterTemplate.objects.exists()
    assert not AuditEvent.objects.exists()
