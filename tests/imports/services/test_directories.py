"""The status and curator a file names, and its contact persons, taken through the dry run, the write and the undo
(IMP-03, IMP-04; issue 17): a row's own status wins over the one chosen for all rows, a matched client shows its
status and curator old → new and gets the row's contact person (or its namesake's empty fields filled), the card's
curator rule refuses a row, and undo restores the base exactly, contacts and phone keys included."""

from __future__ import annotations

from typing import Any

import pytest

from kontora.accounts.models import ClientScope
from kontora.clients.models import Client, ContactPerson, PhoneKey
from kontora.clients.services.phones import contact_phones_keep
from kontora.core.services.jobs import job_run
from kontora.directories.models import ClientStatus
from kontora.imports.models import Import, ImportRow
from kontora.imports.selectors.cleaning import Options
from kontora.imports.services.checking import import_check
from kontora.imports.services.loading import import_load
from kontora.imports.services.writing import import_start, import_undo
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.imports.support import checksum, csv_upload, importer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "small_batches")]

SBER, GAZPROM = "7707083893", "7736050003"
HEADER = ["Наименование", "ИНН", "Статус", "Куратор", "ФИО контактного лица", "E-mail контактного лица",
          "Должность", "Мобильный"]


def _row(name: str, inn: str = "", status: str = "", curator: str = "", contact: str = "", email: str = "",
         position: str = "", mobile: str = "") -> list[str]:
    return [name, inn, status, curator, contact, email, position, mobile]


def _status(name: str) -> ClientStatus:
    return ClientStatus.objects.create(name=name, name_key=name.lower())


def _checked(user: Any, rows: list[list[str]], match_key: str = "", **options: Any) -> Import:
    # Without the import's note: every matched client would get it, and it is not what these tests are about.
    run = import_load(acting_user=user, source=csv_upload(rows, HEADER), filename="clients.csv",
                      options=Options(import_note=False))
    return import_check(acting_user=user, import_id=run.pk, match_key=match_key, **options)


def _imported(user: Any, rows: list[list[str]], match_key: str = "", **options: Any) -> Import:
    run = import_start(acting_user=user, import_id=_checked(user, rows, match_key, **options).pk)
    job = job_run(job_id=run.job_id)
    assert job is not None and job.status == "done", job.errors if job else None
    run.refresh_from_db()
    return run


def _changes(run: Import, number: int) -> dict[str, tuple[str, str, str]]:
    row = ImportRow.objects.get(run=run, number=number)
    return {change["field"]: (change["label"], change["old"], change["new"]) for change in row.changes}


@pytest.mark.feature("IMP-03")
def test_a_rows_status_and_curator_go_to_the_new_client_and_win_over_the_status_chosen_for_all():
    # given
    user = importer()
    chosen, own = _status("Импортирован"), _status("Постоянный")
    manager = UserFactory(full_name="Петров Пётр", login="petrov")
    # when
    run = _imported(user, [_row("ООО «Свой статус»", status="постоянный", curator="Петров Пётр"),
                           _row("ООО «Общий статус»")], status_id=chosen.pk)
    # then
    assert run.created == 2
    assert dict(Client.objects.values_list("short_name", "status_id")) == {
        "ООО «Свой статус»": own.pk, "ООО «Общий статус»": chosen.pk}
    assert dict(Client.objects.values_list("short_name", "curator_id")) == {
        "ООО «Свой статус»": manager.pk, "ООО «Общий статус»": user.pk}


@pytest.mark.feature("IMP-03")
def test_a_row_naming_a_status_or_curator_the_directories_lack_is_not_imported():
    # given
    user = importer()
    _status("Постоянный")
    # when
    run = _checked(user, [_row("ООО «Ёлка»", status="Постоянный"), _row("ООО «Ель»", status="Новый"),
                          _row("ООО «Сосна»", curator="Сидоров")])
    # then: the positive control is created, the others are errors with the cell's message
    rows = list(ImportRow.objects.filter(run=run).order_by("number"))
    assert [(row.action, row.reason) for row in rows] == [
        ("create", ""),
        ("error", "There is no status “Новый” among the client statuses: type one of the directory's statuses or add "
                  "this one to it."),
        ("error", "There is no working user “Сидоров”: type the full name or the login of a user who is neither "
                  "disabled nor dismissed."),
    ]


@pytest.mark.feature("IMP-03")
def test_a_user_limited_to_own_clients_cannot_import_clients_for_another_curator():
    # given the card's rule: such a user is the curator (or the specialist) of the clients he registers
    user = importer(scope=ClientScope.OWN)
    UserFactory(full_name="Петров Пётр", login="petrov")
    # when
    run = _imported(user, [_row("ООО «Своё»", curator=user.full_name), _row("ООО «Чужое»", curator="petrov")])
    # then
    assert run.created == 1 and Client.objects.get().curator_id == user.pk
    row = ImportRow.objects.get(run=run, number=3)
    assert (row.action, row.reason) == ("error", "You work with your own clients only: be the curator or the "
                                                 "specialist of a client you register.")


