"""Group processing runs (GRP-01, GRP-02, GRP-05): each client changed through the card's services in its own
transaction with its outcome, clients the author may not change skipped and listed, the 500 limit, the right, the
run taken over after a crash changing no client twice, tasks spread over the working hours."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from kontora.accounts.models import ClientScope, Role, UserRight
from kontora.activity.models import Task
from kontora.bulk.models import BulkOutcome, BulkRun
from kontora.bulk.selectors.runs import outcomes
from kontora.bulk.services.plan import Plan, TaskPlan
from kontora.bulk.services.runs import bulk_run_apply, bulk_run_start
from kontora.clients.models import Client, StageChange
from kontora.core.errors import NotAllowed, Refused
from kontora.core.models import AuditEvent, Job, OfficeDay, SystemSettings
from kontora.core.services.jobs import job_run
from kontora.directories.models import Direction, LadderStage
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.directories.factories import PriorityFactory

MOSCOW = ZoneInfo("Europe/Moscow")


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def _manager(mode: str = ClientScope.OWN, **fields: Any) -> Any:
    user = UserFactory(role=Role.MANAGER, client_scope=mode, language="en", **fields)
    UserRight.objects.create(user=user, code="group_processing")
    return user


def _stage() -> LadderStage:
    return LadderStage.objects.filter(is_active=True).order_by("order").first() or LadderStage.objects.create(
        name="Переговоры", name_key="переговоры", order=1)


def _run(user: Any, clients: list[Client], plan: Plan) -> Job:
    run = bulk_run_start(acting_user=user, client_ids=[c.pk for c in clients], selection="marked clients", plan=plan)
    done = job_run(job_id=run.job_id)
    assert done is not None
    return done


@pytest.mark.feature("GRP-01")
def test_a_run_sets_the_chosen_values_on_every_client_through_the_card_services(admin_user):
    # given three clients, one already with the priority and one with a direction
    priority, stage = PriorityFactory(name="Высокий"), _stage()
    trade = Direction.objects.create(name="Опт", name_key="опт")
    retail = Direction.objects.create(name="Розница", name_key="розница")
    clients = [ClientFactory(curator=admin_user) for _ in range(3)]
    clients[0].directions.add(retail)
    # when a run sets the priority and the stage and adds a direction
    job = _run(admin_user, clients, Plan(values={"priority": priority, "ladder_stage": stage}, directions=(trade,)))
    # then every client has them — the direction added to those it had — each move recorded as group processing,
    # and each client's change is its card's history row
    assert job.status == Job.Status.DONE, job.errors
    for client in clients:
        client.refresh_from_db()
        assert (client.priority_id, client.ladder_stage_id) == (priority.pk, stage.pk)
        assert trade in client.directions.all()
        assert StageChange.objects.filter(client=client, to_stage=stage, source=StageChange.Source.BULK).exists()
        assert AuditEvent.objects.filter(client_id=client.pk, event="clients.client.update").count() == 1
    assert retail in clients[0].directions.all()
    # and the run lists what changed per client
    lines = outcomes(admin_user, job_run_of(job))
    assert [line.result for line in lines] == ["changed"] * 3
    fields = {change["field"] for change in lines[0].changes}
    # (in the author's language: the job runs in it)
    assert {"Приоритет", "Текущий этап", "Направления"} <= fields, lines[0].changes


def job_run_of(job: Job) -> BulkRun:
    return BulkRun.objects.get(job=job)


@pytest.mark.feature("GRP-01")
def test_a_client_already_as_asked_is_listed_as_unchanged_and_gets_no_history_row(admin_user):
    priority = PriorityFactory()
    client = ClientFactory(curator=admin_user, priority=priority)
    job = _run(admin_user, [client], Plan(values={"priority": priority}))
    assert [line.result for line in outcomes(admin_user, job_run_of(job))] == ["unchanged"]
    assert not AuditEvent.objects.filter(client_id=client.pk, event="clients.client.update").exists()


@pytest.mark.feature("GRP-01")
def test_clients_the_author_may_not_change_are_skipped_and_listed_never_changed(db):
    # given a manager who lists every client but opens only his own, another's client, and another's private one
    stranger = UserFactory(role=Role.MANAGER, client_scope=ClientScope.FULL)
    manager = _manager(ClientScope.LIST_ALL)
    own = ClientFactory(curator=manager)
    foreign = ClientFactory(curator=stranger, short_name="Чужой")
    private = ClientFactory(curator=stranger, short_name="Секрет", private=True)
    priority = PriorityFactory()
    # when his run (the private one's id forged into it) sets a priority
    job = _run(manager, [own, foreign, private], Plan(values={"priority": priority}))
    # then only his own client changed; the other two are skipped with the reason
    assert job.status == Job.Status.DONE
    assert list(Client.objects.filter(priority=priority).values_list("pk", flat=True)) == [own.pk]
    lines = outcomes(manager, job_run_of(job))
    assert [(line.result, line.reason) for line in lines] == [
        ("changed", ""), ("skipped", "You may not change this client."),
        ("skipped", "The client is not available to you."),
    ]
    # and the listing names the client he sees, not the private one he does not
    assert [line.name for line in lines][1:] == ["Чужой", "client unavailable"]
    assert not AuditEvent.objects.filter(client_id__in=[foreign.pk, private.pk], actor=manager).exists()


@pytest.mark.feature("GRP-01")
def test_a_curator_change_skips_clients_whose_main_data_the_author_may_not_change(db):
    # given a manager who opens and edits every client, but the main data only of his own
    stranger = UserFactory(role=Role.MANAGER, client_scope=ClientScope.FULL)
    manager = _manager(ClientScope.OPEN_ALL)
    own, foreign = ClientFactory(curator=manager), ClientFactory(curator=stranger)
    colleague = UserFactory(role=Role.MANAGER, client_scope=ClientScope.FULL)
    # when his run makes a colleague the curator
    job = _run(manager, [own, foreign], Plan(values={"curator": colleague}))
    # then his own client moved, the other's stays with its curator, listed as skipped
    own.refresh_from_db()
    foreign.refresh_from_db()
    assert (own.curator_id, foreign.curator_id) == (colleague.pk, stranger.pk)
    assert [line.result for line in outcomes(manager, job_run_of(job))] == ["changed", "skipped"]


@pytest.mark.feature("GRP-01")
def test_access_given_is_added_to_the_grants_a_client_has(admin_user):
    first, second = UserFactory(full_name="Первый"), UserFactory(full_name="Второй")
    client = ClientFactory(curator=admin_user)
    client.grants.create(user=first, can_edit=False)
    _run(admin_user, [client], Plan(grants={second: True}))
    assert dict(client.grants.values_list("user_id", "can_edit")) == {first.pk: False, second.pk: True}


@pytest.mark.feature("GRP-05")
def test_without_the_group_processing_right_a_run_is_refused(admin_user):
    manager = UserFactory(role=Role.MANAGER)
    client = ClientFactory(curator=manager)
    with pytest.raises(NotAllowed):
        bulk_run_start(acting_user=manager, client_ids=[client.pk], selection="", plan=Plan(values={
            "priority": PriorityFactory()}))
    # the same run with the right starts
    UserRight.objects.create(user=manager, code="group_processing")
    manager = type(manager).objects.get(pk=manager.pk)
    assert bulk_run_start(acting_user=manager, client_ids=[client.pk], selection="",
                          plan=Plan(values={"priority": PriorityFactory()})).job_id


@pytest.mark.feature("GRP-05")
def test_a_selection_over_the_limit_is_refused_and_one_at_the_limit_runs(admin_user):
    SystemSettings.objects.update_or_create(pk=1, defaults={"bulk_max_clients": 3})
    clients = [ClientFactory(curator=admin_user) for _ in range(4)]
    plan = Plan(values={"priority": PriorityFactory()})
    with pytest.raises(Refused, match="More than 3 clients are selected: one run takes at most 3"):
        bulk_run_start(acting_user=admin_user, client_ids=[c.pk for c in clients], selection="", plan=plan)
    assert bulk_run_start(acting_user=admin_user, client_ids=[c.pk for c in clients[:3]], selection="", plan=plan)


def test_the_manuals_limit_is_500_by_default(db):
    assert SystemSettings().bulk_max_clients == 500


@pytest.mark.feature("GRP-05")
def test_a_run_with_nothing_to_do_is_refused(admin_user):
    with pytest.raises(Refused, match="Nothing to do"):
        bulk_run_start(acting_user=admin_user, client_ids=[ClientFactory(curator=admin_user).pk], selection="",
                       plan=Plan())


class Crash(Exception):
    pass


@pytest.mark.feature("GRP-05")
def test_a_run_taken_over_after_a_crash_goes_on_from_its_checkpoint_and_changes_no_client_twice(
        admin_user, progress_every_client):
    # given a run over five clients that sets a priority and a task for each
    clients = [ClientFactory(curator=admin_user) for _ in range(5)]
    now = datetime.datetime.now(tz=datetime.UTC)
    plan = Plan(values={"priority": PriorityFactory()}, task=TaskPlan(
        assignee=admin_user, importance="normal", requires_report=False, description="Позвонить", starts_at=now,
        due_at=now + datetime.timedelta(days=1), duration_minutes=0, spread=False))
    run = bulk_run_start(acting_user=admin_user, client_ids=[c.pk for c in clients], selection="", plan=plan)
    saved: dict[str, Any] = {}

    def dies_after_two(done: int, total: int | None, message: str) -> None:
        if done == 2:
            raise Crash

    # when its worker dies after the second client committed
    with pytest.raises(Crash):
        bulk_run_apply(run_id=run.pk, progress=dies_after_two, checkpoint=saved.update)
    assert saved == {"next": 2}
    # and another run takes it over from the checkpoint
    counts = bulk_run_apply(run_id=run.pk, progress=lambda *a: None, resume=dict(saved), checkpoint=saved.update)
    # then every client was changed and given a task exactly once
    assert counts["changed"] == 5
    assert sorted(Task.objects.values_list("client_id", flat=True)) == sorted(c.pk for c in clients)
    assert AuditEvent.objects.filter(event="clients.client.update").count() == 5
    # and a run that finds a client's outcome already committed does not apply it again
    bulk_run_apply(run_id=run.pk, progress=lambda *a: None, resume={"next": 4})
    assert Task.objects.count() == 5


@pytest.mark.feature("GRP-02")
def test_a_task_is_set_about_every_client_for_the_assignee(admin_user):
    assignee = UserFactory(role=Role.MANAGER, client_scope=ClientScope.FULL)
    clients = [ClientFactory(curator=admin_user) for _ in range(2)]
    starts = datetime.datetime(2026, 12, 7, 10, 0, tzinfo=MOSCOW)
    _run(admin_user, clients, Plan(task=TaskPlan(
        assignee=assignee, importance="high", requires_report=True, description="Предложить скидку",
        starts_at=starts, due_at=starts + datetime.timedelta(days=2), duration_minutes=0, spread=False)))
    tasks = list(Task.objects.order_by("client_id"))
    assert [(t.client_id, t.assignee_id, t.importance, t.kind, t.starts_at) for t in tasks] == [
        (c.pk, assignee.pk, "high", Task.Kind.REPORT, starts) for c in clients]


@pytest.mark.feature("GRP-02")
def test_tasks_spread_over_time_follow_each_other_inside_working_hours_and_days(admin_user):
    # given the office working 9:00–18:00 in Moscow, Monday 2026-12-07 a holiday of the office calendar
    SystemSettings.objects.update_or_create(pk=1, defaults={"time_zone": "Europe/Moscow"})
    OfficeDay.objects.create(date=datetime.date(2026, 12, 7), is_working=False)
    clients = [ClientFactory(curator=admin_user) for _ in range(4)]
    friday_five = datetime.datetime(2026, 12, 4, 17, 0, tzinfo=MOSCOW)
    # when four one-hour tasks are spread from Friday 17:00
    _run(admin_user, clients, Plan(task=TaskPlan(
        assignee=admin_user, importance="normal", requires_report=False, description="Позвонить",
        starts_at=friday_five, due_at=friday_five, duration_minutes=60, spread=True)))
    # then they follow one another: Friday's last hour, then Tuesday from 9:00 (the weekend and the holiday skipped)
    tasks = list(Task.objects.order_by("starts_at"))
    assert [t.starts_at.astimezone(MOSCOW).strftime("%a %H:%M") for t in tasks] == [
        "Fri 17:00", "Tue 09:00", "Tue 10:00", "Tue 11:00"]
    # each due when its hour ends, in the order of the selection
    assert [t.due_at - t.starts_at for t in tasks] == [datetime.timedelta(hours=1)] * 4
    assert [t.client_id for t in tasks] == [c.pk for c in clients]


@pytest.mark.feature("GRP-02")
def test_a_task_longer_than_the_working_day_cannot_be_spread(admin_user):
    now = datetime.datetime.now(tz=datetime.UTC)
    with pytest.raises(Exception, match="from 1 minute to the working day"):
        bulk_run_start(acting_user=admin_user, client_ids=[ClientFactory(curator=admin_user).pk], selection="",
                       plan=Plan(task=TaskPlan(assignee=admin_user, importance="normal", requires_report=False,
                                               description="x", starts_at=now, due_at=now, duration_minutes=600,
                                               spread=True)))


@pytest.mark.feature("GRP-02")
def test_a_client_whose_task_is_refused_keeps_its_values_and_is_listed_with_the_reason(admin_user):
    # given an assignee of his own clients only, who cannot open the second client
    assignee = UserFactory(role=Role.MANAGER, client_scope=ClientScope.OWN, full_name="Петров П. П.")
    his, other = ClientFactory(curator=assignee), ClientFactory(curator=admin_user, short_name="Нептун")
    priority = PriorityFactory()
    now = datetime.datetime.now(tz=datetime.UTC)
    # when a run sets a priority and a task for him about both
    job = _run(admin_user, [his, other], Plan(values={"priority": priority}, task=TaskPlan(
        assignee=assignee, importance="normal", requires_report=False, description="Позвонить", starts_at=now,
        due_at=now, duration_minutes=0, spread=False)))
    # then the second client is not changed at all — nothing half-done — and the result says why
    other.refresh_from_db()
    assert other.priority_id is None and not Task.objects.filter(client=other).exists()
    lines = outcomes(admin_user, job_run_of(job))
    assert [line.result for line in lines] == ["changed", "failed"]
    assert "не может открыть клиента «Нептун»" in lines[1].reason  # in the author's language


@pytest.mark.feature("GRP-05")
def test_a_run_stops_when_its_author_loses_the_right(admin_user):
    manager = _manager(ClientScope.FULL)
    clients = [ClientFactory(curator=manager) for _ in range(3)]
    run = bulk_run_start(acting_user=manager, client_ids=[c.pk for c in clients], selection="",
                         plan=Plan(values={"priority": PriorityFactory()}))
    UserRight.objects.filter(user=manager).delete()
    job = job_run(job_id=run.job_id)
    assert job is not None and job.status == Job.Status.FAILED
    assert "may no longer do group processing" in " ".join(job.errors)
    assert not BulkOutcome.objects.filter(run=run).exists()
