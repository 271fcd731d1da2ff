"""Events of the relationship history, tasks, and the project planner's themes and cases.

Events and tasks about a client are client-owned data: every read starts from the user's openable clients
(`activity.policies`). The fourth kind of task of the manual — a next-contact reminder without an assignee — has
no row here: it is the client's `next_contact_date` (the Operational work tab), found through the Flexi-filter and
shown in the task monitor.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kontora.directories import models as dirs


class Event(models.Model):
    """One line of a client's relationship history (HIS-01)."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="+", verbose_name=_("client")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    created_at = models.DateTimeField(_("date"), default=timezone.now)
    event_type = models.ForeignKey(dirs.EventType, on_delete=models.PROTECT, verbose_name=_("event type"))
    description = models.TextField(_("description"))
    # The description's search form (casefold, ё → е, one space between words), kept by the services: the events
    # report's full-text index reads it on both databases (FTS5 on SQLite, GIN with `simple` on PostgreSQL).
    description_key = models.TextField(editable=False, default="")
    contact = models.ForeignKey(
        "clients.ContactPerson", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("contact person"),
    )
    result = models.ForeignKey(
        dirs.EventResult, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("result")
    )
    reaction = models.ForeignKey(
        dirs.ContactReaction, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("client reaction")
    )
    stage = models.ForeignKey(
        dirs.LadderStage, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("development stage"),
    )
    next_contact_date = models.DateField(_("next contact date"), null=True, blank=True)
    changed_at = models.DateTimeField(_("changed"), auto_now=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("changed by"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            # The card's History, newest first, in keyset pages.
            models.Index(fields=["client", "-created_at", "-id"], name="activity_event_card"),
            # A user's own events over a period (the report without the right to all users' journals).
            models.Index(fields=["author", "created_at", "id"], name="activity_event_author"),
            models.Index(fields=["created_at", "id"], name="activity_event_date"),
            # "Events of a type in a period" (the Flexi-filter, the report's type filter).
            models.Index(fields=["event_type", "created_at", "client"], name="activity_event_type"),
            # Event statistics: counts by author and type over a period read from this index alone, in its order
            # (a year of 5,000,000 events: 0.4 s on SQLite; through activity_event_author and the table, 4.5 s).
            models.Index(fields=["author", "event_type", "created_at"], name="activity_event_stats"),
        ]

    def __str__(self) -> str:
        return f"event #{self.pk}"


class ProjectItem(models.Model):
    """A theme (no parent) or a case of the project planner (PLN-03); cases nest to any depth."""

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children", verbose_name=_("theme")
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("responsible")
    )
    starts_on = models.DateField(_("start"))
    due_on = models.DateField(_("due"))
    percent = models.PositiveSmallIntegerField(_("percent done"), default=0)
    report = models.TextField(_("execution report"), blank=True)
    delegation_allowed = models.BooleanField(_("delegation allowed"), default=False)
    position = models.PositiveIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ["position", "starts_on", "id"]
        verbose_name = _("project case")
        verbose_name_plural = _("project cases")
        constraints = [
            models.CheckConstraint(condition=Q(due_on__gte=F("starts_on")), name="activity_item_due_after_start"),
            models.CheckConstraint(condition=Q(percent__lte=100), name="activity_item_percent"),
        ]

    def __str__(self) -> str:
        return self.title


