"""Business processes (BPM-01 … BPM-05): a scheme of stages and results, and the runs started from it.

A scheme (Process) is a graph: each Stage has results (StageResult), each result leads to the next
stage. A started run (ProcessRun) sits on one stage at a time; every result given and every
transition is written to its protocol (ProtocolEntry). Protocol rows keep the stage and result
names as text, so a scheme edited later does not rewrite the history of runs already made.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Process(models.Model):
    name = models.CharField(_("process name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("process")
        verbose_name_plural = _("processes")

    def __str__(self) -> str:
        return self.name


class Stage(models.Model):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="stages", verbose_name=_("process"))
    name = models.CharField(_("stage name"), max_length=200)
    position = models.PositiveIntegerField(_("order"), default=0)
    is_start = models.BooleanField(_("start stage of the process"), default=False)
    is_end = models.BooleanField(_("end stage of the process"), default=False)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("responsible"),
    )

    class Meta:
        ordering = ["process", "position", "id"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        constraints = [
            models.UniqueConstraint(fields=["process", "name"], name="processes_stage_name_unique"),
            models.UniqueConstraint(
                fields=["process"], condition=Q(is_start=True), name="processes_one_start_stage"
            ),
            models.CheckConstraint(
                condition=~(Q(is_start=True) & Q(is_end=True)), name="processes_stage_not_start_and_end"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class StageResult(models.Model):
    """A result of a stage and the transition it leads to ("Рекламация уместна → Анализ рекламации")."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="results", verbose_name=_("stage"))
    name = models.CharField(_("result"), max_length=200)
    position = models.PositiveIntegerField(_("order"), default=0)
    next_stage = models.ForeignKey(
        Stage, on_delete=models.PROTECT, related_name="incoming", verbose_name=_("transition to the stage")
    )

    class Meta:
        ordering = ["stage", "position", "id"]
        verbose_name = _("stage result")
        verbose_name_plural = _("stage results")
        constraints = [
            models.UniqueConstraint(fields=["stage", "name"], name="processes_result_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class StageState(models.TextChoices):
    NEW = "new", _("Not started")
    IN_WORK = "in_work", _("In work")
    DONE = "done", _("Completed")


class ProcessRun(models.Model):
    """A started process. `responsible` mirrors the current stage's responsible for the monitor's index."""

    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="runs", verbose_name=_("process"))
    client = models.ForeignKey(
        "clients.Client", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("client"),
    )
    note = models.TextField(_("note"), blank=True)
    stage = models.ForeignKey(
        Stage, on_delete=models.PROTECT, related_name="+", verbose_name=_("current stage")
    )
    stage_state = models.CharField(
        _("stage state"), max_length=8, choices=StageState.choices, default=StageState.NEW
    )
    stage_entered_at = models.DateTimeField(_("on the stage since"))
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("responsible"),
    )
    is_closed = models.BooleanField(_("closed"), default=False)
    started_at = models.DateTimeField(_("started"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("started by")
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("started process")
        verbose_name_plural = _("started processes")
        indexes = [
            models.Index(fields=["responsible", "is_closed"], name="processes_run_monitor"),
            models.Index(fields=["client", "started_at"], name="processes_run_client"),
            models.Index(fields=["started_at", "id"], name="processes_run_journal"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_closed=False, closed_at__isnull=True) | Q(is_closed=True, closed_at__isnull=False),
                name="processes_run_closed_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.process} #{self.pk}"


class ProtocolEntry(models.Model):
    """One line of a run's protocol: a state or result given on a stage, and where the run went next."""

    class Kind(models.TextChoices):
        START = "start", _("Process started")
        STATE = "state", _("Stage state changed")
        RESULT = "result", _("Result and transition")

    run = models.ForeignKey(ProcessRun, on_delete=models.CASCADE, related_name="protocol", verbose_name=_("process"))
    at = models.DateTimeField(_("when"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("who")
    )
    kind = models.CharField(_("entry"), max_length=8, choices=Kind.choices)
    stage_name = models.CharField(_("stage"), max_length=200)
    state = models.CharField(_("stage state"), max_length=8, choices=StageState.choices)
    result_name = models.CharField(_("result"), max_length=200, blank=True)
    next_stage_name = models.CharField(_("transition to the stage"), max_length=200, blank=True)
    stage_entered_at = models.DateTimeField(_("on the stage since"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["run", "at", "id"]
        verbose_name = _("protocol entry")
        verbose_name_plural = _("protocol entries")

    def __str__(self) -> str:
        return f"{self.stage_name}: {self.result_name or self.state}"

    @property
    def duration(self):  # type: ignore[no-untyped-def]
        """How long the stage took until this entry (the manual's "сколько это заняло времени")."""
        return self.at - self.stage_entered_at
