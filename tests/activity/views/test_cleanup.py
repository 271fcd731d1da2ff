"""Администрирование → Обслуживание базы (TSK-10): the count before confirming, the job started on confirmation,
and the page only for holders of its right."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from kontora.activity.models import Task
from kontora.activity.selectors.cleanup import nightly_months
from kontora.core.models import Job
from tests.activity.factories import TaskFactory
from tests.clients.factories import ClientFactory

URL = "/administration/maintenance/"


def _closed(months_ago: int) -> Task:
    closed_at = timezone.now() - datetime.timedelta(days=31 * months_ago)
    return TaskFactory(client=ClientFactory(), state=Task.State.CLOSED, closed_at=closed_at,
                       starts_at=closed_at - datetime.timedelta(days=1))


@pytest.mark.feature("TSK-10")
def test_the_page_counts_what_an_age_would_delete_before_anything_is_deleted(admin_client):
    # given two tasks closed nine months ago and one closed two months ago
    _closed(9), _closed(9), _closed(2)
    # when the administrator asks for six months
    page = admin_client.get(f"{URL}?months=6").content.decode()
    # then the page tells the count, says events stay, offers the confirmed deletion and deletes nothing
    assert "2 закрытые задачи закрыты раньше" in page
    assert "События истории взаимоотношений не удаляются никогда" in page
    assert 'data-testid="cleanup-delete"' in page and 'data-k-confirm="Удалить 2 закрытые задачи?' in page
    assert Task.objects.count() == 3 and not Job.objects.exists()


@pytest.mark.feature("TSK-10")
def test_confirming_starts_the_job_and_shows_its_progress_page(admin_client):
    _closed(9)
    response = admin_client.post(URL, {"months": "6"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert job.kind == "tasks_cleanup" and job.params["months"] == 6


@pytest.mark.feature("TSK-10")
def test_a_bad_age_is_refused_next_to_its_field(admin_client):
    response = admin_client.post(URL, {"months": "0"})
    assert response.status_code == 400
    assert "is-invalid" in response.content.decode()
    assert not Job.objects.exists()


@pytest.mark.feature("TSK-10")
def test_only_holders_of_the_right_reach_the_page_and_its_menu_item(admin_client, manager_client):
    assert manager_client.get(URL).status_code == 403
    assert manager_client.post(URL, {"months": "6"}).status_code == 403
    assert not Job.objects.exists()
    assert f'href="{URL}"' not in manager_client.get("/").content.decode()
    assert admin_client.get(URL).status_code == 200
    assert f'href="{URL}"' in admin_client.get("/").content.decode()


@pytest.mark.feature("TSK-10")
def test_the_nightly_clean_up_is_switched_on_from_the_page(admin_client):
    # when the administrator switches on the nightly clean-up without an age
    refused = admin_client.post(URL, {"action": "schedule", "nightly": "on", "nightly_months": ""})
    # then he is asked for one, next to the field, and nothing is saved
    assert refused.status_code == 400 and "Укажите давность" in refused.content.decode()
    assert nightly_months() is None
    # and with an age it is saved and shown
    assert admin_client.post(URL, {"action": "schedule", "nightly": "on", "nightly_months": "12"}).status_code == 302
    assert nightly_months() == 12
    page = admin_client.get(URL).content.decode()
    box = page.split('id="id_nightly"')[0].rsplit("<input", 1)[1] + page.split('id="id_nightly"')[1].split(">")[0]
    assert "checked" in box
    # and switched off again
    admin_client.post(URL, {"action": "schedule", "nightly_months": "12"})
    assert nightly_months() is None
