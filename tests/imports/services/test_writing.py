"""Writing an import (IMP-03, IMP-04): a job writing the checked rows in batches, each with its checkpoint, status
and priority on every new client; a run taken over after a crash writing no row twice; a cancelled or failed run
leaving the base as it was; undo restoring the base exactly, or refusing and listing the clients touched since."""

from __future__ import annotations

from typing import Any

import pytest

from kontora.activity.models import Event, Task
from kontora.clients.models import Client, ContactPerson, PhoneKey
from kontora.clients.services import imports as client_imports
from kontora.clients.services.card import client_update
from kontora.clients.services.phones import client_phones_keep, contact_phones_keep
from kontora.core.errors import Refused
from kontora.core.models import AuditEvent, Job
from kontora.core.services.jobs import job_run
from kontora.directories.models import ClientStatus
from kontora.imports.models import Import, ImportRow
from kontora.imports.services import writing
from kontora.imports.services.checking import import_check
from kontora.imports.services.loading import import_load
from kontora.imports.services.writing import import_cancel, import_start, import_undo, import_write
from tests.activity.factories import EventFactory, TaskFactory
from tests.clients.factories import ClientFactory
from tests.directories.factories import PriorityFactory
from tests.imports.support import checked, checksum, csv_upload, imported, importer, loaded

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "small_batches")]

SBER = "7707083893"


def _rows(count: int) -> list[list[str]]:
    return [[f"ООО «Клиент {n}»", "", f"+7 912 {n:03d}-00-00", f"c{n}@example.ru", "", "", ""]
            for n in range(1, count + 1)]


def _status() -> ClientStatus:
    return ClientStatus.objects.create(name="Импортирован", name_key="импортирован")


@pytest.mark.feature("IMP-03")
def test_the_rows_are_written_in_batches_with_status_priority_phone_keys_and_contacts():
    # given 7 rows, 3 to a batch
    user = importer()
    status, priority = _status(), PriorityFactory()
    rows = [*_rows(6), ['ООО "Арсенал-Сервис"', "Арсенал-Сервис", "(3902) 235-588", "info@grants.ru", SBER, "",
                        "Клиент Смирнова"]]
    # when
    run = imported(user, rows, status_id=status.pk, priority_id=priority.pk)
    # then
    assert (run.state, run.created, run.updated) == (Import.State.DONE, 7, 0)
    clients = list(Client.objects.order_by("code"))
    assert len(clients) == 7 and len({client.code for client in clients}) == 7
    assert {(c.status_id, c.priority_id, c.curator_id, c.created_by_id) for c in clients} == {
        (status.pk, priority.pk, user.pk, user.pk)}
    arsenal = Client.objects.get(inn=SBER)
    assert (arsenal.full_name, arsenal.short_name, arsenal.name_key, arsenal.phone_digits) == (
        "ООО «Арсенал-Сервис»", "Арсенал-Сервис", "арсенал сервис", "3902235588")
    assert arsenal.notes.startswith("Клиент Смирнова\nImported from clients.csv")
    assert PhoneKey.objects.filter(client=arsenal, number="3902235588").exists()
    assert set(ImportRow.objects.filter(run=run).values_list("written_id", flat=True)) == {c.pk for c in clients}
    job = Job.objects.get(pk=run.job_id)
    assert (job.checkpoint, job.done, job.total) == ({"after": 8}, 7, 7)
    history = AuditEvent.objects.filter(event="clients.client.import_create", target_id=run.pk)
    assert history.count() == 7 and set(history.values_list("client_id", flat=True)) == {c.pk for c in clients}


@pytest.mark.feature("IMP-03")
def test_a_new_clients_main_contact_comes_from_the_row():
    # given
    user = importer()
    header = ["Полное наименование", "ФИО контактного лица", "E-mail контактного лица"]
    run = import_load(acting_user=user, source=csv_upload([["ООО «Грант»", "гришина оксана викторовна",
                                                            "oksana@grants.ru"]], header), filename="c.csv")
    import_check(acting_user=user, import_id=run.pk)
    run = import_start(acting_user=user, import_id=run.pk)
    job_run(job_id=run.job_id)
    # then
    contact = ContactPerson.objects.get()
    assert (contact.full_name, contact.email, contact.is_main, contact.client.main_contact) == (
        "Гришина Оксана Викторовна", "oksana@grants.ru", True, "Гришина Оксана Викторовна")


