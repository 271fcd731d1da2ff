"""The dry run (IMP-04): each row decided create / update / skip / conflict by the key chosen for the run, what an
update would change shown old → new, matching only with clients the importing user may open, and nothing written
to the clients."""

from __future__ import annotations

import pytest

from kontora.accounts.models import ClientScope
from kontora.clients.models import Client
from kontora.imports.models import Import, ImportRow
from kontora.imports.services.checking import import_check
from tests.clients.factories import ClientFactory
from tests.imports.support import checked, checksum, importer, loaded

pytestmark = [pytest.mark.django_db, pytest.mark.feature("IMP-04"), pytest.mark.usefixtures("english")]

SBER, GAZPROM, VTB = "7707083893", "7736050003", "7702070139"


def _decisions(run: Import) -> list[tuple[int, str, int | None]]:
    return [(row.number, row.action, row.client_id) for row in ImportRow.objects.filter(run=run).order_by("number")]


def _row(name: str, phone: str = "", email: str = "", inn: str = "", kpp: str = "", note: str = "") -> list[str]:
    return [name, "", phone, email, inn, kpp, note]


@pytest.mark.parametrize(("key", "found", "other"), [
    ("inn_kpp", _row("ООО «Сбер»", inn=SBER, kpp="773601001"), _row("ООО «Сбер-2»", inn=SBER, kpp="770701001")),
    ("inn", _row("ООО «Сбер»", inn=SBER), _row("ООО «Газ»", inn=GAZPROM)),
    ("phone", _row("ООО «Сбер»", phone="8 (495) 500-55-50"), _row("ООО «Газ»", phone="+7 495 719-30-01")),
    ("email", _row("ООО «Сбер»", email="SBER@example.ru"), _row("ООО «Газ»", email="gas@example.ru")),
    ("name", _row("Сбер"), _row("Газ")),
])
def test_each_key_matches_the_client_it_names_and_leaves_the_others_new(key, found, other):
    # given a client the importer may open
    user = importer()
    client = ClientFactory(short_name="Сбер", inn=SBER, kpp="773601001", phone="+7 495 500-55-50",
                           email="sber@example.ru", curator=user)
    # when a row matching it (with a new note) and a row matching nothing are checked
    run = checked(user, [found, other], key)
    # then
    assert _decisions(run) == [(2, "update", client.pk), (3, "create", None)]
    assert (run.state, run.to_create, run.to_update, run.to_skip, run.conflicts) == (Import.State.CHECKED, 1, 1, 0, 0)


def test_an_update_shows_which_fields_change_old_to_new_and_an_empty_cell_blanks_nothing():
    # given
    user = importer()
    client = ClientFactory(short_name="Сбер", full_name="ПАО Сбербанк", inn=SBER, phone="111-11-11",
                           email="old@example.ru", curator=user)
    # when
    run = checked(user, [_row("ПАО «Сбербанк России»", phone="", email="new@example.ru", inn=SBER)], "inn")
    # then
    row = ImportRow.objects.get(run=run)
    assert (row.action, row.client_id) == ("update", client.pk)
    changes = {change["field"]: (change["old"], change["new"]) for change in row.changes}
    assert changes["full_name"] == ("ПАО Сбербанк", "ПАО «Сбербанк России»")
    assert changes["email"] == ("old@example.ru", "new@example.ru")
    assert "phone" not in changes and changes["notes"][0] == ""


def test_with_skip_chosen_a_matching_row_is_skipped_and_a_row_with_nothing_new_too():
    # given
    user = importer()
    client = ClientFactory(short_name="Сбер", inn=SBER, curator=user)
    # when
    run = checked(user, [_row("Сбер", inn=SBER)], "inn", on_match="skip")
    # then
    assert _decisions(run) == [(2, "skip", client.pk)]
    assert ImportRow.objects.get(run=run).reason == "The client is already in the base."


def test_a_client_the_user_may_not_open_is_a_conflict_reported_without_its_data():
    # given another manager's client and a manager of own clients
    user = importer(ClientScope.OWN)
    ClientFactory(short_name="Чужой", full_name="ООО Чужой секрет", inn=SBER, curator=importer())
    # when
    run = checked(user, [_row("Сбер", inn=SBER, email="x@example.ru")], "inn")
    # then
    row = ImportRow.objects.get(run=run)
    assert (row.action, row.client_id, row.changes) == ("conflict", None, [])
    assert row.reason == "The row matches a client you may not open: it is left as it is."
    assert "Чужой" not in row.reason and run.conflicts == 1


def test_a_client_the_user_may_open_is_matched_positive_control():
    # given the same, the client granted to him
    user = importer(ClientScope.OWN)
    client = ClientFactory(short_name="Свой", inn=SBER, curator=user)
    # when
    run = checked(user, [_row("Сбер", inn=SBER, email="x@example.ru")], "inn")
    # then
    assert _decisions(run) == [(2, "update", client.pk)]


def test_two_clients_with_the_key_are_a_conflict_and_a_repeated_row_is_skipped():
    # given
    user = importer()
    ClientFactory(short_name="Один", inn=GAZPROM, curator=user)
    ClientFactory(short_name="Два", inn=GAZPROM, curator=user)
    # when
    run = checked(user, [_row("А", inn=GAZPROM), _row("Б", inn=VTB), _row("В", inn=VTB)], "inn")
    # then
    assert [(n, a) for n, a, _c in _decisions(run)] == [(2, "conflict"), (3, "create"), (4, "skip")]
    assert ImportRow.objects.get(run=run, number=4).reason == "The same client as row 3 of the file."


def test_rows_with_errors_are_decided_as_errors():
    # when
    run = checked(importer(), [_row("Альфа", inn="7707083894"), _row("Бета")])
    # then
    assert [(n, a) for n, a, _c in _decisions(run)] == [(2, "error"), (3, "create")]


def test_a_dry_run_changes_nothing_in_the_clients():
    # given
    user = importer()
    ClientFactory(short_name="Сбер", inn=SBER, phone="+7 495 500-55-50", curator=user)
    ClientFactory(short_name="Газ", inn=GAZPROM, curator=user)
    before = checksum()
    run = loaded(user, [_row("Сбер", inn=SBER, email="a@example.ru"), _row("Новый", inn=VTB)])
    # when
    for key in ("inn_kpp", "inn", "phone", "email", "name", ""):
        import_check(acting_user=user, import_id=run.pk, match_key=key)
    # then
    assert checksum() == before and Client.objects.count() == 2
