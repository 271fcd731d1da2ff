"""Administration over client access: change curator/specialist (ACL-05) and "why does a user see a client" (ACL-06)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from kontora.accounts.models import ClientScope
from kontora.clients.access import explain
from kontora.clients.models import Client, ClientGrant
from kontora.clients.services import admin as services_admin
from kontora.core.text import search_key
from tests.accounts.factories import UserFactory
from tests.support.http import signed_in

CHANGE = "/administration/change-curator/"
EXPLAIN = "/administration/why-visible/"


def _client(code: int, name: str, *, curator: Any = None, specialist: Any = None, private: bool = False) -> Client:
    return Client.objects.create(
        code=code, full_name=name, short_name=name, name_key=search_key(name), full_name_key=search_key(name),
        curator=curator, specialist=specialist, is_private=private,
    )


def _panel(page: str) -> str:
    """The page's own panel, without the per-request CSRF token and menu of the surrounding layout."""
    start = page.index('data-testid="explain-access"')
    return page[start:page.index("</main>", start)]


@pytest.fixture
def staff(db: Any) -> dict[str, Any]:
    return {
        "leaving": UserFactory(login="leaving", full_name="Уходящий Куратор"),
        "coming": UserFactory(login="coming", full_name="Новый Куратор"),
        "spec_old": UserFactory(login="specold", full_name="Старый Специалист"),
        "spec_new": UserFactory(login="specnew", full_name="Новый Специалист"),
        "other": UserFactory(login="other", full_name="Другой Менеджер"),
    }


@pytest.mark.feature("ACL-05")
def test_change_moves_every_client_of_the_old_curator_and_specialist_and_nothing_else(
    admin_client: Any, admin_user: Any, staff: dict[str, Any]
) -> None:
    # given clients of the leaving curator (one private), of the old specialist, and of someone else
    s = staff
    ordinary = _client(1, "Альфа", curator=s["leaving"])
    private = _client(2, "Бета", curator=s["leaving"], private=True)
    specialised = _client(3, "Гамма", curator=s["other"], specialist=s["spec_old"])
    untouched = _client(4, "Дельта", curator=s["other"], specialist=s["spec_new"])

    # when the administrator confirms the change of both pairs
    response = admin_client.post(CHANGE, {
        "old_curator": s["leaving"].pk, "new_curator": s["coming"].pk,
        "old_specialist": s["spec_old"].pk, "new_specialist": s["spec_new"].pk, "confirm": "1",
    }, follow=True)

    # then both clients of the curator (the private one too) and the specialist's client moved, nothing else
    page = response.content.decode()
    assert "Клиенты переданы: куратор сменён у 2, специалист сменён у 1." in page
    for client in (ordinary, private, specialised, untouched):
        client.refresh_from_db()
    assert (ordinary.curator, private.curator, private.is_private) == (s["coming"], s["coming"], True)
    assert (specialised.curator, specialised.specialist) == (s["other"], s["spec_new"])
    assert (untouched.curator, untouched.specialist) == (s["other"], s["spec_new"])
    assert ordinary.changed_by == admin_user
    # and the page offers to close the system to the old users
    assert f'href="/administration/users/{s["leaving"].pk}/"' in page
    assert "Отключить учётную запись и отметить увольнение: Уходящий Куратор" in page
    assert "Отключить учётную запись и отметить увольнение: Старый Специалист" in page


@pytest.mark.feature("ACL-05")
def test_the_preview_counts_the_clients_and_warns_that_private_ones_move_too(
    admin_client: Any, staff: dict[str, Any]
) -> None:
    # given three clients of the leaving curator, one of them private
    s = staff
    _client(1, "Альфа", curator=s["leaving"])
    _client(2, "Бета", curator=s["leaving"])
    _client(3, "Вега", curator=s["leaving"], private=True)

    # when the administrator asks for the count
    response = admin_client.post(CHANGE, {
        "old_curator": s["leaving"].pk, "new_curator": s["coming"].pk, "preview": "1",
    })

    # then the count includes the private client, names none, and nothing moved yet
    page = response.content.decode()
    assert "3 клиента перейдут от куратора Уходящий Куратор к Новый Куратор." in page
    assert ("Приватные клиенты старого куратора тоже передаются: новый куратор становится их куратором "
            "и единственным, кто их видит.") in page
    assert "Вега" not in page
    assert Client.objects.filter(curator=s["leaving"]).count() == 3


@pytest.mark.feature("ACL-05")
def test_the_change_refuses_a_half_filled_pair_the_same_user_and_an_empty_form(
    admin_client: Any, staff: dict[str, Any]
) -> None:
    s = staff
    # when the new curator is missing, or equals the old one, or nothing is chosen
    half = admin_client.post(CHANGE, {"old_curator": s["leaving"].pk, "preview": "1"}).content.decode()
    same = admin_client.post(CHANGE, {
        "old_specialist": s["spec_old"].pk, "new_specialist": s["spec_old"].pk, "preview": "1",
    }).content.decode()
    empty = admin_client.post(CHANGE, {"confirm": "1"}).content.decode()

    # then each error stands next to its field
    assert "Укажите, кому передаются клиенты." in half
    assert "Новый пользователь должен отличаться от старого." in same
    assert "Укажите старого и нового куратора или старого и нового специалиста." in empty


