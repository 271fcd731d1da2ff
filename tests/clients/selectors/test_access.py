"""The one answer to "may this user see this client" (clients.access) explained for administrators (ACL-06)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from kontora.accounts.models import ClientScope
from kontora.clients.access import explain
from kontora.clients.models import ClientGrant
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory


@pytest.mark.feature("ACL-02", "ACL-06")
def test_explain_names_curator_specialist_and_grants(staff: dict[str, Any]) -> None:
    # given a manager who curates one client, is the specialist of another and has view-only access to a third
    user = UserFactory(login="subject", client_scope=ClientScope.OWN)
    curated = ClientFactory(short_name="Альфа", curator=user)
    specialised = ClientFactory(short_name="Бета", curator=staff["other"], specialist=user)
    granted = ClientFactory(short_name="Гамма", curator=staff["other"])
    ClientGrant.objects.create(client=granted, user=user, can_edit=False)
    disabled = UserFactory(login="off", disabled=True)

    # when the reasons are asked for (the pages run in Russian; so does this check)
    with translation.override("ru"):
        reasons = [explain(user, c)[1:] for c in (curated, specialised, granted)] + [explain(disabled, curated)]

    # then each relation is named
    yes = "Видит клиента в списках: да. Открывает карточку: да."
    assert reasons == [
        ["Пользователь — куратор клиента.", yes],
        ["Пользователь — специалист клиента.", yes],
        ["Доступ выдан на вкладке «Доступ» карточки (только просмотр).", yes],
        ["Учётная запись отключена или сотрудник уволен: доступа нет никакого."],
    ]
