"""The clients picker inside a form (ACL-01, ACL-03): a submitted id is accepted only for a client the user sees,
and a picker not scoped to a user accepts nothing. (The URLs by which clients leave the server are walked by the
crawler of the access matrix, test_access_matrix.py.)"""

from __future__ import annotations

from typing import Any

import pytest
from django import forms

from kontora.accounts.models import ClientScope
from kontora.clients.models import Client
from kontora.directories.forms.widgets import picker_field, scope_pickers
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory


class PickForm(forms.Form):
    client = picker_field("clients", required=True)


@pytest.mark.feature("ACL-01", "ACL-03")
def test_a_clients_picker_in_a_form_refuses_clients_the_user_does_not_see(manager_user: Any) -> None:
    # given a manager in the "own" mode, his client, a foreign client and another curator's private client
    other = UserFactory(login="other", client_scope=ClientScope.FULL)
    own = ClientFactory(short_name="Свой", curator=manager_user)
    foreign = ClientFactory(short_name="Чужой", curator=other)
    private = ClientFactory(short_name="Тайный", curator=other, private=True)

    def submit(client: Client, user: Any) -> PickForm:
        form = PickForm({"client": client.pk})
        scope_pickers(form, user)
        form.is_valid()
        return form

    # when he submits each id through a form with a clients picker
    # then only his own client is accepted; the others are refused like ids that do not exist
    assert submit(own, manager_user).cleaned_data["client"] == own
    for hidden in (foreign, private):
        form = submit(hidden, manager_user)
        assert form.errors["client"] == ["Выберите корректный вариант. Вашего варианта нет среди допустимых значений."]
    # and even the private client's curator's colleagues in the "full" mode do not get it, its curator does
    assert not submit(private, UserFactory(login="boss", client_scope=ClientScope.FULL)).is_valid()
    assert submit(private, other).is_valid()


@pytest.mark.feature("ACL-03")
def test_a_clients_picker_not_scoped_to_a_user_accepts_nothing(admin_user: Any) -> None:
    # given a client the administrator sees
    client = ClientFactory(short_name="Открытый", curator=admin_user)

    # when a form with a clients picker is validated without being scoped to a user
    form = PickForm({"client": client.pk})

    # then it fails closed
    assert not form.is_valid()
    scope_pickers(form, admin_user)
    form = PickForm({"client": client.pk})
    scope_pickers(form, admin_user)
    assert form.is_valid()