@pytest.mark.feature("ACL-05")
def test_the_service_refuses_a_dismissed_receiver_and_a_non_administrator(
    admin_user: Any, staff: dict[str, Any]
) -> None:
    # given a dismissed employee and a client of the leaving curator
    gone = UserFactory(login="gone", dismissed=True)
    client = _client(1, "Альфа", curator=staff["leaving"])

    # when the clients are handed to the dismissed employee, or a manager tries the change
    with pytest.raises(ValidationError) as refused:
        services_admin.clients_change_curator(acting_user=admin_user, old_curator=staff["leaving"], new_curator=gone)
    with pytest.raises(PermissionError):
        services_admin.clients_change_curator(
            acting_user=staff["other"], old_curator=staff["leaving"], new_curator=staff["coming"]
        )

    # then nothing moved
    assert refused.value.message_dict["new_curator"] == [
        "Учётная запись этого пользователя отключена или сотрудник уволен: выберите работающего пользователя."
    ]
    client.refresh_from_db()
    assert client.curator == staff["leaving"]


@pytest.mark.feature("ACL-05", "ACL-06")
def test_non_administrators_get_403_and_anonymous_the_login_page(
    manager_client: Any, supervisor_user: Any, client: Any
) -> None:
    # given a manager, a supervisor and an anonymous visitor
    supervisor = signed_in(supervisor_user)

    # when each opens both administration pages
    statuses = [http.get(path).status_code for http in (manager_client, supervisor) for path in (CHANGE, EXPLAIN)]
    anonymous = client.get(CHANGE)

    # then the staff are refused and the visitor is sent to sign in
    assert statuses == [403, 403, 403, 403]
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/")


@pytest.mark.feature("ACL-05", "ACL-06")
def test_the_administration_menu_offers_both_pages_to_administrators_only(
    admin_client: Any, manager_client: Any
) -> None:
    # when an administrator and a manager open the main window
    admin_page = admin_client.get("/").content.decode()
    manager_page = manager_client.get("/").content.decode()

    # then only the administrator's menu has the items
    for label, url in (("Смена куратора/специалиста", CHANGE), ("Почему пользователь видит клиента", EXPLAIN)):
        assert label in admin_page and f'href="{url}"' in admin_page
        assert label not in manager_page


@pytest.mark.feature("ACL-06")
@pytest.mark.parametrize(("mode", "mode_text", "seen"), [
    (ClientScope.OWN, "Видит и работает только со своими клиентами",
     "Видит клиента в списках: нет. Открывает карточку: нет."),
    (ClientScope.LIST_ALL, "Видит список всех клиентов, входить может только в карточки своих",
     "Видит клиента в списках: да. Открывает карточку: нет."),
    (ClientScope.OPEN_ALL, "Входит в карточки всех клиентов, редактирует всё, кроме основных данных чужих",
     "Видит клиента в списках: да. Открывает карточку: да."),
    (ClientScope.FULL, "Видит всех клиентов и работает со всеми",
     "Видит клиента в списках: да. Открывает карточку: да."),
])
def test_the_page_explains_a_foreign_client_in_each_working_mode(
    admin_client: Any, staff: dict[str, Any], mode: str, mode_text: str, seen: str
) -> None:
    # given a manager in the working mode and a client of someone else
    user = UserFactory(login="subject", full_name="Проверяемый Сотрудник", client_scope=mode)
    _client(77, "Омега", curator=staff["other"])

    # when the administrator asks why
    page = admin_client.get(EXPLAIN, {"user": user.pk, "code": 77}).content.decode()

    # then the page names the mode and the outcome
    assert f"<li>Режим работы: {mode_text}.</li>" in page
    assert f"<li>{seen}</li>" in page


@pytest.mark.feature("ACL-02", "ACL-06")
def test_explain_names_curator_specialist_and_grants(staff: dict[str, Any]) -> None:
    # given a manager who curates one client, is the specialist of another and has view-only access to a third
    user = UserFactory(login="subject", client_scope=ClientScope.OWN)
    curated = _client(1, "Альфа", curator=user)
    specialised = _client(2, "Бета", curator=staff["other"], specialist=user)
    granted = _client(3, "Гамма", curator=staff["other"])
    ClientGrant.objects.create(client=granted, user=user, can_edit=False)
    disabled = UserFactory(login="off", disabled=True)

    # when the reasons are asked for (the pages run in Russian; so does this check)
    from django.utils import translation
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


@pytest.mark.feature("ACL-03", "ACL-06")
def test_another_curators_private_client_is_as_unknown_as_a_missing_code(
    admin_client: Any, admin_user: Any, staff: dict[str, Any]
) -> None:
    # given a private client of a manager and the administrator's own private client
    _client(5, "Секрет", curator=staff["other"], private=True)
    _client(6, "Мой секрет", curator=admin_user, private=True)

    # when the administrator asks about the manager's private client, a missing code and his own private client
    foreign = admin_client.get(EXPLAIN, {"user": staff["other"].pk, "code": 5}).content.decode()
    missing = admin_client.get(EXPLAIN, {"user": staff["other"].pk, "code": 9999}).content.decode()
    own = admin_client.get(EXPLAIN, {"user": staff["other"].pk, "code": 6}).content.decode()

    # then the first two read the same and reveal nothing; his own client is explained
    assert "Доступного вам клиента с таким кодом нет." in foreign
    assert "Секрет" not in foreign
    assert _panel(foreign).replace('name="code" value="5"', "") == _panel(missing).replace(
        'name="code" value="9999"', "")
    assert 'data-testid="explanation"' not in foreign
    assert "Клиент приватный: его видит только куратор, даже администраторы не видят." in own
