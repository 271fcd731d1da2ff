"""Targeting's achievements (TGT-01): goals with weights reached by events and tasks, written by the owning
services so that corrections follow; a weight changed later counts from then on."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from kontora.activity.models import Task
from kontora.activity.services.events import event_create, event_delete, event_update
from kontora.activity.services.tasks import task_transition
from kontora.targeting.models import Achievement
from kontora.targeting.services import goal_save
from tests.accounts.factories import UserFactory
from tests.activity.factories import TaskFactory
from tests.clients.factories import ClientFactory
from tests.targeting.factories import make_goal, units_of

pytestmark = [pytest.mark.django_db]



@pytest.mark.feature("TGT-01")
def test_events_reach_the_goals_of_their_type_and_result_and_follow_corrections(
        admin_user: Any, manager_user: Any, kinds: dict[str, Any]) -> None:
    # given goals: an offer sent 0.5, a meeting with a signed contract 1.0
    make_goal(admin_user, kind="event", event_type=kinds["offer"], weight=Decimal("0.5"))
    make_goal(admin_user, kind="event", event_type=kinds["meeting"], event_result=kinds["signed"], weight=Decimal("1"))
    client = ClientFactory(curator=manager_user)
    # when the manager records an offer and a meeting without the result
    offer = event_create(acting_user=manager_user, client=client, values={
        "event_type": kinds["offer"], "description": "КП отправлено"})
    meeting = event_create(acting_user=manager_user, client=client, values={
        "event_type": kinds["meeting"], "description": "Встреча"})
    # then only the offer counts
    assert units_of(manager_user) == Decimal("0.5")
    # when the meeting is corrected to «Договор подписан»: it counts too
    event_update(acting_user=manager_user, event=meeting, values={"result": kinds["signed"]})
    assert units_of(manager_user) == Decimal("1.5")
    # when the offer is corrected into a meeting without result: its half unit is taken back
    event_update(acting_user=manager_user, event=offer, values={"event_type": kinds["meeting"]})
    assert units_of(manager_user) == Decimal("1")
    # and an event deleted takes its goal back
    event_delete(acting_user=admin_user, event=meeting)
    assert units_of(manager_user) == Decimal("0")


@pytest.mark.feature("TGT-01")
def test_a_changed_weight_counts_from_then_on_and_past_achievements_keep_theirs(
        admin_user: Any, manager_user: Any, kinds: dict[str, Any]) -> None:
    goal = make_goal(admin_user, kind="event", event_type=kinds["offer"], weight=Decimal("0.5"))
    client = ClientFactory(curator=manager_user)
    first = event_create(acting_user=manager_user, client=client, values={
        "event_type": kinds["offer"], "description": "КП 1"})
    # when the administrator raises the weight to 0.75
    goal_save(acting_user=admin_user, goal=goal, values={"weight": Decimal("0.75")})
    event_create(acting_user=manager_user, client=client, values={"event_type": kinds["offer"], "description": "КП 2"})
    # then the first offer keeps 0.5, the second earns 0.75
    assert sorted(row.weight for row in Achievement.objects.all()) == [Decimal("0.5"), Decimal("0.75")]
    # and correcting the first one's description does not re-weigh it
    event_update(acting_user=manager_user, event=first, values={"description": "КП 1, исправлено"})
    assert units_of(manager_user) == Decimal("1.25")


@pytest.mark.feature("TGT-01")
def test_a_task_done_is_its_assigneesmake_goal(admin_user: Any, manager_user: Any) -> None:
    make_goal(admin_user, kind="task_done", weight=Decimal("0.25"))
    author = UserFactory()
    task = TaskFactory(author=author, assignee=manager_user, client=ClientFactory(curator=manager_user))
    assert units_of(manager_user) == 0
    task_transition(acting_user=manager_user, task_id=task.pk, action="done", seen_state=Task.State.NEW)
    assert (units_of(manager_user), units_of(author)) == (Decimal("0.25"), 0)
