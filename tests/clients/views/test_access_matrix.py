"""The access matrix (ACL-01 … ACL-03): roles × working modes × the user's relation to a client × every exit
that exists now, each allowed or refused exactly as the manual says.

Exits covered: the access functions themselves, the card URL, the clients picker, the administrator's
"why does a user see a client" page and the change-curator preview count. The registry, search, filters,
files and exports join as they land.

Decision on the change-curator preview: it counts every client of the old curator, his private ones
included, because they move with the curator's role; the page never lists them, it only says they move.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from kontora.accounts.models import ClientScope, Role
from kontora.clients import access
from kontora.clients.models import Client, ClientGrant
from kontora.core.text import search_key
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.clients.support import EXPECTED, MODES, RELATIONS, ROLES
from tests.support.http import signed_in

NOT_AVAILABLE = "Доступного вам клиента с таким кодом нет."


def _client(code: int, name: str, *, curator: Any, specialist: Any = None, private: bool = False) -> Client:
    return Client.objects.create(
        code=code, full_name=name, short_name=name, name_key=search_key(name), full_name_key=search_key(name),
        curator=curator, specialist=specialist, is_private=private,
    )


def _build() -> tuple[Any, list[tuple[Any, dict[str, Client]]]]:
    stranger = UserFactory(login="stranger", full_name="Посторонний Куратор", role=Role.MANAGER,
                           client_scope=ClientScope.FULL)
    subjects = []
    code = 1000
    for r, role in enumerate(ROLES):
        for m, mode in enumerate(MODES):
            number = r * len(MODES) + m + 1
            user = UserFactory(login=f"u{number:02d}", full_name=f"Испытуемый {number:02d}", role=role,
                               client_scope=mode)
            clients: dict[str, Client] = {}
            for relation in RELATIONS:
                code += 1
                name = f"Матрица u{number:02d} {relation}"
                own_curator = relation in ("curator", "private_own")
                clients[relation] = ClientFactory(
                    code=code, short_name=name, curator=user if own_curator else stranger,
                    specialist=user if relation in ("specialist", "private_other_spec") else None,
                    private=relation.startswith("private"))
                if relation in ("granted", "granted_view"):
                    ClientGrant.objects.create(client=clients[relation], user=user,
                                               can_edit=relation == "granted")
            subjects.append((user, clients))
    return stranger, subjects


def _picked(http: Any, number: str) -> set[int]:
    response = http.get("/directories/clients/pick/", {"q": f"Матрица {number}"})
    assert response.status_code == 200
    return {int(pk) for pk in re.findall(r'data-pick="(\d+)"', response.content.decode())}


@pytest.mark.feature("ACL-01", "ACL-02", "ACL-03", "ACL-06")
@pytest.mark.django_db
def test_every_exit_allows_exactly_what_the_manual_says() -> None:
    # given sixteen users (four roles × four working modes), each with a client of every relation
    stranger, subjects = _build()
    mismatches: list[str] = []

    def check(user: Any, relation: str, exit_name: str, got: Any, want: Any) -> None:
        if got != want:
            mismatches.append(f"{user.role}/{user.client_scope} × {relation} × {exit_name}: got {got}, want {want}")

    # when each user goes through every exit for each of the clients
    for user, clients in subjects:
        http = signed_in(user)
        picked = _picked(http, user.login)
        visible = set(access.visible_clients(user).values_list("pk", flat=True))
        openable = set(access.openable_clients(user).values_list("pk", flat=True))
        mode_column = MODES.index(ClientScope(user.client_scope))
        for relation, client in clients.items():
            rule = EXPECTED[relation][mode_column]
            check(user, relation, "visible_clients", client.pk in visible, "v" in rule)
            check(user, relation, "picker", client.pk in picked, "v" in rule)
            check(user, relation, "openable_clients", client.pk in openable, "o" in rule)
            standing = access.standing(user, client)
            check(user, relation, "standing", "".join(letter for letter, level in zip("voem", access.LEVELS,
                                                                                   strict=True)
                                                     if standing.allows(level)) or "-", rule)
            card = http.get(f"/clients/{client.pk}/").status_code
            check(user, relation, f"card {card}", card == 200, "o" in rule)
            if card not in (200, 404):
                mismatches.append(f"{user.login} × {relation} × card: status {card}")
            if user.is_admin:
                # ACL-06 never reveals another curator's private client, whatever the working mode.
                page = http.get("/administration/why-visible/", {"user": user.pk, "code": client.code})
                revealed = NOT_AVAILABLE not in page.content.decode()
                check(user, relation, "ACL-06 page", revealed, not relation.startswith("private_other"))
        for path in ("/administration/why-visible/", "/administration/change-curator/"):
            status = http.get(path).status_code
            check(user, "-", f"{path} {status}", status == 200, user.is_admin)
        if user.is_admin:
            preview = http.post("/administration/change-curator/", {
                "old_curator": user.pk, "new_curator": stranger.pk, "preview": "1",
            }).content.decode()
            # his curated client and his private one: both move
            check(user, "-", "change-curator preview", "2 клиента перейдут от куратора" in preview, True)

    # then nothing differs from the manual's rules
    assert mismatches == []


@pytest.mark.feature("ACL-03")
@pytest.mark.django_db
def test_the_picker_list_and_card_of_the_clients_directory_hide_others_private_clients(admin_user: Any) -> None:
    # given a private client of a manager and an ordinary one
    manager = UserFactory(login="keeper", client_scope=ClientScope.FULL)
    ClientFactory(code=1, short_name="Тайный Клиент", curator=manager, private=True)
    ClientFactory(code=2, short_name="Тайга Открытая", curator=manager)
    http = signed_in(admin_user)

    # when the administrator uses the directory engine's pages of the clients picker
    picker = http.get("/directories/clients/pick/", {"q": "та"}).content.decode()
    listing = http.get("/directories/clients/").content.decode()
    secret = Client.objects.get(code=1)

    # then only the ordinary client shows, the private one is unknown, and clients are not edited there
    assert "Тайга Открытая" in picker and "Тайный" not in picker
    assert "Тайга Открытая" in listing and "Тайный" not in listing
    assert http.get(f"/directories/clients/{secret.pk}/").status_code == 403
    assert http.get("/directories/clients/new/").status_code == 403
