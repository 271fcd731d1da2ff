"""Records of activity for tests that need many of them at once (query counts, visibility matrices): written
directly, without the services' checks. A behaviour a test names goes through the services."""

from __future__ import annotations

import datetime
from typing import Any

import factory
from django.utils import timezone

from kontora.activity.models import Event, ProjectItem, Task
from kontora.core.text import search_key
from kontora.directories.models import EventType
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory


def event_type() -> EventType:
    return EventType.objects.order_by("order", "id").first() or EventType.objects.create(name="Звонок",
                                                                                           name_key="звонок")


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    client = factory.SubFactory(ClientFactory)
    author = factory.SubFactory(UserFactory)
    event_type = factory.LazyFunction(event_type)
    description = factory.Sequence(lambda n: f"Событие {n}")
    description_key = factory.LazyAttribute(lambda event: search_key(event.description))


class TaskFactory(factory.django.DjangoModelFactory):
    """A reminder task about a client, starting in an hour for an hour; `kind=Task.Kind.PROJECT` needs `case=` and
    `client=None`."""

    class Meta:
        model = Task

    client = factory.SubFactory(ClientFactory)
    author = factory.SubFactory(UserFactory)
    assignee = factory.SelfAttribute("author")
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(hours=1))
    duration_minutes = 60
    due_at = factory.LazyAttribute(lambda task: task.starts_at + datetime.timedelta(minutes=task.duration_minutes))
    description = factory.Sequence(lambda n: f"Задача {n}")


class ProjectItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectItem

    title = factory.Sequence(lambda n: f"Тема {n}")
    responsible = factory.SubFactory(UserFactory)
    starts_on = factory.LazyFunction(lambda: timezone.localdate())
    due_on = factory.LazyAttribute(lambda item: item.starts_on + datetime.timedelta(days=7))


def task_values(assignee: Any, **changes: Any) -> dict[str, Any]:
    """The task form's values for `activity.services.tasks.task_create`: a reminder starting tomorrow at this time for
    an hour, described, to `assignee`; `changes` override any of them."""
    start = (timezone.now() + datetime.timedelta(days=1)).replace(second=0, microsecond=0)
    values = {
        "assignee": assignee, "importance": Task.Importance.NORMAL, "starts_at": start, "duration_minutes": 60,
        "due_at": start + datetime.timedelta(hours=1), "description": "Позвонить и согласовать договор",
        "requires_report": False, "remind": False, "remind_minutes": 15,
    }
    values.update(changes)
    return values
