"""The Flexi-filter panel's live count tells the truth past its cap: «Найдено: 10 000+» offers «сосчитать точно», a
background count of the specification being built, inside the user's access (issue 13, item 7)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from kontora.clients.selectors import registry as selectors
from kontora.core.models import Job
from tests.accounts.factories import UserFactory
from tests.clients.factories import client_named
from tests.clients.support import FLAGGED_SPEC
from tests.support.http import signed_in


@pytest.mark.feature("REG-04")
@pytest.mark.feature("REG-11")
def test_the_panels_capped_count_offers_an_exact_count_of_the_specification_being_built(
    manager_user: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any,
) -> None:
    # given more flagged clients of the manager's than the (lowered) cap, and flagged clients of another manager's
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    for i in range(7):
        client_named(f"Клиент {i}", curator=manager_user, flagged=i != 0)
    other = UserFactory(login="other")
    for i in range(2):
        client_named(f"Чужой {i}", curator=other, flagged=True)
    http = signed_in(manager_user)
    spec = json.dumps(FLAGGED_SPEC)
    # when the panel counts the specification being built
    capped = http.post("/clients/filter/count/", {"spec": spec}).content.decode()
    # then: capped, with «count exactly» carrying that specification
    assert capped.startswith("Найдено: 3+") and 'data-testid="flexi-count-exact"' in capped
    carried = json.loads(re.search(r'hx-vals="([^"]*)"', capped).group(1).replace("&quot;", '"'))
    assert json.loads(carried["spec"])["items"][0]["field"] == "flagged"
    # when «count exactly» is pressed: the job runs once the request's work is committed
    with django_capture_on_commit_callbacks(execute=True):
        answer = http.post("/clients/filter/count/exact/", carried).content.decode()
    job = Job.objects.get(kind="clients_registry_count")
    # then the answer polls the job, which counted the manager's six flagged clients (in "own" mode: not the
    # other manager's two)
    assert f'hx-get="/clients/registry/count/{job.pk}/" hx-trigger="every 1s"' in answer
    assert (job.created_by, job.result["count"]) == (manager_user, 6)
    assert 'всего: 6<' in http.get(f"/clients/registry/count/{job.pk}/").content.decode()
    # and under the cap the count is plain (the positive control of the button's condition)
    monkeypatch.setattr(selectors, "COUNT_CAP", 100)
    assert http.post("/clients/filter/count/", {"spec": spec}).content.decode() == "Найдено: 6"
    # and a broken specification starts nothing
    assert http.post("/clients/filter/count/exact/", {"spec": "{"}).content.decode() == "Найдено: —"
    assert Job.objects.filter(kind="clients_registry_count").count() == 1
