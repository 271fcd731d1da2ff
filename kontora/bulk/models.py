"""Group processing (GRP-01, GRP-02, GRP-05): a run over a frozen selection of clients, and one outcome per client.

The selection is frozen when the user confirms — the run keeps the list of client ids, so it does not depend on a
later request or on marks changed meanwhile. An outcome is written in the same transaction as its client's change,
so a run taken over after a crash never changes a client twice and never loses what it did.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kontora.clients.models import Client


class BulkRun(models.Model):
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("author"))
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    job = models.OneToOneField("core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    selection = models.CharField(_("selection"), max_length=300)  # "marked clients", a filter's label
    client_ids = models.JSONField(default=list)  # the frozen selection, in the registry's order
    plan = models.JSONField(default=dict)  # what to do to each client (services.Plan.to_json)

    class Meta:
        verbose_name = _("group processing run")
        verbose_name_plural = _("group processing runs")
        indexes = [models.Index(fields=["author", "-created_at"], name="bulk_run_author")]

    def __str__(self) -> str:
        return f"run {self.pk} by {self.author_id}"


class BulkOutcome(models.Model):
    class Result(models.TextChoices):
        CHANGED = "changed", _("Changed")
        UNCHANGED = "unchanged", _("Nothing to change")
        SKIPPED = "skipped", _("Skipped")
        FAILED = "failed", _("Not changed: error")

    run = models.ForeignKey(BulkRun, on_delete=models.CASCADE, related_name="outcomes")
    position = models.PositiveIntegerField()  # the client's place in the frozen selection
    client = models.ForeignKey(Client, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("client"))
    result = models.CharField(_("result"), max_length=10, choices=Result.choices)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    changes = models.JSONField(default=list, blank=True)  # [{"field", "old", "new"}], as the card's history
    task = models.ForeignKey("activity.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("task"))

    class Meta:
        verbose_name = _("group processing outcome")
        verbose_name_plural = _("group processing outcomes")
        constraints = [models.UniqueConstraint(fields=["run", "position"], name="bulk_outcome_once")]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.position}: {self.result}"