@pytest.mark.feature("IMP-04")
def test_the_dry_run_shows_the_status_curator_and_contact_of_a_matched_client_old_to_new():
    # given a client with a status, its curator and no contact person; another with a contact of the row's name
    user = importer()
    old = _status("Новый")
    _status("Постоянный")
    manager = UserFactory(full_name="Петров Пётр", login="petrov")
    ClientFactory(short_name="Сбер", inn=SBER, status=old, curator=user)
    gaz = ClientFactory(short_name="Газ", inn=GAZPROM, curator=user)
    ContactPerson.objects.create(client=gaz, full_name="Миллер Алексей Борисович", position="Председатель")
    before = checksum()
    # when
    run = _checked(user, [
        _row("Сбер", SBER, status="Постоянный", curator="petrov", contact="Иванов Иван Иванович"),
        _row("Газ", GAZPROM, contact="миллер алексей борисович", email="miller@example.ru", position="Директор"),
    ], "inn")
    # then
    assert (run.to_update, checksum()) == (2, before)
    assert _changes(run, 2) == {
        "status_id": ("Status", "Новый", "Постоянный"),
        "curator_id": ("Curator", user.full_name, manager.full_name),
        "main_contact": ("Main contact", "", "Иванов Иван Иванович"),
        "contact": ("Contact person", "", "Иванов Иван Иванович"),
    }
    # the namesake's empty e-mail is filled; its position is kept, not overwritten
    assert _changes(run, 3) == {
        "main_contact": ("Main contact", "", "Миллер Алексей Борисович"),
        "contact.email": ("Contact person Миллер Алексей Борисович: E-mail", "", "miller@example.ru"),
    }


@pytest.mark.feature("IMP-04")
def test_a_matched_client_gets_the_rows_status_curator_and_contacts_and_undo_restores_the_base_exactly():
    # given: one client without contacts, one whose contact of the row's name lacks e-mail and mobile (its office
    # phone has its phone key), one already with the row's contact complete
    user = importer()
    old, new = _status("Новый"), _status("Постоянный")
    manager = UserFactory(full_name="Петров Пётр", login="petrov")
    sber = ClientFactory(short_name="Сбер", inn=SBER, status=old, curator=user)
    gaz = ClientFactory(short_name="Газ", inn=GAZPROM, curator=user)
    miller = ContactPerson.objects.create(client=gaz, full_name="Миллер Алексей Борисович",
                                          phone_office="+7 495 719-30-01", is_main=True)
    contact_phones_keep(miller)
    before = checksum()
    # when
    run = _imported(user, [
        _row("Сбер", SBER, status="Постоянный", curator="petrov", contact="Иванов Иван Иванович",
             email="ivanov@example.ru", position="Бухгалтер", mobile="+7 912 345-67-89"),
        _row("Газ", GAZPROM, contact="Миллер Алексей Борисович", email="miller@example.ru",
             mobile="8 916 000-11-22"),
        _row("ООО «Новое»", contact="Сидорова Анна"),
    ], "inn")
    # then
    assert (run.created, run.updated) == (1, 2)
    sber.refresh_from_db()
    assert (sber.status_id, sber.curator_id) == (new.pk, manager.pk)
    ivanov = ContactPerson.objects.get(client=sber)
    assert (ivanov.full_name, ivanov.email, ivanov.position, ivanov.phone_mobile, ivanov.is_main) == (
        "Иванов Иван Иванович", "ivanov@example.ru", "Бухгалтер", "+7 912 345-67-89", False)
    miller.refresh_from_db()
    assert (miller.email, miller.phone_mobile, miller.phones_digits) == (
        "miller@example.ru", "8 916 000-11-22", "74957193001 89160001122")
    assert set(PhoneKey.objects.filter(client__in=[sber, gaz], contact__isnull=False).values_list(
        "contact_id", "number")) == {(ivanov.pk, "9123456789"), (miller.pk, "4957193001"), (miller.pk, "9160001122")}
    assert ContactPerson.objects.filter(client=gaz).count() == 1
    # when the import is undone
    run = import_undo(acting_user=user, import_id=run.pk)
    # then
    assert run.state == Import.State.UNDONE and checksum() == before


@pytest.mark.feature("IMP-04")
def test_a_contact_the_client_already_has_complete_changes_nothing():
    # given
    user = importer()
    gaz = ClientFactory(short_name="Газ", inn=GAZPROM, curator=user, main_contact="Миллер Алексей Борисович")
    ContactPerson.objects.create(client=gaz, full_name="Миллер Алексей Борисович", email="m@example.ru")
    # when
    run = _checked(user, [_row("Газ", GAZPROM, contact="Миллер Алексей Борисович", email="other@example.ru")], "inn")
    # then
    row = ImportRow.objects.get(run=run)
    assert (row.action, row.reason) == ("skip", "The client already has these values.")
