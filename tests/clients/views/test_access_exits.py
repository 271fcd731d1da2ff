"""The access matrix over every exit by which clients leave the server (ACL-01, ACL-03, ACL-06, REG-01).

Roles × the four working modes × the user's relation to a client (own, specialist, granted, foreign, private…)
× each exit: the registry's main window rows, its "show more" rows, marks, the card URL, Ctrl+F, the extended
search and its jump, the clients picker (its drop-down and a form's validation of the submitted id), a file
download, the export (the CSV of the registry and of the marked clients), the Flexi-filter's live count and a
filter template's count. The rules are written once, in
tests/test_access_matrix.py's EXPECTED: v = seen in lists (registry, search, picker, marks, export),
o = opens the card (and its files).

The clients are built once per (role, mode) user, and every exit is asked once per user wherever it can
answer for all eight clients at a time, so the whole matrix stays fast.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from typing import Any

import pytest
from django import forms
from django.core.files.base import ContentFile
from django.test import Client as HttpClient

from kontora.accounts.models import ClientScope, Role, UserRight
from kontora.clients.flexi.selectors.templates import template_count, template_spec
from kontora.clients.flexi.services import template_save
from kontora.clients.models import Client, ClientFile, ClientGrant
from kontora.clients.views.registry import MARKS_KEY
from kontora.core.text import search_key
from kontora.directories.forms.widgets import allow_picker_editing, picker_field, scope_pickers
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.clients.support import EXPECTED, MODES, RELATIONS, ROLES
from tests.support.http import signed_in

ROW_ID = re.compile(r'<tr data-row data-id="(\d+)"')
MORE = re.compile(r'<tr class="k-registry-more" hx-get="([^"]+)"')


class PickForm(forms.Form):
    client = picker_field("clients", required=True)


def _client(code: int, name: str, *, curator: Any, specialist: Any = None, private: bool = False) -> Client:
    return Client.objects.create(
        code=code, full_name=name, short_name=name, name_key=search_key(name), full_name_key=search_key(name),
        curator=curator, specialist=specialist, is_private=private,
    )


def _build() -> list[tuple[Any, dict[str, Client]]]:
    """Sixteen users (four roles × four modes), each with one client of every relation, each client with a file."""
    stranger = UserFactory(login="stranger", full_name="Посторонний Куратор", role=Role.MANAGER,
                           client_scope=ClientScope.FULL)
    subjects = []
    code = 5000
    for r, role in enumerate(ROLES):
        for m, mode in enumerate(MODES):
            number = r * len(MODES) + m + 1
            user = UserFactory(login=f"x{number:02d}", full_name=f"Проверяемый {number:02d}", role=role,
                               client_scope=mode)
            if role != Role.ADMIN:  # the export exit needs the right; administrators have it by role
                UserRight.objects.create(user=user, code="export_clients")
            clients: dict[str, Client] = {}
            for index, relation in enumerate(RELATIONS, start=1):
                code += 1
                own_curator = relation in ("curator", "private_own")
                client = ClientFactory(
                    code=code, short_name=f"Выход x{number:02d} r{index}", curator=user if own_curator else stranger,
                    specialist=user if relation in ("specialist", "private_other_spec") else None,
                    private=relation.startswith("private"))
                if relation in ("granted", "granted_view"):
                    ClientGrant.objects.create(client=client, user=user, can_edit=relation == "granted")
                attached = ClientFile(client=client, name="договор.txt", size=5, content_type="text/plain")
                attached.content.save("договор.txt", ContentFile(b"12345"), save=True)
                clients[relation] = client
            subjects.append((user, clients))
    return subjects


def _registry_ids(http: HttpClient) -> tuple[set[int], set[int]]:
    """The ids of the main window's rows, and of every "show more" page after them."""
    page = http.get("/").content.decode()
    first = {int(pk) for pk in ROW_ID.findall(page)}
    more: set[int] = set()
    found = MORE.search(page)
    while found:
        rows = http.get(html.unescape(found.group(1))).content.decode()
        more |= {int(pk) for pk in ROW_ID.findall(rows)}
        found = MORE.search(rows)
    return first, more


def _code_spec(*codes: int) -> dict[str, Any]:
    return {"op": "or", "items": [{"field": "code", "operator": "eq", "value": code} for code in codes]}


