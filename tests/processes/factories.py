"""Records of business processes for tests that need many of them at once (query counts): written directly,
without the designer's checks. A scheme a test walks through is built with the services (conftest `claim`)."""

from __future__ import annotations

import factory
from django.utils import timezone

from kontora.processes.models import Process, ProcessRun, ProtocolEntry, Stage, StageResult, StageState
from tests.accounts.factories import UserFactory


class ProcessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Process

    name = factory.Sequence(lambda n: f"Процесс {n}")


class StageFactory(factory.django.DjangoModelFactory):
    """A working stage with a responsible; `is_start=True` for the process's one start stage, `is_end=True` (and
    `responsible=None`) for an end stage."""

    class Meta:
        model = Stage

    process = factory.SubFactory(ProcessFactory)
    name = factory.Sequence(lambda n: f"Этап {n}")
    position = factory.Sequence(lambda n: n)
    responsible = factory.SubFactory(UserFactory)


class StageResultFactory(factory.django.DjangoModelFactory):
    """A result of `stage` leading to `next_stage` (by default a new end stage of the same process)."""

    class Meta:
        model = StageResult

    stage = factory.SubFactory(StageFactory)
    name = factory.Sequence(lambda n: f"Результат {n}")
    position = factory.Sequence(lambda n: n)
    next_stage = factory.SubFactory(
        StageFactory, process=factory.SelfAttribute("..stage.process"), is_end=True, responsible=None,
    )


class ProcessRunFactory(factory.django.DjangoModelFactory):
    """A run standing on `stage` (its process and responsible follow the stage)."""

    class Meta:
        model = ProcessRun

    stage = factory.SubFactory(StageFactory)
    process = factory.LazyAttribute(lambda run: run.stage.process)
    responsible = factory.LazyAttribute(lambda run: run.stage.responsible)
    stage_state = StageState.NEW
    started_at = factory.LazyFunction(timezone.now)
    stage_entered_at = factory.LazyAttribute(lambda run: run.started_at)
    started_by = factory.SubFactory(UserFactory)


class ProtocolEntryFactory(factory.django.DjangoModelFactory):
    """A line of `run`'s protocol on its current stage, written by the run's starter."""

    class Meta:
        model = ProtocolEntry

    run = factory.SubFactory(ProcessRunFactory)
    at = factory.LazyFunction(timezone.now)
    user = factory.LazyAttribute(lambda entry: entry.run.started_by)
    kind = ProtocolEntry.Kind.STATE
    stage_name = factory.LazyAttribute(lambda entry: entry.run.stage.name)
    state = StageState.IN_WORK
    stage_entered_at = factory.LazyAttribute(lambda entry: entry.run.stage_entered_at)
    comment = factory.Sequence(lambda n: f"Комментарий {n}")
