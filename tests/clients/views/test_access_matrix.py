"""The access matrix (ACL-01 … ACL-03, ACL-06): roles × working modes × the user's relation to a client × every
exit, each allowed or refused exactly as the manual says (`tests.clients.support.EXPECTED`).

The exits are the ones the apps declare (`core.hooks.EXITS`, in each app's hooks.py); one crawler
(`tests.support.crawler`) asks each of them about a client of every relation and about every client-owned row of
it, as every role in every working mode (`tests.support.matrix`), and checks both what each answer must be and
that no answer carries a registry row of a client the user may not see or card data of a client he may not open.
That second check is what closes the "list all" leak of the outside probe (issue 11, F2): filter counts by card
data, exports, process pages, Shift+F by a contact's phone, the duplicate warning.

Every role is walked in every working mode once per CI run, the roles split between the databases (`FULL_ROLES`)
so that neither's run is the long one; the other roles take one user each, the four working modes among them
(`SMALL_MATRIX`): the rules are the same Python and ORM on both databases, and what differs — the searches' SQL, the
counts — is still asked in every mode on both. KONTORA_TEST_FULL_MATRIX=1 walks all sixteen users on either.

Decision on the change-curator preview: it counts every client of the old curator, his private ones
included, because they move with the curator's role; the page never lists them, it only says they move.
"""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
from django import forms
from django.db import connection
from django.http import Http404

from kontora.accounts.models import ClientScope, Role
from kontora.clients import access
from kontora.clients.models import Client
from kontora.core.hooks import EXITS, POLICIES
from kontora.directories.forms.widgets import allow_picker_editing, picker_field
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.clients.support import EXPECTED, MODES, ROLES
from tests.support.crawler import Visit, crawl
from tests.support.http import signed_in
from tests.support.matrix import FULL_MATRIX, SMALL_MATRIX, access_check, build_world


class PickForm(forms.Form):
    client = picker_field("clients", required=True)


# The roles walked in all four modes on each database (the supervisors' walk is the shortest but one: it evens out
# SQLite's longer run of the rest of the suite).
FULL_ROLES = {"sqlite": (Role.ADMIN, Role.MANAGER, Role.SPECIALIST), "postgresql": (Role.SUPERVISOR,)}


def _subjects() -> list[tuple[str, str]]:
    if os.environ.get("KONTORA_TEST_FULL_MATRIX") == "1":
        return FULL_MATRIX
    full = FULL_ROLES[connection.vendor]
    return [(role, mode) for role, mode in FULL_MATRIX if role in full] + [
        (role, mode) for role, mode in SMALL_MATRIX if role not in full]


@pytest.mark.feature("ACL-01", "ACL-02", "ACL-03")
@pytest.mark.django_db
def test_the_rules_and_every_policy_answer_exactly_what_the_manual_says(files_home: Any) -> None:
    # given users of every role in every working mode, each with a client of every relation and its rows
    world = build_world(_subjects(), sign_in=False)
    mismatches: list[str] = []

    # when the rules and each model's policy are asked about every row
    for walk in world.walks:
        user = walk.user
        visible = set(access.visible_clients(user).values_list("pk", flat=True))
        openable = set(access.openable_clients(user).values_list("pk", flat=True))
        column = MODES.index(ClientScope(user.client_scope))
        for label, rows in walk.objects.items():
            if label not in POLICIES or label == "processes.ProcessRun":
                continue
            policy = POLICIES.get(label)
            readable = set(policy.visible(user).values_list("pk", flat=True))
            for relation, row in rows:
                rule = EXPECTED[relation][column]
                where = f"{user.role}/{user.client_scope} × {relation} × {label}"
                client_pk = world.client_of(row)
                standing = access.standing(user, client_pk)
                got = "".join(letter for letter, level in zip("voem", access.LEVELS, strict=True)
                              if standing.allows(level)) or "-"
                facts = {
                    "standing": (got, rule),
                    "visible_clients": (client_pk in visible, "v" in rule),
                    "openable_clients": (client_pk in openable, "o" in rule),
                    "policy.visible": (row.pk in readable, "o" in rule),
                    "policy.can view": (policy.can(user, "view", row), "o" in rule),
                }
                # an event's and a task's changes follow their author (activity.policies; tests/activity), a
                # letter is never changed, only sent again by its author (messaging.policies; tests/messaging), and
                # a group processing outcome and an import's staged row are only read about their client (a row's
                # fix is its author's, of the file's own values: imports.policies; tests/imports); a sale's and a
                # work's changes follow their author too (billing.policies; tests/billing)
                if label not in ("core.AuditEvent", "activity.Event", "activity.Task", "messaging.Letter",
                                 "bulk.BulkOutcome", "imports.ImportRow", "billing.Sale", "billing.Work"):
                    main = label in ("clients.ClientBankAccount", "clients.ClientRegistration",
                                     "clients.ClientLegalChange", "clients.ClientPersonal")
                    facts["policy.can change"] = (policy.can(user, "change", row), ("m" if main else "e") in rule)
                try:
                    got_row = policy.get(user, row.pk) == row
                except Http404:
                    got_row = False
                facts["policy.get"] = (got_row, "o" in rule)
                if label == "clients.Client":  # a form's clients picker takes the clients the user sees
                    form = PickForm({"client": row.pk})
                    allow_picker_editing(form, user)
                    facts["picker form"] = (form.is_valid(), "v" in rule)
                mismatches += [f"{where} × {name}: got {got}, want {want}"
                               for name, (got, want) in facts.items() if got != want]

    # then nothing differs from the manual's rules
    assert mismatches == []


