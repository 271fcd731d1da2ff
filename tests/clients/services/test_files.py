"""The Files tab's services (FIL-01 … FIL-04): names, the backup of the files, and the audit row of each write."""

from __future__ import annotations

import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from kontora.clients.models import Client
from kontora.clients.services import files as file_services
from kontora.core import backup as backups
from tests.clients.support import attach_file, card_history

pytestmark = pytest.mark.usefixtures("files_home")


@pytest.mark.feature("FIL-01")
def test_path_components_are_stripped_from_names() -> None:
    # given names with directories in them / when cleaned / then only the last component is kept
    assert file_services.clean_name("../../etc/passwd") == "passwd"
    assert file_services.clean_name("C:\\Users\\Иван\\счёт.pdf") == "счёт.pdf"
    with pytest.raises(ValidationError):
        file_services.clean_name("dir/..")


@pytest.mark.feature("FIL-04")
@pytest.mark.django_db(transaction=True)  # the backup's snapshot sees committed rows only
def test_backup_archive_contains_uploaded_client_file(curator: Any, client_card: Client, tmp_path: Path) -> None:
    # given an uploaded file
    data = "Договор поставки\n".encode()
    attached = attach_file(curator, client_card, "договор.txt", data)
    # when a backup is made
    archive = backups.backup_create(to=tmp_path / "backups")
    # then the archive holds the file's content under the files folder
    with tarfile.open(archive) as tar:
        member = tar.extractfile(backups.FILES_PREFIX + attached.content.name)
        assert member is not None
        assert member.read() == data


@pytest.mark.feature("CLI-12")
def test_attaching_renaming_and_deleting_files_is_in_the_card_history(curator: Any, client_card: Client) -> None:
    attached = attach_file(curator, client_card, "счёт.pdf", b"1")
    file_services.file_rename(acting_user=curator, attached=attached, name="счёт-1.pdf")
    file_services.file_delete(acting_user=curator, attached=attached)

    actions = list(card_history(client_card).order_by("id").values_list("summary", flat=True))
    assert actions[-3:] == ["Файл прикреплён: счёт.pdf", "Файл переименован", "Файл удалён: счёт-1.pdf"]


@pytest.mark.feature("CLI-12")
@pytest.mark.feature("FIL-01")
def test_every_folder_and_file_write_leaves_its_audit_row(curator: Any, client_card: Client) -> None:
    # given a card
    services = file_services
    # when a folder is made, renamed, moved; a file attached, moved, renamed; the folder deleted with it
    contracts = services.folder_create(acting_user=curator, client=client_card, parent=None, name="Договоры")
    archive = services.folder_create(acting_user=curator, client=client_card, parent=None, name="Архив")
    services.folder_rename(acting_user=curator, folder=contracts, name="Договоры 2026")
    services.folder_rename(acting_user=curator, folder=contracts, name="Договоры 2026")  # no change, no row
    services.folder_move(acting_user=curator, folder=contracts, parent=archive)
    attached = attach_file(curator, client_card, "акт.pdf", b"x")
    services.file_move(acting_user=curator, attached=attached, folder=contracts)
    services.folder_delete(acting_user=curator, folder=archive)

    # then each write left one row about the card, by the curator, on what it touched
    rows = list(card_history(client_card).order_by("id"))
    assert [(row.event, row.summary, row.target_type) for row in rows] == [
        ("clients.folder.create", "Папка «Договоры» создана.", "clients.clientfolder"),
        ("clients.folder.create", "Папка «Архив» создана.", "clients.clientfolder"),
        ("clients.folder.rename", "Папка переименована", "clients.clientfolder"),
        ("clients.folder.move", "Папка «Договоры 2026» перемещена.", "clients.clientfolder"),
        ("clients.file.upload", "Файл прикреплён: акт.pdf", "clients.clientfile"),
        ("clients.file.move", "Файл перемещён: акт.pdf", "clients.clientfile"),
        ("clients.folder.delete", "Удалена папка «Архив» с файлами (1)", "clients.clientfolder"),
    ]
    assert {row.actor for row in rows} == {curator}
    assert rows[2].changes == [{"field": "Наименование", "old": "Договоры", "new": "Договоры 2026"}]
