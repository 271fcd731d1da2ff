"""Goals, plans and achievements. An achievement keeps the weight its goal had when it was earned: a weight
changed later applies from then on."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kontora.directories.models import EventResult, EventType

DIGITS, PLACES = 9, 2  # weights and plans: units to the hundredth


def _units(label: str | object, *, minimum: Decimal = Decimal(0), **more: object) -> models.DecimalField:
    return models.DecimalField(label, max_digits=DIGITS, decimal_places=PLACES,  # type: ignore[arg-type]
                               validators=[MinValueValidator(minimum)], **more)  # type: ignore[arg-type]


class Goal(models.Model):
    """A goal employees strive for, of a kind some app registered (`hooks.GOAL_KINDS`): an event of a type (and
    result, if one is given), a completed task …; worth `weight` units each time it is reached."""

    kind = models.CharField(_("goal kind"), max_length=32)
    event_type = models.ForeignKey(EventType, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("event type"))
    event_result = models.ForeignKey(EventResult, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("event result"))
    weight = _units(_("weight"), minimum=Decimal("0.01"))
    is_active = models.BooleanField(_("active"), default=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        indexes = [models.Index(fields=["kind", "event_type"], name="targeting_goal_kind")]

    def __str__(self) -> str:
        return f"{self.kind} {self.event_type_id or ''} {self.weight}"


class Plan(models.Model):
    """An employee's targets in weight units (set in Администрирование → Система таргетинга)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True,
                                related_name="+", verbose_name=_("employee"))
    per_day = _units(_("plan per day"), default=Decimal(0))
    per_week = _units(_("plan per week"), default=Decimal(0))
    per_month = _units(_("plan per month"), default=Decimal(0))
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("targeting plan")
        verbose_name_plural = _("targeting plans")

    def __str__(self) -> str:
        return f"{self.per_day} / {self.per_week} / {self.per_month}"


class Achievement(models.Model):
    """A goal reached by an employee through one record of its source (an event, a task): written and taken back
    only by `services.achievements_sync`, so a corrected record's figures follow it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("employee"))
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="+", verbose_name=_("goal"))
    weight = _units(_("weight"))  # as the goal weighed when it was earned
    achieved_at = models.DateTimeField(_("achieved"))
    source = models.CharField(max_length=32)  # "event", "task" …: what kind of record earned it
    source_id = models.BigIntegerField()

    class Meta:
        verbose_name = _("achievement")
        verbose_name_plural = _("achievements")
        constraints = [models.UniqueConstraint(fields=["goal", "source", "source_id"],
                                               name="targeting_achievement_once")]
        indexes = [
            models.Index(fields=["user", "achieved_at"], name="targeting_user_when"),
            models.Index(fields=["source", "source_id"], name="targeting_source"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.weight}"