class Task(models.Model):
    """A task of one of the manual's first three kinds (TSK-01, TSK-03, TSK-04)."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Reminder task")
        REPORT = "report", _("Task requiring a report")
        PROJECT = "project", _("Project task")

    class State(models.TextChoices):
        NEW = "new", _("Set")
        ACCEPTED = "accepted", _("Accepted for execution")
        COMPLETED = "completed", _("Completed, report awaits acceptance")
        REWORK = "rework", _("Returned for rework")
        CLOSED = "closed", _("Closed")

    class Importance(models.TextChoices):
        LOW = "low", _("Low")
        NORMAL = "normal", _("Normal")
        HIGH = "high", _("High")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.REMINDER)
    client = models.ForeignKey(
        "clients.Client", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("client")
    )
    case = models.ForeignKey(
        ProjectItem, null=True, blank=True, on_delete=models.CASCADE, related_name="tasks",
        verbose_name=_("theme or case"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("assignee")
    )
    created_at = models.DateTimeField(_("date set"), default=timezone.now)
    importance = models.CharField(_("importance"), max_length=8, choices=Importance.choices,
                                  default=Importance.NORMAL)
    starts_at = models.DateTimeField(_("start"))
    duration_minutes = models.PositiveIntegerField(_("duration, minutes"), default=60)
    due_at = models.DateTimeField(_("due"))
    description = models.TextField(_("task"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.NEW)
    report = models.TextField(_("execution report"), blank=True)
    remind = models.BooleanField(_("remind"), default=False)
    remind_minutes = models.PositiveIntegerField(_("remind before, minutes"), default=15)
    # The next notice due to the assignee (a reminder at start − lead time, a project task's start), cleared by the
    # periodic job that sends it, in the same transaction: sent exactly once, whichever worker runs the job.
    notify_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # When the author was told that the assignee can no longer open the task's client (the periodic job tells him
    # once; a new assignee starts afresh).
    access_lost_told_at = models.DateTimeField(null=True, blank=True, editable=False)
    changed_at = models.DateTimeField(_("changed"), auto_now=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("changed by"),
    )

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [
            # A user's day and two weeks (planners, monitor, feed): his tasks by start.
            models.Index(fields=["assignee", "starts_at", "id"], name="activity_task_assignee"),
            models.Index(fields=["author", "starts_at", "id"], name="activity_task_author"),
            models.Index(fields=["client", "-created_at", "-id"], name="activity_task_card"),
            models.Index(fields=["starts_at", "id"], name="activity_task_start"),
            models.Index(fields=["state", "due_at"], name="activity_task_state_due"),
            # A client's open tasks by due time (the Flexi-filter's "has active / overdue tasks").
            models.Index(fields=["client", "due_at"], name="activity_task_open", condition=~Q(state="closed")),
            # The two-week planner's load: open tasks by assignee and start, with what its access check reads and
            # the state (the query's "not closed" comes as a parameter, which SQLite checks on each row).
            models.Index(fields=["assignee", "starts_at", "state", "author", "client"], name="activity_task_open_plan",
                         condition=~Q(state="closed")),
            models.Index(fields=["notify_at"], name="activity_task_notify",
                         condition=Q(notify_at__isnull=False)),
            models.Index(fields=["closed_at"], name="activity_task_closed",
                         condition=Q(closed_at__isnull=False)),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(due_at__gte=F("starts_at")), name="activity_task_due_after_start"),
            models.CheckConstraint(
                condition=(Q(kind="project", case__isnull=False, client__isnull=True)
                           | (~Q(kind="project") & Q(client__isnull=False, case__isnull=True))),
                name="activity_task_bound",
            ),
            models.CheckConstraint(
                condition=Q(state="closed", closed_at__isnull=False) | (~Q(state="closed") & Q(closed_at__isnull=True)),
                name="activity_task_closed_at",
            ),
        ]

    def __str__(self) -> str:
        return f"task #{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.state != self.State.CLOSED


class TaskTransition(models.Model):
    """One step of a task's life (TSK-03): who moved it from which state to which, when, with what comment."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="transitions")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    from_state = models.CharField(max_length=10, choices=Task.State.choices, blank=True)
    to_state = models.CharField(max_length=10, choices=Task.State.choices)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["task", "at"], name="activity_transition_task")]

    def __str__(self) -> str:
        return f"{self.from_state}→{self.to_state}"


class CalendarFeed(models.Model):
    """A user's calendar address (PLN-04): his tasks as an ICS feed that phone and desktop calendars subscribe to,
    reached by a secret token instead of a session.

    Only the token's SHA-256 is kept: the token is shown once, when the address is made, and a stolen copy of the
    base opens no feed. A user has at most one live address; replacing it, revoking it or changing his password
    (the old one may have leaked with it) ends the old one.
    """

    class Ended(models.TextChoices):
        REVOKED = "revoked", _("Revoked by the user")
        REPLACED = "replaced", _("Replaced by a new address")
        PASSWORD = "password", _("Revoked: the password was changed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    ended = models.CharField(_("why ended"), max_length=8, choices=Ended.choices, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("calendar address")
        verbose_name_plural = _("calendar addresses")
        constraints = [
            # One live address per user: two concurrent "create" clicks cannot leave two.
            models.UniqueConstraint(fields=["user"], condition=Q(revoked_at__isnull=True),
                                    name="activity_feed_one_live"),
            models.CheckConstraint(condition=Q(revoked_at__isnull=True, ended="")
                                   | Q(revoked_at__isnull=False) & ~Q(ended=""), name="activity_feed_ended"),
        ]

    def __str__(self) -> str:
        return f"calendar feed #{self.pk}"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None


class CleanupSchedule(models.Model):
    """The nightly clean-up of closed tasks (TSK-10), one row: `months` set → every night the tasks closed more
    than that many months ago are deleted by the same job as the page's; empty → no nightly clean-up."""

    months = models.PositiveSmallIntegerField(_("delete closed tasks older than, months"), null=True, blank=True)
    changed_at = models.DateTimeField(_("changed"), auto_now=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("changed by"),
    )

    class Meta:
        verbose_name = _("nightly clean-up")

    def __str__(self) -> str:
        return f"clean-up after {self.months} months" if self.months else "no nightly clean-up"