@pytest.mark.feature("ACL-01", "ACL-02", "ACL-03", "ACL-06", "REG-01", "REG-04", "REG-08", "FIL-02", "CLI-16",
                     "BPM-02", "GRP-05")
@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_declared_exit_lets_out_exactly_what_the_manual_allows(role: str, files_home: Any) -> None:
    # given users of the role in every working mode, each with a client of every relation and its rows
    world = build_world([(user_role, mode) for user_role, mode in _subjects() if user_role == role])

    # when each of them goes out through every declared exit, about each client and row
    mismatches = crawl(world.walks, EXITS.items(), access_check(world))

    # then every answer is the manual's, and none carries what the user may not see or open
    assert mismatches == []


@pytest.mark.feature("CLI-16", "ACL-03")
@pytest.mark.django_db
def test_the_duplicate_warning_never_names_the_curator_of_someone_elses_private_client(files_home: Any) -> None:
    # given the matrix's users: every private client of another is the stranger's, «Посторонний Куратор»
    world = build_world(SMALL_MATRIX)
    warnings = [item for item in EXITS.items() if item.url_name == "clients:duplicates"]

    def check(visit: Visit) -> list[str]:
        private = visit.tag.startswith("private_other")
        named = "Посторонний Куратор" in visit.body or "stranger" in visit.body
        return [f"{visit.where()}: names the curator"] if private and named else []

    # when each user types another curator's private client's name and INN into a card
    # then the warning names neither it nor its curator
    assert crawl(world.walks, warnings, check) == []
    assert any(item.key == "INN" for item in warnings) and any(not item.key for item in warnings)


@pytest.mark.feature("ACL-03", "ACL-05")
@pytest.mark.django_db
def test_the_change_curator_preview_counts_the_old_curators_private_clients_apart(admin_user: Any) -> None:
    # given a manager with an ordinary and a private client
    manager = UserFactory(login="leaving", client_scope=ClientScope.FULL, role=Role.MANAGER)
    ClientFactory(short_name="Обычный", curator=manager)
    ClientFactory(short_name="Личный", curator=manager, private=True)
    # when the administrator previews handing his clients over to himself
    preview = signed_in(admin_user).post("/administration/change-curator/", {
        "old_curator": manager.pk, "new_curator": admin_user.pk, "preview": "1",
    }).content.decode()
    # then the ordinary one is counted to move, the private one apart, to stay; none is named
    assert "1 клиент перейдёт от куратора" in preview
    assert "остаются у своего куратора" in preview
    assert "Личный" not in preview and "Обычный" not in preview


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
    assert re.search(r"data-pick=\"\d+\"", picker)
