"""The card's Files tab: folders, upload/download, rename/move/delete, totals, access (FIL-01 … FIL-04, ACL-03)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from kontora.clients.models import Client, ClientFile, ClientFolder, ClientGrant
from kontora.clients.selectors import files as file_selectors
from kontora.clients.services import files as file_services
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.clients.support import attach_file, make_private
from tests.support.http import signed_in
from tests.support.queries import assert_flat_queries

pytestmark = pytest.mark.usefixtures("files_home")


def upload(browser: Any, client: Client, name: str, data: bytes, folder: ClientFolder | None = None) -> Any:
    return browser.post(f"/clients/{client.pk}/files/upload/", {
        "file": SimpleUploadedFile(name, data), "folder": folder.pk if folder else "",
    })


@pytest.mark.feature("FIL-01")
def test_folders_nest_three_deep_and_show_in_the_tree(curator: Any, client_card: Client) -> None:
    # given a signed-in curator
    browser = signed_in(curator)
    # when they create a folder, a folder inside it and one more inside that
    parent = None
    for name in ("Договоры", "2026", "Март"):
        response = browser.post(f"/clients/{client_card.pk}/files/folders/new/",
                                {"name": name, "folder": parent.pk if parent else ""})
        assert response.status_code == 200
        parent = ClientFolder.objects.get(client=client_card, name=name)
    # then the chain is three levels deep and the tree lists all three, nested
    assert parent is not None and [f.name for f in file_selectors.folder_path(parent)] == ["Договоры", "2026", "Март"]
    tree = file_selectors.folder_tree(client_card)
    assert [(node.folder.name, node.depth) for node in tree] == [("Договоры", 0), ("2026", 1), ("Март", 2)]
    page = browser.get(f"/clients/{client_card.pk}/files/?folder={parent.pk}").content.decode()
    assert "Все файлы / Договоры / 2026 / Март" in page


@pytest.mark.feature("FIL-01")
@pytest.mark.parametrize("bad", ["", "  ", ".", "..", "a\x07b"])
def test_bad_folder_names_are_refused_next_to_the_field(curator: Any, client_card: Client, bad: str) -> None:
    # given a signed-in curator
    browser = signed_in(curator)
    # when they try to create a folder with a bad name
    page = browser.post(f"/clients/{client_card.pk}/files/folders/new/", {"name": bad}).content.decode()
    # then nothing is created and the message stands next to the name field
    assert not ClientFolder.objects.exists()
    assert 'data-testid="files-folder-error"' in page
    message = "Имя не должно содержать управляющих символов." if "\x07" in bad else "Введите имя."
    assert message in page


@pytest.mark.feature("FIL-01")
@pytest.mark.feature("FIL-02")
def test_upload_and_download_round_trip_with_cyrillic_name(curator: Any, client_card: Client,
                                                           files_home: Path) -> None:
    # given a signed-in curator and a folder
    browser = signed_in(curator)
    folder = ClientFolder.objects.create(client=client_card, name="Сканы")
    data = bytes(range(256)) * 40
    # when they upload a file with a Cyrillic name into the folder
    page = upload(browser, client_card, "Договор №1.pdf", data, folder).content.decode()
    # then it is listed and stored under a uuid path inside the client's folder
    attached = ClientFile.objects.get()
    assert "Договор №1.pdf" in page
    assert (attached.name, attached.size, attached.folder, attached.uploaded_by) == (
        "Договор №1.pdf", len(data), folder, curator)
    assert attached.content.name.startswith(f"clients/{client_card.pk}/") and "Договор" not in attached.content.name
    assert (files_home / attached.content.name).read_bytes() == data
    # when they download it
    response = browser.get(f"/clients/{client_card.pk}/files/{attached.pk}/download/")
    # then the same bytes come back as an attachment with the RFC 5987 name, never sniffed
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote('Договор №1.pdf')}"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/octet-stream"


@pytest.mark.feature("FIL-02")
def test_html_is_downloaded_never_shown_inline(curator: Any, client_card: Client) -> None:
    # given an uploaded HTML page
    attached = attach_file(curator, client_card, "page.html", b"<script>alert(1)</script>")
    # when it is downloaded
    response = signed_in(curator).get(f"/clients/{client_card.pk}/files/{attached.pk}/download/")
    # then it is an opaque attachment
    assert response["Content-Disposition"] == 'attachment; filename="page.html"'
    assert response["Content-Type"] == "application/octet-stream"


@pytest.mark.feature("FIL-01")
def test_upload_over_the_limit_is_refused_and_nothing_stored(curator: Any, client_card: Client, settings: Any,
                                                             files_home: Path) -> None:
    # given a limit of 1 MB
    settings.FILE_UPLOAD_MAX_BYTES = 1024 * 1024
    # when a file one byte over it is uploaded
    page = upload(signed_in(curator), client_card, "big.bin", b"x" * (1024 * 1024 + 1)).content.decode()
    # then the message stands next to the field and nothing is stored
    assert "Файл слишком большой: можно прикрепить не более 1 МБ." in page
    assert 'data-testid="files-upload-error"' in page
    assert not ClientFile.objects.exists()
    assert not [path for path in files_home.rglob("*") if path.is_file()]
    client_card.refresh_from_db()
    assert client_card.has_files is False


@pytest.mark.feature("FIL-02")
def test_rename_file_and_folder_in_place(curator: Any, client_card: Client) -> None:
    # given a file in a folder
    browser = signed_in(curator)
    folder = ClientFolder.objects.create(client=client_card, name="Старая")
    attached = attach_file(curator, client_card, "a.txt", b"1", folder)
    # when the inline rename form is asked for (F2)
    form = browser.get(f"/clients/{client_card.pk}/files/{attached.pk}/rename/").content.decode()
    # then it holds the current name
    assert 'value="a.txt"' in form and 'data-testid="files-rename-input"' in form
    # when both are renamed
    browser.post(f"/clients/{client_card.pk}/files/{attached.pk}/rename/", {"name": "Счёт.txt"})
    browser.post(f"/clients/{client_card.pk}/files/folders/{folder.pk}/rename/", {"name": "Новая"})
    # then the new names are kept
    attached.refresh_from_db()
    folder.refresh_from_db()
    assert (attached.name, folder.name) == ("Счёт.txt", "Новая")
    # when a name made only of a path is posted
    page = browser.post(f"/clients/{client_card.pk}/files/{attached.pk}/rename/", {"name": ".."}).content.decode()
    # then it is refused next to the field
    assert "Введите имя." in page and 'data-testid="files-rename-error"' in page
    attached.refresh_from_db()
    assert attached.name == "Счёт.txt"


@pytest.mark.feature("FIL-02")
def test_properties_and_move_to_another_folder(curator: Any, client_card: Client) -> None:
    # given a file at the top and a folder
    browser = signed_in(curator)
    folder = ClientFolder.objects.create(client=client_card, name="Архив")
    attached = attach_file(curator, client_card, "отчёт.txt", b"12345")
    # when its properties are opened
    page = browser.get(f"/clients/{client_card.pk}/files/{attached.pk}/").content.decode()
    # then size, type and who uploaded it are shown
    assert "5 байт" in page and "text/plain" in page and "Куратор Кураторов" in page
    # when it is moved into the folder
    browser.post(f"/clients/{client_card.pk}/files/{attached.pk}/move/", {"target": folder.pk})
    # then it lives there
    attached.refresh_from_db()
    assert attached.folder == folder
    # when a folder of another client is given as the target
    other = ClientFolder.objects.create(client=ClientFactory(curator=curator, short_name="Другой"), name="Чужая")
    response = browser.post(f"/clients/{client_card.pk}/files/{attached.pk}/move/", {"target": other.pk})
    # then it is not found and the file stays
    assert response.status_code == 404
    attached.refresh_from_db()
    assert attached.folder == folder


@pytest.mark.feature("FIL-01")
@pytest.mark.feature("FIL-03")
def test_delete_file_and_folder_subtree_removes_storage(curator: Any, client_card: Client, files_home: Path,
                                                        django_capture_on_commit_callbacks: Any) -> None:
    # given a file at the top and two in a nested folder
    browser = signed_in(curator)
    top = attach_file(curator, client_card, "top.txt", b"1")
    outer = ClientFolder.objects.create(client=client_card, name="Внешняя")
    inner = ClientFolder.objects.create(client=client_card, parent=outer, name="Внутренняя")
    nested = [attach_file(curator, client_card, "a.txt", b"a", outer),
              attach_file(curator, client_card, "b.txt", b"b", inner)]
    client_card.refresh_from_db()
    assert client_card.has_files is True
    # when the outer folder is deleted
    with django_capture_on_commit_callbacks(execute=True):
        browser.post(f"/clients/{client_card.pk}/files/folders/{outer.pk}/delete/")
    # then its subtree and their stored contents are gone; the top file stays
    assert list(ClientFolder.objects.all()) == []
    assert list(ClientFile.objects.all()) == [top]
    assert all(not (files_home / f.content.name).exists() for f in nested)
    client_card.refresh_from_db()
    assert client_card.has_files is True
    # when the last file is deleted
    with django_capture_on_commit_callbacks(execute=True):
        browser.post(f"/clients/{client_card.pk}/files/{top.pk}/delete/")
    # then the registry icon flag is cleared and storage is empty
    client_card.refresh_from_db()
    assert client_card.has_files is False
    assert not default_storage.exists(top.content.name)


@pytest.mark.feature("FIL-03")
def test_has_files_set_on_first_upload(curator: Any, client_card: Client) -> None:
    # given a client without files
    assert client_card.has_files is False
    # when the first file is uploaded
    upload(signed_in(curator), client_card, "a.txt", b"a")
    # then the registry's attachments flag is on
    client_card.refresh_from_db()
    assert client_card.has_files is True


@pytest.mark.feature("FIL-02")
def test_total_size_of_all_attachments(curator: Any, client_card: Client) -> None:
    # given three files of 0.5 MB in different folders
    folder = ClientFolder.objects.create(client=client_card, name="Папка")
    for index in range(3):
        attach_file(curator, client_card, f"{index}.bin", b"x" * (512 * 1024), folder if index else None)
    # when Ctrl+I asks for the total
    page = signed_in(curator).get(f"/clients/{client_card.pk}/files/total/").content.decode()
    # then all files are counted
    assert "Всего 3 файла, 1,5\xa0МБ" in page


@pytest.mark.feature("FIL-02")
def test_the_total_under_a_megabyte_is_told_in_kilobytes(curator: Any, client_card: Client) -> None:
    # given one file of 293 KB
    attach_file(curator, client_card, "скан.pdf", b"x" * (293 * 1024), None)
    # when Ctrl+I asks for the total
    page = signed_in(curator).get(f"/clients/{client_card.pk}/files/total/").content.decode()
    # then it is told in kilobytes, not as «0,3 МБ»
    assert "Всего 1 файл, 293,0\xa0КБ" in page


FILE_URLS = [
    ("get", "/clients/{c}/files/"), ("get", "/clients/{c}/files/total/"),
    ("get", "/clients/{c}/files/{f}/"), ("get", "/clients/{c}/files/{f}/download/"),
    ("get", "/clients/{c}/files/{f}/rename/"), ("post", "/clients/{c}/files/{f}/rename/"),
    ("post", "/clients/{c}/files/{f}/move/"), ("post", "/clients/{c}/files/{f}/delete/"),
    ("post", "/clients/{c}/files/upload/"), ("post", "/clients/{c}/files/folders/new/"),
    ("get", "/clients/{c}/files/folders/{d}/"), ("post", "/clients/{c}/files/folders/{d}/rename/"),
    ("post", "/clients/{c}/files/folders/{d}/delete/"),
]


@pytest.mark.feature("ACL-03")
@pytest.mark.feature("FIL-01")
def test_private_client_files_are_404_for_everyone_else_admins_included(curator: Any, client_card: Client,
                                                                        admin_user: Any) -> None:
    # given a private client of another curator with a file and a folder
    make_private(client_card)
    folder = ClientFolder.objects.create(client=client_card, name="Тайное")
    attached = attach_file(curator, client_card, "secret.txt", b"secret", folder)
    for user in (admin_user, UserFactory(login="other", client_scope="full")):
        browser = signed_in(user)
        for method, url in FILE_URLS:
            # when they reach any files URL of that client
            response = getattr(browser, method)(url.format(c=client_card.pk, f=attached.pk, d=folder.pk))
            # then it does not exist for them
            assert response.status_code == 404, (user.login, method, url)
    assert ClientFile.objects.get().name == "secret.txt" and ClientFolder.objects.get().name == "Тайное"


@pytest.mark.feature("FIL-02")
def test_view_only_user_downloads_but_cannot_change(curator: Any, client_card: Client) -> None:
    # given a user granted view-only access
    viewer = UserFactory(login="viewer", client_scope="own")
    ClientGrant.objects.create(client=client_card, user=viewer, can_edit=False)
    folder = ClientFolder.objects.create(client=client_card, name="Папка")
    attached = attach_file(curator, client_card, "a.txt", b"data", folder)
    browser = signed_in(viewer)
    # when they open the tab and download
    page = browser.get(f"/clients/{client_card.pk}/files/").content.decode()
    response = browser.get(f"/clients/{client_card.pk}/files/{attached.pk}/download/")
    # then they see and get the file, without the change controls
    assert "Папка" in page
    assert 'data-testid="files-upload"' not in page and 'data-testid="files-rename"' not in page
    assert b"".join(response.streaming_content) == b"data"
    # when they try any change
    for method, url in FILE_URLS:
        if method == "post" or url.endswith("/rename/"):
            status = getattr(browser, method)(url.format(c=client_card.pk, f=attached.pk, d=folder.pk)).status_code
            # then it is forbidden
            assert status == 403, url
    assert ClientFile.objects.get().name == "a.txt"


@pytest.mark.feature("FIL-01")
def test_card_shows_files_tab_only_for_saved_clients(curator: Any, client_card: Client) -> None:
    # given a signed-in curator
    browser = signed_in(curator)
    # when they open a saved card and a new one
    saved = browser.get(f"/clients/{client_card.pk}/").content.decode()
    new = browser.get("/clients/new/").content.decode()
    # then only the saved card has the Files tab loading the panel
    assert 'data-testid="tab-files"' in saved and f'hx-get="/clients/{client_card.pk}/files/"' in saved
    assert 'data-testid="tab-files"' not in new


@pytest.mark.feature("FIL-01")
def test_folder_moves_with_its_content_but_never_into_its_own_subtree(curator: Any, client_card: Client) -> None:
    browser = signed_in(curator)
    contracts = file_services.folder_create(acting_user=curator, client=client_card, parent=None, name="Договоры")
    year = file_services.folder_create(acting_user=curator, client=client_card, parent=contracts, name="2026")
    archive = file_services.folder_create(acting_user=curator, client=client_card, parent=None, name="Архив")
    attach_file(curator, client_card, "акт.pdf", b"x", folder=year)

    # moving "Договоры" into its own subfolder is refused with the reason, nothing moves
    refused = browser.post(f"/clients/{client_card.pk}/files/folders/{contracts.pk}/move/", {"target": year.pk})
    assert "Нельзя переместить папку в саму себя или в её вложенную папку." in refused.content.decode()
    contracts.refresh_from_db()
    assert contracts.parent is None

    # moving it into "Архив" takes the subfolder and its file along
    browser.post(f"/clients/{client_card.pk}/files/folders/{contracts.pk}/move/", {"target": archive.pk})
    contracts.refresh_from_db()
    assert contracts.parent == archive
    assert file_selectors.folder_totals(archive) == (1, 1)


@pytest.mark.feature("FIL-01")
def test_upload_declared_over_the_limit_is_refused_before_the_body_is_read(
    curator: Any, client_card: Client, settings: Any, tmp_path: Any,
) -> None:
    settings.FILE_UPLOAD_MAX_BYTES = 1024 * 1024
    spool = tmp_path / "spool"
    spool.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(spool)
    browser = signed_in(curator)

    response = upload(browser, client_card, "big.bin", b"\0" * (1024 * 1024 + 128 * 1024))

    assert "Файл слишком большой" in response.content.decode()
    assert not ClientFile.objects.filter(client=client_card).exists()
    assert list(spool.iterdir()) == []  # nothing was spooled to a temporary file


@pytest.mark.feature("FIL-01")
def test_the_files_panel_reads_as_many_queries_with_twenty_files_and_folders_as_with_one(
    curator: Any, client_card: Client,
) -> None:
    # given a card with one folder and one file, then twenty of each, each file uploaded by another user
    def add(number: int) -> None:
        ClientFolder.objects.create(client=client_card, name=f"Папка {number:02d}")
        ClientFile.objects.create(client=client_card, name=f"файл-{number:02d}.txt", content=f"clients/x/{number}",
                                  size=number, uploaded_by=UserFactory())

    # when the panel is read / then it lists them all with the same number of queries
    browser = signed_in(curator)
    page = assert_flat_queries(lambda: browser.get(f"/clients/{client_card.pk}/files/").content.decode(), add)
    assert all(f"файл-{number:02d}.txt" in page and f"Папка {number:02d}" in page for number in range(20))
