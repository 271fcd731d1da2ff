"""The group processing manager's pages (GRP-01, GRP-02, GRP-05): offered in the registry to those with the right,
opened over the marked clients (the registry's selection without marks), the run started and its outcomes listed."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kontora.accounts.models import ClientScope, Role, UserRight
from kontora.bulk.models import BulkOutcome, BulkRun
from kontora.clients.models import Client
from kontora.clients.views.registry import MARKS_KEY
from kontora.core.models import SystemSettings
from kontora.core.services.jobs import job_run
from tests.accounts.factories import UserFactory
from tests.bulk.support import mark
from tests.clients.factories import ClientFactory
from tests.directories.factories import PriorityFactory
from tests.support.http import signed_in


@pytest.mark.feature("GRP-01")
def test_the_registry_offers_group_processing_only_with_the_right(admin_client: Any, manager_client: Any) -> None:
    assert 'data-testid="registry-group"' in admin_client.get("/").content.decode()
    assert 'data-testid="registry-group"' not in manager_client.get("/").content.decode()
    assert manager_client.get("/bulk/").status_code == 403


@pytest.mark.feature("GRP-01", "GRP-05")
def test_a_run_over_the_marked_clients_changes_them_and_lists_what_it_did(admin_user: Any, admin_client: Any) -> None:
    # given two marked clients, one forged mark on another's private client, and a client not marked
    stranger = UserFactory(role=Role.MANAGER, client_scope=ClientScope.FULL)
    first, second = ClientFactory(curator=admin_user, short_name="Альфа"), ClientFactory(curator=admin_user,
                                                                                          short_name="Бета")
    secret = ClientFactory(curator=stranger, private=True)
    untouched = ClientFactory(curator=admin_user)
    mark(admin_client, first, second, secret)
    priority = PriorityFactory(name="Срочный")
    # when the manager is opened, it says what it will process
    page = admin_client.get("/bulk/").content.decode()
    assert "Будут обработаны 2 клиента (отмеченные клиенты)" in page
    # and «Начать обработку» is pressed with a priority chosen
    response = admin_client.post("/bulk/", {"take": "marked", "priority": priority.pk})
    run = BulkRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/bulk/runs/{run.pk}/"
    assert run.client_ids == [first.pk, second.pk]  # frozen, in the registry's order, the private one left out
    assert MARKS_KEY not in admin_client.session
    job_run(job_id=run.job_id)
    # then exactly the marked clients changed, and the run's page lists each with what changed
    assert set(Client.objects.filter(priority=priority).values_list("pk", flat=True)) == {first.pk, second.pk}
    assert Client.objects.get(pk=untouched.pk).priority_id is None
    page = admin_client.get(f"/bulk/runs/{run.pk}/").content.decode()
    assert page.count('data-testid="bulk-outcome" data-result="changed"') == 2
    assert "Альфа" in page and "Приоритет:" in page and "Срочный" in page


@pytest.mark.feature("GRP-05")
def test_the_run_page_reads_as_many_queries_whatever_the_number_of_clients(admin_user: Any,
                                                                           admin_client: Any) -> None:
    def page_with(count: int) -> int:
        clients = [ClientFactory(curator=admin_user) for _ in range(count)]
        mark(admin_client, *clients)
        admin_client.post("/bulk/", {"take": "marked", "priority": PriorityFactory().pk})
        run = BulkRun.objects.latest("pk")
        job_run(job_id=run.job_id)
        assert BulkOutcome.objects.filter(run=run).count() == count
        admin_client.get(f"/bulk/runs/{run.pk}/")  # warm
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(f"/bulk/runs/{run.pk}/").status_code == 200
        return len(captured)

    assert page_with(12) == page_with(1)


@pytest.mark.feature("GRP-05")
def test_a_selection_over_the_limit_is_refused_with_a_message(admin_user: Any, admin_client: Any) -> None:
    SystemSettings.objects.update_or_create(pk=1, defaults={"bulk_max_clients": 2})
    clients = [ClientFactory(curator=admin_user) for _ in range(3)]
    mark(admin_client, *clients)
    page = admin_client.get("/bulk/").content.decode()
    assert "Выбрано больше 2 клиентов: за один запуск обрабатывается не больше 2" in page
    assert 'data-testid="bulk-start" disabled' in page
    response = admin_client.post("/bulk/", {"take": "marked", "priority": PriorityFactory().pk})
    assert response.status_code == 200 and not BulkRun.objects.exists()
    # one client fewer is processed
    mark(admin_client, *clients[:2])
    assert admin_client.post("/bulk/", {"take": "marked", "priority": PriorityFactory().pk}).status_code == 302


@pytest.mark.feature("GRP-02")
def test_a_task_without_its_assignee_is_refused_next_to_the_field(admin_user: Any, admin_client: Any) -> None:
    mark(admin_client, ClientFactory(curator=admin_user))
    response = admin_client.post("/bulk/", {"take": "marked", "task_set": "on", "task_description": "Позвонить",
                                            "task_starts_at": "2026-12-07T10:00", "task_due_at": "2026-12-07T12:00"})
    page = response.content.decode()
    assert response.status_code == 200 and "Выберите исполнителя." in page
    assert 'class="nav-link active" data-bs-toggle="tab" data-bs-target="#k-bulk-task"' in page  # its tab opens
    assert not BulkRun.objects.exists()


@pytest.mark.feature("GRP-05")
def test_nothing_chosen_is_refused_above_the_form(admin_user: Any, admin_client: Any) -> None:
    mark(admin_client, ClientFactory(curator=admin_user))
    page = admin_client.post("/bulk/", {"take": "marked"}).content.decode()
    assert "Нечего делать" in page and not BulkRun.objects.exists()


@pytest.mark.feature("GRP-05")
def test_a_run_is_its_authors_alone(admin_user: Any, admin_client: Any) -> None:
    mark(admin_client, ClientFactory(curator=admin_user))
    admin_client.post("/bulk/", {"take": "marked", "priority": PriorityFactory().pk})
    run = BulkRun.objects.get()
    other = UserFactory(role=Role.MANAGER, client_scope=ClientScope.FULL)
    UserRight.objects.create(user=other, code="group_processing")
    assert signed_in(other).get(f"/bulk/runs/{run.pk}/").status_code == 404
    assert admin_client.get(f"/bulk/runs/{run.pk}/").status_code == 200