@pytest.mark.feature("IMP-04")
def test_an_update_writes_only_what_changed_and_keeps_the_old_values_for_undo():
    # given
    user = importer()
    client = ClientFactory(short_name="Сбер", full_name="ПАО Сбербанк", inn=SBER, email="old@example.ru",
                           phone="111-11-11", curator=user)
    # when
    run = imported(user, [["ПАО «Сбербанк»", "", "", "new@example.ru", SBER, "", ""]], "inn")
    # then
    client.refresh_from_db()
    assert (client.full_name, client.email, client.phone, run.updated) == (
        "ПАО «Сбербанк»", "new@example.ru", "111-11-11", 1)
    row = ImportRow.objects.get(run=run)
    assert (row.written_id, row.old["full_name"], row.old["email"]) == (client.pk, "ПАО Сбербанк", "old@example.ru")


@pytest.mark.feature("IMP-04")
def test_an_updated_phone_rewrites_the_clients_own_phone_keys_and_keeps_its_contacts():
    # given a client with a phone and a contact person with a mobile, both keyed
    user = importer()
    client = ClientFactory(short_name="Сбер", inn=SBER, phone="111-11-11", curator=user)
    contact = ContactPerson.objects.create(client=client, full_name="Иванов Иван", phone_mobile="+7 913 222-33-44")
    contact_phones_keep(contact)
    client_phones_keep(client)
    # when the import gives the client another phone
    imported(user, [["ПАО «Сбербанк»", "", "+7 912 555-00-00", "", SBER, "", ""]], "inn")
    # then the client's own key is the new number, the contact's key is left alone
    keys = set(PhoneKey.objects.filter(client=client).values_list("contact_id", "number"))
    assert keys == {(None, "9125550000"), (contact.pk, "9132223344")}


@pytest.mark.feature("IMP-03")
def test_a_run_taken_over_after_a_crash_goes_on_from_its_checkpoint_and_writes_no_row_twice():
    # given a checked import of 8 rows, started
    user = importer()
    run = import_start(acting_user=user, import_id=checked(user, _rows(8)).pk)
    saved: dict[str, Any] = {}

    def dies_after_two_batches(done: int, total: int | None = None, message: str = "") -> None:
        if done >= 6:
            raise SystemExit("the worker dies")

    # when the first run dies after its second batch, and another goes on from the checkpoint
    with pytest.raises(SystemExit):
        import_write(import_id=run.pk, progress=dies_after_two_batches, checkpoint=saved.update)
    assert (saved, Client.objects.count()) == ({"after": 7}, 6)
    import_write(import_id=run.pk, resume=dict(saved), checkpoint=saved.update)
    # then
    assert Client.objects.count() == 8
    assert sorted(Client.objects.values_list("short_name", flat=True)) == sorted(
        f"ООО «Клиент {n}»" for n in range(1, 9))
    run.refresh_from_db()
    assert (run.state, run.created) == (Import.State.DONE, 8)


@pytest.mark.feature("IMP-03")
def test_a_cancelled_run_leaves_the_base_exactly_as_it_was(monkeypatch):
    # given an updated client among new ones, and the job cancelled after its first batch
    user = importer()
    ClientFactory(short_name="Сбер", inn=SBER, email="old@example.ru", curator=user)
    before = checksum()
    run = import_start(acting_user=user, import_id=checked(
        user, [*_rows(4), ["Сбер", "", "", "new@example.ru", SBER, "", ""]], "inn").pk)

    def cancelled() -> None:
        Job.objects.filter(pk=run.job_id).update(status=Job.Status.CANCELLING)

    monkeypatch.setattr(writing, "_gap", cancelled)
    # when
    job = job_run(job_id=run.job_id)
    # then
    run.refresh_from_db()
    assert job is not None and (job.status, run.state, run.kept) == ("cancelled", Import.State.CANCELLED, [])
    assert checksum() == before


