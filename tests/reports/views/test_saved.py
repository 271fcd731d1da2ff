"""Saved reports (RPT-05): «Сохранить» gives a file; «Открыть» shows it exactly as it was — its «Сформировал» line,
its rows — in a base that no longer holds its data; a changed byte, a newer format or another file is refused with a
message; a file signed by this server shows as verified, one from another server as «не проверено»."""

from __future__ import annotations

import datetime
import gzip
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from kontora.activity.models import Event
from kontora.directories.models import EventType
from tests.accounts.factories import UserFactory
from tests.activity.factories import EventFactory
from tests.clients.factories import ClientFactory
from tests.support.http import html, signed_in

TODAY = timezone.localdate()
PERIOD = {"run": "1", "date_from": (TODAY - datetime.timedelta(days=3)).isoformat(), "date_to": TODAY.isoformat()}
OPEN = reverse("reports:open")


@pytest.fixture
def saved(manager_user: Any) -> bytes:
    """The manager's event statistics, saved: three calls by «Алексей Менеджеров»."""
    call = EventType.objects.create(name="Звонок СОХР", name_key="звонок сохр")
    EventFactory.create_batch(3, client=ClientFactory(curator=manager_user), author=manager_user, event_type=call)
    url = reverse("reports:report", args=["event-statistics"])
    response = signed_in(manager_user).get(url, {**PERIOD, "save": "1"})
    assert response.status_code == 200 and response["Content-Type"] == "application/gzip"
    assert ".kontora" in response["Content-Disposition"]
    return bytes(response.content)


def _open(client: Any, body: bytes, show: str = "screen") -> Any:
    return client.post(OPEN, {"report": SimpleUploadedFile("отчёт.kontora", body), "show": show})


@pytest.mark.feature("RPT-05")
def test_a_saved_report_opens_as_it_was_in_a_base_without_its_data(saved: bytes, manager_user: Any) -> None:
    # given the events and their author are gone (the base no longer holds what the report was made of)
    Event.objects.all().delete()
    reader = UserFactory(full_name="Галина Читающая", role="manager")
    # when another user opens the file
    response = _open(signed_in(reader), saved)
    page = html(response)
    # then the report is shown from the file: its rows, its total, its original «Сформировал» line, verified
    assert response.status_code == 200
    assert "Звонок СОХР" in page and 'class="k-num">3</td>' in page
    assert "Сформировал Алексей Менеджеров" in page and "Сформировал Галина Читающая" not in page
    assert 'data-testid="report-verified"' in page and "проверено" in page and "не проверено" not in page


@pytest.mark.feature("RPT-05")
def test_a_saved_report_opens_into_any_format(saved: bytes, manager_user: Any) -> None:
    response = _open(signed_in(manager_user), saved, show="csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Звонок СОХР;3;100,0" in text and "Итого;3;" in text


@pytest.mark.feature("RPT-05")
def test_a_changed_file_is_refused_as_damaged(saved: bytes, manager_user: Any) -> None:
    envelope = json.loads(gzip.decompress(saved))
    envelope["result"]["sections"][0]["rows"][0][1] = 300  # three calls made three hundred
    page = html(_open(signed_in(manager_user), gzip.compress(json.dumps(envelope).encode())))
    assert "Сохранённый отчёт повреждён или изменён: его контрольная сумма не сходится." in page
    assert 'data-testid="report-table"' not in page


@pytest.mark.feature("RPT-05")
def test_a_newer_format_another_file_and_a_cut_file_are_refused(saved: bytes, manager_user: Any) -> None:
    client = signed_in(manager_user)
    envelope = json.loads(gzip.decompress(saved))
    envelope["version"] = 99
    assert "более новой версией Kontora (формат файла 99)" in html(
        _open(client, gzip.compress(json.dumps(envelope).encode())))
    assert "Это не файл сохранённого отчёта Kontora." in html(_open(client, b"PK\x03\x04 not a report"))
    assert "Это не файл сохранённого отчёта Kontora." in html(_open(client, gzip.compress(b'{"format": "x"}')))
    assert "обрывается" in html(_open(client, saved[: len(saved) // 2]))
    page = html(client.post(OPEN, {"show": "screen"}))
    assert "Выберите файл сохранённого отчёта." in page


@pytest.mark.feature("RPT-05")
def test_a_file_from_another_server_is_whole_but_not_verified(saved: bytes, manager_user: Any) -> None:
    with override_settings(SECRET_KEY="another server's key, long enough to be a real one 0123456789"):
        page = html(_open(signed_in(manager_user), saved))
    assert "не проверено" in page and "Звонок СОХР" in page


# --- edit before print (RPT-06) ----------------------------------------------------------------------------------

def _edit_page(client: Any) -> str:
    page = html(client.get(reverse("reports:report", args=["event-statistics"]), {**PERIOD, "edit": "1"}))
    assert 'data-testid="report-edit"' in page
    return page


def _original(page: str) -> str:
    import re

    return re.search(r'name="original" value="([^"]+)"', page).group(1)


@pytest.mark.feature("RPT-06")
def test_an_edited_report_prints_and_exports_the_edits_and_writes_nothing(saved: bytes, manager_user: Any) -> None:
    from kontora.core.models import AuditEvent

    client = signed_in(manager_user)
    page = _edit_page(client)
    assert 'contenteditable="true" data-k-edit="cells" data-k-place="0:0:0">Звонок СОХР</td>' in page
    audit = AuditEvent.objects.count()
    edits = {"title": "Звонки за неделю", "cells": {"0:0:0": "Звонки клиентам", "0:0:1": "5"},
             "columns": {"1": "Сколько"}}
    # when the edited report is asked for as a page to print
    response = client.post(reverse("reports:edited"), {"original": _original(page), "edits": json.dumps(edits),
                                                       "show": "print"})
    printed = html(response)
    # then it shows the edits, the sums added up from the edited rows, the original author, and «исправлен вручную»
    assert response.status_code == 200
    assert "Звонки за неделю" in printed and "Звонки клиентам" in printed and "Сколько" in printed
    assert '<td class="k-pre-wrap">Итого</td><td class="k-num">5</td>' in printed
    assert "Сформировал Алексей Менеджеров" in printed and "исправлен вручную" in printed
    # and as a file: the CSV has the same
    response = client.post(reverse("reports:edited"), {"original": _original(page), "edits": json.dumps(edits),
                                                       "show": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Звонки клиентам;5;" in text and "Итого;5;" in text
    # and nothing was written to the base: the events stay three, no audit row
    assert Event.objects.count() == 3 and AuditEvent.objects.count() == audit


@pytest.mark.feature("RPT-06")
def test_a_tampered_or_foreign_edit_page_is_refused(saved: bytes, manager_user: Any) -> None:
    client = signed_in(manager_user)
    original = _original(_edit_page(client))
    forged = original[:-3] + ("AAA" if not original.endswith("AAA") else "BBB")
    response = client.post(reverse("reports:edited"), {"original": forged, "edits": "{}", "show": "print"})
    assert response.status_code == 422 and "не удаётся прочитать" in html(response)
    for edits in ('{"cells": {"9:9:9": "x"}}', "[1, 2]", '{"cells": {"0:0:0": 5}}', "{not json"):
        response = client.post(reverse("reports:edited"), {"original": original, "edits": edits, "show": "print"})
        assert response.status_code == 422, edits
    # positive control: no edits print the report as generated
    response = client.post(reverse("reports:edited"), {"original": original, "edits": "{}", "show": "print"})
    assert response.status_code == 200 and "Звонок СОХР" in html(response)
