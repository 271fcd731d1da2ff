"""Duplicate detection on entry (CLI-16): same INN, same name, same phone — shown among clients the user sees, told
of by its curator where he may not open the client, never about someone else's private client."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection

from kontora.clients.models import Client, ContactPerson
from kontora.clients.selectors.duplicates import duplicate_report, find_duplicates, phone_keys
from kontora.clients.services import card as services
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.clients.support import VALID_INN, make_private
from tests.support.http import html, signed_in

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.mark.feature("CLI-16")
def test_duplicate_by_folded_name(manager_user: Any) -> None:
    # given «Ёлка»
    existing = ClientFactory(curator=manager_user, short_name="ООО «Ёлка»")
    # when "ооо елка" is checked
    found = find_duplicates(user=manager_user, short_name='ооо "ЕЛКА"')
    # then it is found by the normalised name
    assert [(d.client, d.reasons) for d in found] == [(existing, ["то же наименование"])]


@pytest.mark.feature("CLI-16")
def test_duplicate_by_client_or_contact_phone(manager_user: Any) -> None:
    # given a client phone and a contact person's mobile elsewhere
    by_phone = ClientFactory(curator=manager_user, short_name="Альфа", phone="+7 (495) 123-45-67")
    by_contact = ClientFactory(curator=manager_user, short_name="Бета")
    services.contact_create(acting_user=manager_user, client=by_contact,
                            values={"full_name": "Петров", "phone_mobile": "8 916 000-11-22"})
    # when the same numbers are typed differently
    found = find_duplicates(user=manager_user, phones=("8 495 1234567, +7 (916) 000 11 22",))
    # then both are found; a short number is not matched
    assert {d.client for d in found} == {by_phone, by_contact}
    assert all(d.reasons == ["тот же телефон"] for d in found)
    assert find_duplicates(user=manager_user, phones=("12-34",)) == []
    assert phone_keys("+7 (495) 123-45-67; 8 916 000-11-22") == ["4951234567", "9160001122"]


@pytest.mark.feature("CLI-16")
@pytest.mark.feature("ACL-03")
def test_private_client_of_another_curator_is_never_a_duplicate(manager_user: Any, admin_user: Any) -> None:
    # given someone's private client with an INN, name and phone
    owner = UserFactory(login="owner", client_scope="full")
    make_private(ClientFactory(curator=owner, short_name="Секрет", inn=VALID_INN, phone="+7 495 123-45-67"))
    # when other users (the administrator too) check the same values
    for user in (manager_user, admin_user):
        found = duplicate_report(user=user, inn=VALID_INN, short_name="Секрет", phones=("84951234567",))
        # then nothing is shown, nor told
        assert (found.shown, found.told, found.told_ids) == ([], [], [])
    page = html(signed_in(admin_user).get("/clients/duplicates/", {"inn": VALID_INN, "short_name": "Секрет"}, **HX))
    assert "Секрет" not in page and 'data-testid="client-duplicates"' not in page
    # while the curator sees it
    assert len(find_duplicates(user=owner, inn=VALID_INN)) == 1


@pytest.mark.feature("CLI-16", "ACL-01")
def test_a_client_out_of_sight_is_told_of_by_its_curator_only(manager_user: Any) -> None:
    # given a client of another manager, the viewer limited to own clients
    other = ClientFactory(curator=UserFactory(login="other", full_name="Иванов И. И."), short_name="Чужой",
                          inn=VALID_INN, phone="+7 495 111-22-33")
    # when the manager checks its INN, and its phone
    by_inn = duplicate_report(user=manager_user, inn=VALID_INN)
    by_phone = duplicate_report(user=manager_user, phones=("8 495 1112233",))
    # then it is not shown (he does not see it in the registry either), only told of with its curator
    assert find_duplicates(user=manager_user, inn=VALID_INN) == []
    assert (by_inn.shown, by_phone.shown) == ([], [])
    assert [t.message for t in by_inn.told] == ["Клиент с таким ИНН уже есть, куратор — Иванов И. И."]
    assert [t.message for t in by_phone.told] == ["Клиент с таким телефоном уже есть, куратор — Иванов И. И."]
    assert by_inn.told_ids == by_phone.told_ids == [other.pk]
    # and a client without a curator is told of as such
    Client.objects.filter(pk=other.pk).update(curator=None)
    assert [t.message for t in duplicate_report(user=manager_user, inn=VALID_INN).told] == [
        "Клиент с таким ИНН уже есть, куратор не назначен"]


@pytest.mark.feature("CLI-16")
@pytest.mark.feature("ACL-02")
def test_card_data_of_a_client_listed_but_not_openable_never_matches(manager_user: Any) -> None:
    # given a "list all" user, another curator's client with an INN and a contact's mobile, and an own client
    other = UserFactory(login="other", client_scope="full")
    viewer = UserFactory(login="viewer", client_scope="list_all")
    foreign = ClientFactory(curator=other, short_name="Чужой", inn=VALID_INN, phone="+7 495 111-22-33")
    services.contact_create(acting_user=other, client=foreign, values={"full_name": "Петров",
                                                                       "phone_mobile": "8 916 000-11-22"})
    own = ClientFactory(curator=viewer, short_name="Свой")
    services.contact_create(acting_user=viewer, client=own, values={"full_name": "Сидоров",
                                                                    "phone_mobile": "8 916 000-33-44"})
    # when he types the foreign client's INN and its contact's mobile (card data)
    by_inn = find_duplicates(user=viewer, inn=VALID_INN)
    by_contact = find_duplicates(user=viewer, phones=("+7 916 000 11 22",))
    # then nothing tells him which card carries them
    assert (by_inn, by_contact) == ([], [])
    # while the registry's columns still find it (its name, its main phone), and his own card's contact matches
    assert [d.client for d in find_duplicates(user=viewer, short_name="чужой")] == [foreign]
    assert [d.client for d in find_duplicates(user=viewer, phones=("84951112233",))] == [foreign]
    assert [d.client for d in find_duplicates(user=viewer, phones=("89160003344",))] == [own]
    # and a user who may open it finds it by both
    assert [d.client for d in find_duplicates(user=other, inn=VALID_INN)] == [foreign]
    assert [d.client for d in find_duplicates(user=other, phones=("89160001122",))] == [foreign]


@pytest.mark.feature("CLI-16")
def test_a_local_number_finds_the_national_one_and_back(manager_user: Any) -> None:
    # given a client with a full number and one whose phone was typed without the area code
    national = ClientFactory(curator=manager_user, short_name="Альфа", phone="+7 (495) 123-45-67")
    local = ClientFactory(curator=manager_user, short_name="Бета", phone="765-43-21")
    # when each is typed the other way round
    # then the 7-digit number finds the 10-digit one, and the 10-digit one finds the 7-digit one
    assert [d.client for d in find_duplicates(user=manager_user, phones=("123-45-67",))] == [national]
    assert [d.client for d in find_duplicates(user=manager_user, phones=("95 123 45 67",))] == [national]
    assert [d.client for d in find_duplicates(user=manager_user, phones=("8 (495) 765-43-21",))] == [local]
    # while digits that are only inside a number, not its end, match nothing
    assert find_duplicates(user=manager_user, phones=("495 12 34",)) == []
    assert find_duplicates(user=manager_user, phones=("8 495 123-45-60",)) == []


FILLER = 3000


def _some_base(cursor: Any) -> None:
    """PostgreSQL plans by statistics: on a table of three rows any index walk costs next to nothing, and the
    plan chosen follows the pages earlier tests left behind. Copies of the first client and its contact with
    values of their own (code, name, INN, phone) give it a base of some size, then statistics of this base."""
    if Client.objects.filter(code__gt=1000000).exists():
        return
    first = Client.objects.order_by("pk").values_list("pk", flat=True).first()
    varied = {"code": "1000000 + g", "short_name": "'Наполнитель ' || g", "name_key": "'наполнитель ' || g",
              "name_core_key": "'наполнитель ' || g", "full_name": "'Наполнитель ' || g",
              "full_name_key": "'наполнитель ' || g", "inn": "lpad(g::text, 10, '3')",
              "phone": "'7999' || lpad(g::text, 7, '0')", "phone_digits": "'7999' || lpad(g::text, 7, '0')"}
    columns = [field.column for field in Client._meta.concrete_fields if field.column != "id"]
    picked = ", ".join(varied.get(column, f'c."{column}"') for column in columns)
    names = ", ".join(f'"{column}"' for column in columns)
    cursor.execute(f"INSERT INTO clients_client ({names}) SELECT {picked} "
                   "FROM clients_client c, generate_series(1, %s) g WHERE c.id = %s", [FILLER, first])
    cursor.execute("INSERT INTO clients_phonekey (client_id, contact_id, tail, number) "
                   "SELECT id, NULL, right(phone_digits, 7), right(phone_digits, 10) FROM clients_client "
                   "WHERE code > 1000000")
    contact = [field.column for field in ContactPerson._meta.concrete_fields if field.column != "id"]
    chosen = ", ".join({"client_id": "n.id", "full_name": "'Контакт ' || n.code"}.get(column, f'p."{column}"')
                       for column in contact)
    names = ", ".join(f'"{column}"' for column in contact)
    cursor.execute(f"INSERT INTO clients_contactperson ({names}) SELECT {chosen} "
                   "FROM clients_contactperson p, clients_client n "
                   "WHERE p.id = (SELECT min(id) FROM clients_contactperson) AND n.code > 1000000")
    cursor.execute("ANALYZE clients_client, clients_contactperson, clients_phonekey")


def _scans(statements: list[tuple[str, Any]]) -> list[str]:
    """The lines of the statements' plans that read a table of clients, contacts or phone keys (or one of its
    indexes) whole."""
    tables = ("clients_client", "clients_contactperson", "clients_phonekey")
    found = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table is read whole by choice, not by need
            _some_base(cursor)
        for sql, params in statements:
            prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
            cursor.execute(prefix + sql, params)
            lines = [str(row[-1] if connection.vendor == "sqlite" else row[0]) for row in cursor.fetchall()]
            for at, line in enumerate(lines):
                if connection.vendor == "sqlite":
                    # SCAN reads a table or an index whole (SEARCH seeks)
                    full = re.search(r"\bSCAN (\w+)", line)
                    if full and full.group(1) in tables:
                        found.append(line)
                    continue
                # PostgreSQL: a Seq Scan, or (sequential reads being off) an index walked whole: no Index Cond
                node = re.search(r"(Seq Scan|Bitmap Index Scan|Index Scan|Index Only Scan)(?: Backward)?"
                                 r"(?: using \w+)? on (\w+)", line)
                if not node:
                    continue
                table = node.group(2)
                if node.group(1) == "Bitmap Index Scan":  # on an index: its table is the Bitmap Heap Scan's above
                    heaps = [re.search(r"Bitmap Heap Scan on (\w+)", above) for above in lines[:at]]
                    table = next((heap.group(1) for heap in reversed(heaps) if heap), "")
                if table not in tables:
                    continue
                details = []
                for below in lines[at + 1:]:
                    if "->" in below:
                        break
                    details.append(below)
                if node.group(1) == "Seq Scan" or not any("Index Cond" in detail for detail in details):
                    found.append(line)
    return found


@pytest.mark.feature("CLI-16")
def test_every_check_seeks_an_index_and_reads_no_table_whole(manager_user: Any) -> None:
    # given clients with the INN, name and phones asked, a contact's phone among them
    client = ClientFactory(curator=manager_user, short_name="Альфа", inn=VALID_INN, kpp="773601001",
                           phone="+7 (495) 123-45-67")
    services.contact_create(acting_user=manager_user, client=client,
                            values={"full_name": "Петров", "phone_mobile": "8 916 000-11-22"})
    ClientFactory(curator=manager_user, short_name="Бета", phone="+7 (812) 000-11-22")
    statements: list[tuple[str, Any]] = []

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements.append((sql, params))
        return execute(sql, params, many, context)

    # when every check runs at once
    with connection.execute_wrapper(record):
        found = find_duplicates(user=manager_user, inn=VALID_INN, short_name="альфа",
                                phones=("8 916 000 11 22, 123-45-67",))
    # then it found the client by each, and no statement read a table of clients, contacts or keys whole
    assert [(d.client, d.reasons) for d in found] == [(client, ["тот же ИНН", "то же наименование", "тот же телефон"])]
    assert statements and _scans(statements) == []
    # (positive control: a condition no index serves — the digits' end, as the check could ask it — is seen as a
    # full scan)
    assert _scans([("SELECT id FROM clients_client WHERE substr(phone_digits, 2) = %s", ["4951234567"])]) != []
