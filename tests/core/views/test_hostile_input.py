"""No 500 on malformed input (issue 11, F6–F10): every URL pattern, asked as every role with hostile path
parameters, query strings and bodies (`tests.support.hostile`), answers a 4xx or a page with a message — never a
5xx.

It runs on both databases: they refuse different values (PostgreSQL refuses NUL in a text and an integer column's
overflow, SQLite overflows past a bigint in its driver and refuses a LIKE pattern past 50 KB), so neither answers
for the other. PostgreSQL walks the administrator (who reaches every view) and the specialist limited to his own
clients (the narrowest working mode): the parsing in front of the database is the same Python for every role.
SQLite walks all four roles; each walk takes about a minute there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from kontora.accounts.models import Role
from tests.support.hostile import SUBJECTS, Target, Walker, probe_world, read_names, targets, walkers


def _trusting(request: HttpRequest) -> HttpResponse:
    """A view as the probe found them: isdigit() trusted, then int()."""
    value = request.GET.get("job", "")
    return HttpResponse(str(int(value)) if value.isdigit() else "")


urlpatterns = [path("trusting/", _trusting), path("", include("kontora.urls"))]


@pytest.fixture
def files_home(settings: Any, tmp_path: Path) -> Path:
    """Attached files and backups stored in folders of the test's own."""
    settings.FILES_DIR = tmp_path / "files"
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024 * 1024  # a 1 MB text in each field of a form at once
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path / "files"}}}
    return tmp_path


def _subjects() -> list[Any]:
    on_postgresql = pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL walks the widest and the "
                                       "narrowest roles; the others' parsing is the same Python")
    return [pytest.param(subject, id=subject[0], marks=[] if subject[0] in (Role.ADMIN, Role.SPECIALIST)
                         else [on_postgresql]) for subject in SUBJECTS]


@pytest.mark.django_db
@pytest.mark.parametrize("subject", _subjects())
def test_no_url_answers_a_hostile_value_with_a_server_error(subject: tuple[str, str], admin_user: Any,
                                                            files_home: Any) -> None:
    # given the probe's records (every valid id names one) and a signed-in user of the role
    probe_world(admin_user)
    [user] = walkers([subject])
    walker = Walker(user, turn=SUBJECTS.index(subject))
    names = read_names()

    # when every URL is asked with every hostile path, query and body
    for target in targets():
        walker.walk(target, names)

    # then none answered with a server error
    assert walker.failures == []
    # (a positive control: the walk reached the views — pages answered, hostile values refused with a message)
    assert walker.statuses[200] > 300 and walker.statuses[400] > 50


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_the_walk_reports_a_view_that_trusts_isdigit(admin_user: Any) -> None:
    # given a view that reads an id with int() after isdigit(), beside the project's URLs
    walker = Walker(admin_user)
    # when the walk asks it
    walker.walk(Target("trusting", "/trusting/", "", True), {"job"})
    # then its 500 is reported, naming the request and the error
    assert any("GET trusting '/trusting/'  ?superscript digits: ValueError" in item for item in walker.failures)
    assert all("trusting" in item for item in walker.failures) and walker.statuses[200] > 5
