"""Administration over client access: change curator/specialist (ACL-05) and "why does a user see a client" (ACL-06)."""

from __future__ import annotations

from typing import Any

import pytest

from kontora.accounts.models import ClientScope
from kontora.clients.models import Client
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.support.http import signed_in

CHANGE = "/administration/change-curator/"
EXPLAIN = "/administration/why-visible/"


def _panel(page: str) -> str:
    """The page's own panel, without the per-request CSRF token and menu of the surrounding layout."""
    start = page.index('data-testid="explain-access"')
    return page[start:page.index("</main>", start)]


@pytest.mark.feature("ACL-05")
def test_change_moves_every_client_of_the_old_curator_and_specialist_and_nothing_else(
    admin_client: Any, admin_user: Any, staff: dict[str, Any]
) -> None:
    # given clients of the leaving curator (one private), of the old specialist, and of someone else
    s = staff
    ordinary = ClientFactory(short_name="Альфа", curator=s["leaving"])
    private = ClientFactory(short_name="Бета", curator=s["leaving"], private=True)
    specialised = ClientFactory(short_name="Гамма", curator=s["other"], specialist=s["spec_old"])
    untouched = ClientFactory(short_name="Дельта", curator=s["other"], specialist=s["spec_new"])

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
    ClientFactory(short_name="Альфа", curator=s["leaving"])
    ClientFactory(short_name="Бета", curator=s["leaving"])
    ClientFactory(short_name="Вега", curator=s["leaving"], private=True)

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
    ClientFactory(code=77, short_name="Омега", curator=staff["other"])

    # when the administrator asks why
    page = admin_client.get(EXPLAIN, {"user": user.pk, "code": 77}).content.decode()

    # then the page names the mode and the outcome
    assert f"<li>Режим работы: {mode_text}.</li>" in page
    assert f"<li>{seen}</li>" in page


@pytest.mark.feature("ACL-03", "ACL-06")
def test_another_curators_private_client_is_as_unknown_as_a_missing_code(
    admin_client: Any, admin_user: Any, staff: dict[str, Any]
) -> None:
    # given a private client of a manager and the administrator's own private client
    ClientFactory(code=5, short_name="Секрет", curator=staff["other"], private=True)
    ClientFactory(code=6, short_name="Мой секрет", curator=admin_user, private=True)

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
