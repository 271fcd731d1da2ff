"""Help → Guide (SYS-09): docs/guide drawn in the program, its pictures, its search, and F1's target on every page."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.test import Client
from django.utils.http import http_date

from tests.support.http import html

GUIDE = Path(settings.GUIDE_DIR)


def _body(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return html(response)


@pytest.mark.feature("SYS-09")
def test_help_menu_opens_the_guide_index_with_its_contents_and_search_box(manager_client):
    # when
    menu = _body(manager_client, "/help/about/")
    index = _body(manager_client, "/help/guide/")
    # then the Help menu has «Руководство» with its key, and the index is README.md with every page listed
    assert re.search(r'href="/help/guide/"><span>Руководство</span><kbd class="ms-3 small">F1</kbd>', menu)
    assert '<h1 id="kontora--руководство-пользователя">Kontora — руководство пользователя</h1>' in index
    assert '<a href="/help/guide/clients-registry/">Реестр клиентов</a>' in index
    contents = re.search(r'data-testid="guide-contents">(.*?)</ul>', index, re.DOTALL)
    assert contents is not None
    listed = re.findall(r'href="/help/guide/([a-z0-9-]+)/"', contents.group(1))
    assert sorted(listed) == sorted(path.stem for path in GUIDE.glob("*.md") if path.stem != "README")
    assert 'name="q"' in index and 'action="/help/guide/search/"' in index


@pytest.mark.feature("SYS-09")
def test_a_page_has_heading_anchors_rewritten_links_and_served_pictures(manager_client):
    # when
    page = _body(manager_client, "/help/guide/users/")
    # then headings carry their anchors, links to pages of the guide go to the program's URLs, pictures to its view
    assert '<h1 id="пользователи-роли-и-права">Пользователи, роли и права</h1>' in page
    assert '<h2 id="смена-пароля">Смена пароля</h2>' in page
    assert 'href="/help/guide/client-access/#приватные-клиенты-и-администратор-что-гарантировано"' in page
    assert re.search(r'src="/help/guide/img/users-list.png" alt="[^"]+" width="\d+" height="\d+"', page)
    assert ".md" not in "".join(re.findall(r'href="([^"]*)"', page))
    assert 'aria-current="page" class="fw-semibold">Пользователи, роли и права</a>' in page


@pytest.mark.feature("SYS-09")
def test_a_picture_is_served_with_a_cache_header_and_not_sent_again_unchanged(manager_client):
    # when
    response = manager_client.get("/help/guide/img/registry.png")
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == (GUIDE / "img" / "registry.png").read_bytes()
    assert "max-age=86400" in response["Cache-Control"] and "private" in response["Cache-Control"]
    # when asked again with the date it was given
    again = manager_client.get("/help/guide/img/registry.png", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    # then
    assert again.status_code == 304
    older = http_date((GUIDE / "img" / "registry.png").stat().st_mtime - 3600)
    assert manager_client.get("/help/guide/img/registry.png", HTTP_IF_MODIFIED_SINCE=older).status_code == 200


@pytest.mark.feature("SYS-09")
@pytest.mark.parametrize("url", [
    "/help/guide/img/../README.md",
    "/help/guide/img/..%2fREADME.md",
    "/help/guide/img/%2e%2e/%2e%2e/%2e%2e/kontora/settings.py",
    "/help/guide/img/..%2f..%2f..%2fpyproject.toml",
    "/help/guide/img//etc/passwd",
    "/help/guide/img/%2fetc%2fpasswd",
    "/help/guide/img/..%5c..%5cREADME.md",
    "/help/guide/img/registry.png%00.txt",
    "/help/guide/img/missing.png",
    "/help/guide/img/sub/registry.png",
])
def test_only_pictures_right_inside_img_are_served(manager_client, url):
    # (a positive control: a picture that is there is served)
    assert manager_client.get("/help/guide/img/registry.png").status_code == 200
    # when / then
    assert manager_client.get(url).status_code in (400, 404)


@pytest.mark.feature("SYS-09")
def test_a_link_inside_img_to_a_file_outside_it_is_not_followed(manager_client, settings, tmp_path):
    # given a copy of the guide whose img/ holds a link to a file outside it, and a real picture
    guide = tmp_path / "guide"
    (guide / "img").mkdir(parents=True)
    shutil.copy(GUIDE / "README.md", guide / "README.md")
    shutil.copy(GUIDE / "img" / "registry.png", guide / "img" / "registry.png")
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"not for the browser")
    (guide / "img" / "outside.png").symlink_to(secret)
    settings.GUIDE_DIR = guide
    # when / then
    assert manager_client.get("/help/guide/img/registry.png").status_code == 200
    assert manager_client.get("/help/guide/img/outside.png").status_code == 404


@pytest.mark.feature("SYS-09")
@pytest.mark.parametrize("url", ["/help/guide/no-such-page/", "/help/guide/README/", "/help/guide/Users/",
                                 "/help/guide/..%2fREADME/", "/help/guide/img/"])
def test_an_unknown_page_is_not_found(manager_client, url):
    # (a positive control)
    assert manager_client.get("/help/guide/users/").status_code == 200
    # when / then
    assert manager_client.get(url).status_code == 404


@pytest.mark.feature("SYS-09")
def test_the_guide_without_its_files_says_so(manager_client, settings, tmp_path):
    # given
    settings.GUIDE_DIR = tmp_path / "absent"
    # when
    response = manager_client.get("/help/guide/")
    # then
    assert response.status_code == 200
    assert "Файлов руководства нет в папке программы." in html(response)
    assert manager_client.get("/help/guide/users/").status_code == 404


@pytest.mark.feature("SYS-09")
def test_search_finds_the_sections_holding_all_words_and_marks_them(manager_client):
    # when: word forms other than the guide's («резервной копии» — «Резервная копия»), any case
    page = _body(manager_client, "/help/guide/search/?q=РЕЗЕРВНОЙ+копии")
    # then the section is found, linked at its anchor, with its heading and snippet marked
    hits = re.findall(r'data-testid="guide-hit">\s*<a href="([^"]+)"', page)
    assert "/help/guide/backup/#резервная-копия-из-программы" in hits
    assert '<a href="/help/guide/backup/#резервная-копия-из-программы" class="fw-semibold"><mark>Резервная</mark> ' \
           '<mark>копия</mark> из программы</a>' in page
    assert "<mark>Резервные</mark> <mark>копии</mark>" in page
    assert 'value="РЕЗЕРВНОЙ копии"' in page


@pytest.mark.feature("SYS-09")
def test_search_does_not_tell_yo_from_ye_and_needs_every_word(manager_client):
    # when
    yo = _body(manager_client, "/help/guide/search/?q=ёлка")
    ye = _body(manager_client, "/help/guide/search/?q=елка+искусственная")
    neither = _body(manager_client, "/help/guide/search/?q=елка+рекламации")
    # then
    assert "/help/guide/nomenclature/#поиск" in yo and "<mark>Ёлка</mark>" in yo
    assert "/help/guide/nomenclature/#поиск" in ye and "<mark>Ёлка</mark> <mark>искусственная</mark>" in ye
    assert 'data-testid="guide-hit"' not in neither
    assert "В руководстве нет раздела, в котором есть все эти слова." in neither


@pytest.mark.feature("SYS-09")
def test_search_escapes_what_was_typed_and_what_it_found(manager_client):
    # given
    hostile = '<img src=x onerror=alert(1)> "><script>alert(2)</script>'
    # when
    nothing = _body(manager_client, "/help/guide/search/?" + urlencode({"q": hostile}))
    found = _body(manager_client, "/help/guide/search/?q=рассылка+e-mail+sms")
    # then the text typed comes back only escaped, in the box
    assert "<img src=x" not in nothing and "<script>alert" not in nothing
    assert 'value="&lt;img src=x onerror=alert(1)&gt; &quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;"' in nothing
    assert "В руководстве нет раздела, в котором есть все эти слова." in nothing
    # and the guide's own text is escaped around the marks
    assert ('<mark>Рассылка</mark> <mark>E</mark>-<mark>Mail</mark> &amp; <mark>SMS</mark>') in found


@pytest.mark.feature("SYS-09")
def test_an_empty_search_asks_for_words(manager_client):
    page = _body(manager_client, "/help/guide/search/?q=+%21%21+")
    assert "Введите слова для поиска" in page
    assert 'data-testid="guide-hit"' not in page


@pytest.mark.feature("SYS-09")
@pytest.mark.parametrize("url", ["/help/guide/", "/help/guide/users/", "/help/guide/search/?q=копия",
                                 "/help/guide/img/registry.png"])
def test_the_guide_is_for_signed_in_users(client, manager_client, url):
    # when
    anonymous = client.get(url)
    # then
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/?next=")
    assert manager_client.get(url).status_code == 200


@pytest.mark.feature("SYS-09")
def test_every_page_names_its_guide_section_for_f1(manager_client):
    # when
    registry = _body(manager_client, "/")
    about = _body(manager_client, "/help/about/")
    shortcuts = _body(manager_client, "/help/shortcuts/")
    # then
    assert 'data-k-help="/help/guide/clients-registry/"' in registry
    assert 'data-k-help="/help/guide/main-window/#справка--о-программе"' in about
    assert "<td><kbd>F1</kbd></td><td>Открыть руководство пользователя на разделе об этом окне</td>" in shortcuts


def test_the_sign_in_page_names_no_guide_section(client, db):
    # (F1 opens the guide, which needs a signed-in user; a positive control is the test above)
    assert "data-k-help" not in html(client.get("/login/"))
