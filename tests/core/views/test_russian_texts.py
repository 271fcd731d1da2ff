"""The Russian UI reads as Russian (issue 13, item 16): every page, as each role, has no English word outside the
allow-list (`tests.support.texts.ALLOWED`: brands, formats, keys), no «None» for an empty value, no Django's
«---------» as an empty choice, and no word written twice («содержит содержит»).

Two walks, each with the helpers of tests/support: the URL resolver's (`tests.support.hostile.targets`, every named
URL with valid ids over the probe's records: lists, settings, directories, the probe client's card and its tabs),
and the access matrix's crawler (`tests.support.crawler`) over every GET exit, about a company and a person client
of the user's own and every row of them. User data is not checked: every text the database holds is cut out of a
page first (`tests.support.texts.stored_data`), so a login or a product named in Latin letters is not a fault.

SQLite only: the pages are the same templates, forms and catalogue on both databases.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.utils import translation

from kontora.accounts.models import Role
from kontora.clients.models import Client, ClientPersonal
from kontora.core.hooks import EXITS
from kontora.directories.hooks import DIRECTORIES
from tests.accounts.factories import UserFactory
from tests.support.crawler import Visit, crawl
from tests.support.hostile import SUBJECTS, probe_world, targets, walkers
from tests.support.http import signed_in
from tests.support.matrix import SMALL_MATRIX, build_world
from tests.support.texts import russian_problems, stored_data

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="the pages' texts are the same templates and "
                                "catalogue on PostgreSQL; SQLite walks them")


def _page(response: Any) -> str | None:
    """The page's HTML, or None for what is not a page (a file, JSON, a redirect, a refusal)."""
    if response.status_code != 200 or response.streaming:
        return None
    if not response.get("Content-Type", "").startswith("text/html"):
        return None
    return str(response.content.decode("utf-8", errors="replace"))


@pytest.mark.django_db
@pytest.mark.parametrize("subject", SUBJECTS, ids=[role for role, _mode in SUBJECTS])
def test_every_page_reads_as_russian(subject: tuple[str, str], admin_user: Any, files_home: Any) -> None:
    # given the probe's records (every id of a URL names one), a colleague without a position or a department,
    # and a signed-in user of the role, in Russian
    probe_world(admin_user)
    UserFactory(login="newcomer", full_name="Новый Сотрудник")
    [user] = walkers([subject])
    http = signed_in(user)
    data = stored_data()
    problems: list[str] = []
    pages = 0

    # when he opens every URL of the program with valid ids
    for target in targets():
        if not target.valid:
            continue
        response = http.get(target.path)
        if response.status_code == 302 and "/login/" in response.get("Location", ""):
            http = signed_in(user)  # a page ended his sessions: go on
            continue
        page = _page(response)
        if page is None:
            continue
        pages += 1
        problems += [f"{target.name} {target.label}: {problem}".replace("  ", " ")
                     for problem in russian_problems(page, data)]

    # then no page has an English word, «None», «---------» or a doubled word (and the walk saw the pages)
    assert problems == [], "\n".join(problems)
    assert pages > (100 if user.role == Role.ADMIN else 40)


def _russian(data: Any, read: list[str]) -> Any:
    def check(visit: Visit) -> list[str]:
        if visit.status != 200 or "\ufffd" in visit.body:  # a refusal, or a file that is not text
            return []
        read.append(visit.exit.name)
        return [f"{visit.where()}: {problem}" for problem in russian_problems(visit.body, data)]

    return check


@pytest.mark.django_db
@pytest.mark.parametrize("subject", SMALL_MATRIX, ids=[role for role, _mode in SMALL_MATRIX])
def test_every_exit_about_a_company_and_a_person_reads_as_russian(subject: tuple[str, str],
                                                                  files_home: Any) -> None:
    # given the access matrix's user of the role with his own company and person clients and their rows (the
    # person's card as a client of its own)
    world = build_world([subject])
    [walk] = world.walks
    walk.objects = {label: [(tag, row) for tag, row in rows if tag.startswith("curator")]
                    for label, rows in walk.objects.items()}
    person: Client = next(row.client for _tag, row in walk.objects["clients.ClientPersonal"]
                          if isinstance(row, ClientPersonal))
    walk.objects["clients.Client"].append(("curator, person", person))
    asked = [item for item in EXITS.items() if item.method == "GET"]

    # when he goes out through every GET exit about each of them
    read: list[str] = []
    problems = crawl(world.walks, asked, _russian(stored_data(), read))

    # then no answer has an English word, «None», «---------» or a doubled word (and the exits answered)
    assert problems == [], "\n".join(problems)
    assert len(set(read)) > 20


@pytest.mark.feature("DIR-01")
def test_every_directorys_title_starts_with_a_capital_letter() -> None:
    # given the reference books' titles, as the menu and their pages show them in Russian
    with translation.override("ru"):
        titles = {item.key: str(item.label) for item in DIRECTORIES.items()}
    # then each starts with a capital letter («Ставки НДС», not «ставки НДС»)
    assert titles["vat-rates"] == "Ставки НДС"
    assert sorted(key for key, title in titles.items() if not title[:1].isupper()) == []