def _exported_codes(http: HttpClient, what: str) -> set[int]:
    response = http.post("/clients/export/", {"what": what, "format": "csv"})
    assert response.status_code == 200, response.status_code
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return {int(row[0]) for row in list(csv.reader(io.StringIO(text), delimiter=";"))[1:]}


@pytest.mark.feature("ACL-01", "ACL-02", "ACL-03", "ACL-06", "REG-01", "FIL-02")
@pytest.mark.django_db
def test_every_exit_lets_out_exactly_what_the_manual_allows() -> None:
    # given sixteen users (four roles × four working modes), each with a client of every relation
    subjects = _build()
    mismatches: list[str] = []

    def check(user: Any, relation: str, exit_name: str, got: bool, want: bool) -> None:
        if got != want:
            mismatches.append(f"{user.role}/{user.client_scope} × {relation} × {exit_name}: got {got}, want {want}")

    # when each user goes out through every exit
    through_show_more = 0
    for user, clients in subjects:
        http = signed_in(user)
        main_rows, more_rows = _registry_ids(http)
        through_show_more += len(more_rows & {c.pk for c in clients.values()})
        registry = main_rows | more_rows
        picker = http.get("/directories/clients/pick/", {"q": f"Выход {user.login}"}).content.decode()
        picked = {int(pk) for pk in re.findall(r'data-pick="(\d+)"', picker)}
        for client in clients.values():
            http.post("/clients/registry/mark/", {"id": client.pk, "marked": "true"})
        marks = set(http.session.get(MARKS_KEY, []))
        exported = _exported_codes(http, "shown")
        exported_marked = _exported_codes(http, "marked")
        mode_column = MODES.index(ClientScope(user.client_scope))
        # a filter template over all eight clients counts only those the user sees
        template = template_save(acting_user=user, name="Все выходы",
                                 spec=_code_spec(*(c.code for c in clients.values())))
        want = sum("v" in EXPECTED[relation][mode_column] for relation in clients)
        counted = template_count(user, template_spec(user, f"user:{template.pk}"))
        check(user, "all eight", f"template count {counted!r}", counted == (want, False), True)
        shown = http.get("/clients/filter/templates/count/", {"ref": f"user:{template.pk}"}).content.decode()
        check(user, "all eight", f"template count in the list {shown!r}", shown == str(want), True)
        for relation, client in clients.items():
            rule = EXPECTED[relation][mode_column]
            seen, opens = "v" in rule, "o" in rule
            check(user, relation, "registry (main window + show more)", client.pk in registry, seen)
            check(user, relation, "registry marks", client.pk in marks, seen)
            found = http.get("/clients/registry/find/", {"q": client.short_name}).content.decode()
            check(user, relation, "Ctrl+F", client.pk in {int(pk) for pk in ROW_ID.findall(found)}, seen)
            search = http.get("/clients/search/find/", {"name": client.short_name[-7:]}).content.decode()
            check(user, relation, "extended search", f'data-found="{client.pk}"' in search, seen)
            jump = http.get("/clients/search/jump/", {"id": client.pk}).content.decode()
            check(user, relation, "search jump", client.pk in {int(pk) for pk in ROW_ID.findall(jump)}, seen)
            check(user, relation, "clients picker", client.pk in picked, seen)
            form = PickForm({"client": client.pk})
            allow_picker_editing(form, user)
            check(user, relation, "picker form validation", form.is_valid(), seen)
            check(user, relation, "export CSV", client.code in exported, seen)
            check(user, relation, "export CSV of marked", client.code in exported_marked, seen)
            count = http.post("/clients/filter/count/", {"spec": json.dumps(_code_spec(client.code))})
            check(user, relation, "filter count", count.content.decode() == ("Найдено: 1" if seen else "Найдено: 0"),
                  True)
            card = http.get(f"/clients/{client.pk}/").status_code
            check(user, relation, f"card {card}", card == 200, opens)
            attached = ClientFile.objects.get(client=client)
            download = http.get(f"/clients/{client.pk}/files/{attached.pk}/download/")
            got_file = download.status_code == 200 and b"".join(download.streaming_content) == b"12345"
            check(user, relation, f"file download {download.status_code}", got_file, opens)
            if download.status_code not in (200, 404) or card not in (200, 404):
                mismatches.append(f"{user.login} × {relation}: card {card}, file {download.status_code}")

    # then nothing differs from the manual's rules (and "show more" did deliver some of the clients)
    assert mismatches == []
    assert through_show_more > 0


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