@pytest.mark.feature("IMP-03")
def test_a_failed_run_is_rolled_back_by_the_same_compensation(monkeypatch):
    # given a run whose third batch fails
    user = importer()
    ClientFactory(short_name="Сбер", inn=SBER, email="old@example.ru", curator=user)
    before = checksum()
    run = import_start(acting_user=user, import_id=checked(
        user, [["Сбер", "", "", "new@example.ru", SBER, "", ""], *_rows(7)], "inn").pk)
    real = client_imports.clients_import_create
    calls = []

    def fails_third(**kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(client_imports, "clients_import_create", fails_third)
    # when
    job = job_run(job_id=run.job_id)
    # then
    run.refresh_from_db()
    assert job is not None and (job.status, job.errors, run.state) == ("failed", ["disk full"], Import.State.FAILED)
    assert checksum() == before


@pytest.mark.feature("IMP-04")
def test_undo_restores_the_base_exactly():
    # given an import that created 5 clients and updated one
    user = importer()
    ClientFactory(short_name="Сбер", full_name="ПАО Сбербанк", inn=SBER, email="old@example.ru",
                  phone="111-11-11", curator=user)
    before = checksum()
    run = imported(user, [*_rows(5), ["ПАО «Сбер»", "", "222-22-22", "new@example.ru", SBER, "", "Важный"]], "inn")
    assert (run.created, run.updated) == (5, 1) and checksum() != before
    # when
    run = import_undo(acting_user=user, import_id=run.pk)
    # then
    assert run.state == Import.State.UNDONE and checksum() == before
    assert AuditEvent.objects.filter(event="imports.import.undo", target_id=run.pk).count() == 1


@pytest.mark.feature("IMP-04")
@pytest.mark.parametrize("touch", ["task", "event", "card"])
def test_undo_refuses_and_lists_the_clients_touched_since_and_changes_nothing(touch):
    # given an import, then a task, an event or a card save on one of its clients
    user = importer()
    updated = ClientFactory(short_name="Сбер", inn=SBER, email="old@example.ru", curator=user)
    run = imported(user, [*_rows(4), ["Сбер", "", "", "new@example.ru", SBER, "", ""]], "inn")
    created = Client.objects.get(short_name="ООО «Клиент 2»")
    if touch == "task":
        TaskFactory(client=created, author=user)
    elif touch == "event":
        EventFactory(client=created, author=user)
    else:
        client_update(acting_user=user, client=updated, values={"website": "sber.ru"})
    before = checksum()
    # when / then
    with pytest.raises(Refused) as refused:
        import_undo(acting_user=user, import_id=run.pk)
    shown = created if touch != "card" else updated
    assert f"{shown.code} · {shown.short_name}" in str(refused.value)
    assert str(refused.value).startswith("The import cannot be undone: 1 client was changed since")
    assert checksum() == before
    run.refresh_from_db()
    assert run.state == Import.State.DONE


@pytest.mark.feature("IMP-04")
def test_a_client_touched_while_the_undo_runs_is_kept_and_named_and_the_undo_still_finishes(monkeypatch):
    # given an import of 7 clients (3 batches), and an event about the last one written while the first batch goes
    user = importer()
    run = imported(user, _rows(7))
    last = Client.objects.get(short_name="ООО «Клиент 7»")
    remove = client_imports.clients_import_remove
    touched = []

    def meanwhile(**kwargs: Any) -> int:
        if not touched:
            touched.append(EventFactory(client=last, author=user))
        return remove(**kwargs)

    monkeypatch.setattr(client_imports, "clients_import_remove", meanwhile)
    saved: list[dict[str, Any]] = []
    # when
    run = import_undo(acting_user=user, import_id=run.pk, checkpoint=saved.append)
    # then every other client is taken back, the touched one is left as it is and named: nothing half-done
    assert run.state == Import.State.UNDONE
    assert list(Client.objects.all()) == [last] and Event.objects.count() == 1
    assert [item["client"] for item in run.kept] == [last.pk] and run.kept[0]["reason"]
    assert ImportRow.objects.filter(run=run, written__isnull=False).count() == 1
    assert [state["begun"] for state in saved] == [True, True, True]
    assert AuditEvent.objects.get(event="imports.import.undo", target_id=run.pk).extra == {"kept": 1}


@pytest.mark.feature("IMP-04")
def test_an_undo_cut_short_goes_on_from_its_checkpoint_without_refusing(monkeypatch):
    # given an undo whose worker died after its first batch, then a task about a client not yet taken back
    user = importer()
    run = imported(user, _rows(7))
    saved: list[dict[str, Any]] = []

    def dies(**kwargs: Any) -> int:
        if saved:
            raise SystemExit("the worker dies")
        return remove(**kwargs)

    remove = client_imports.clients_import_remove
    monkeypatch.setattr(client_imports, "clients_import_remove", dies)
    with pytest.raises(SystemExit):
        import_undo(acting_user=user, import_id=run.pk, checkpoint=saved.append)
    monkeypatch.setattr(client_imports, "clients_import_remove", remove)
    assert Client.objects.count() == 4
    last = Client.objects.get(short_name="ООО «Клиент 7»")
    TaskFactory(client=last, author=user)
    # when a run again starts from the checkpoint (a first run would be refused)
    with pytest.raises(Refused):
        import_undo(acting_user=user, import_id=run.pk)
    run = import_undo(acting_user=user, import_id=run.pk, resume=saved[-1])
    # then it finishes, keeping and naming the touched client
    assert run.state == Import.State.UNDONE
    assert list(Client.objects.all()) == [last] and [item["client"] for item in run.kept] == [last.pk]


@pytest.mark.feature("IMP-04")
def test_undo_goes_through_when_the_clients_rows_are_elsewhere_positive_control():
    # given an import, and a task and an event about a client it did not write
    user = importer()
    other = ClientFactory(short_name="Другой", curator=user)
    run = imported(user, _rows(4))
    TaskFactory(client=other, author=user)
    EventFactory(client=other, author=user)
    # when
    run = import_undo(acting_user=user, import_id=run.pk)
    # then
    assert run.state == Import.State.UNDONE
    assert list(Client.objects.all()) == [other] and Task.objects.count() == Event.objects.count() == 1


def test_undo_before_the_end_and_twice_is_refused():
    # given
    user = importer()
    run = checked(user, _rows(2))
    # when / then
    with pytest.raises(Refused, match=r"Only a finished import can be undone\."):
        import_undo(acting_user=user, import_id=run.pk)
    with pytest.raises(Refused, match="Check the import first"):
        import_start(acting_user=user, import_id=loaded(user, _rows(1)).pk)


@pytest.mark.feature("IMP-03")
def test_a_second_run_without_the_checkpoint_passes_over_the_rows_written():
    # given a run that died after its second batch, its checkpoint lost
    user = importer()
    run = import_start(acting_user=user, import_id=checked(user, _rows(8)).pk)

    def dies(done: int, total: int | None = None, message: str = "") -> None:
        if done >= 6:
            raise SystemExit("the worker dies")

    with pytest.raises(SystemExit):
        import_write(import_id=run.pk, progress=dies)
    # when another run starts from the beginning, and a message delivered again after the end
    import_write(import_id=run.pk)
    import_write(import_id=run.pk)
    # then
    assert Client.objects.count() == 8


@pytest.mark.feature("IMP-03")
def test_an_import_cancelled_before_its_job_ran_is_cancelled_with_nothing_written():
    # given
    user = importer()
    before = checksum()
    run = import_start(acting_user=user, import_id=checked(user, _rows(4)).pk)
    # when
    run = import_cancel(acting_user=user, import_id=run.pk)
    # then
    assert run.state == Import.State.CANCELLED and Job.objects.get(pk=run.job_id).status == "cancelled"
    assert job_run(job_id=run.job_id).status == "cancelled"  # type: ignore[union-attr]
    assert checksum() == before
