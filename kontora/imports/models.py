"""An import of a client list (IMP-01 … IMP-04) and its staged rows.

An `Import` is one file taken through the manual's three steps: loaded (its rows read, cleaned and staged here),
checked (the dry run: each row decided create / update / skip / conflict / error against the base), then written
by a job in batches, and perhaps undone. The staged rows are what the editable grid pages through (keyset by the
row's number in the file) and what the writing job reads; after writing, a row keeps the client it wrote and, for an
update, the old values of the fields it changed — what undo (and a cancelled or failed run) restores.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kontora.clients.models import Client
from kontora.directories import models as dirs


class Import(models.Model):
    class State(models.TextChoices):
        LOADED = "loaded", pgettext_lazy("import state", "Loaded")
        CHECKING = "checking", pgettext_lazy("import state", "Being checked")
        CHECKED = "checked", pgettext_lazy("import state", "Checked")
        RUNNING = "running", pgettext_lazy("import state", "Importing")
        DONE = "done", pgettext_lazy("import state", "Imported")
        FAILED = "failed", pgettext_lazy("import state", "Failed, rolled back")
        CANCELLED = "cancelled", pgettext_lazy("import state", "Cancelled, rolled back")
        UNDONE = "undone", pgettext_lazy("import state", "Undone")

    class MatchKey(models.TextChoices):
        NONE = "", pgettext_lazy("import match", "No matching: every row is a new client")
        INN_KPP = "inn_kpp", pgettext_lazy("import match", "INN and KPP")
        INN = "inn", pgettext_lazy("import match", "INN")
        PHONE = "phone", pgettext_lazy("import match", "Phone")
        EMAIL = "email", pgettext_lazy("import match", "E-mail")
        NAME = "name", pgettext_lazy("import match", "Name")

    class OnMatch(models.TextChoices):
        UPDATE = "update", pgettext_lazy("import match", "Update the client found")
        SKIP = "skip", pgettext_lazy("import match", "Skip the row")

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("author"))
    filename = models.CharField(_("file"), max_length=255)
    sheet = models.CharField(_("sheet"), max_length=255, blank=True)
    encoding = models.CharField(max_length=20, blank=True)  # a CSV's, as read
    delimiter = models.CharField(max_length=2, blank=True)
    created_at = models.DateTimeField(_("loaded"), auto_now_add=True)
    checked_at = models.DateTimeField(_("checked"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.LOADED)
    options = models.JSONField(default=dict)  # cleaning.Options as a dict: what the automatic processing did
    mapping = models.JSONField(default=dict)  # {column index as text: field key}
    headers = models.JSONField(default=list)  # the header row's cells ([] without one)
    match_key = models.CharField(_("match by"), max_length=8, choices=MatchKey.choices, blank=True)
    on_match = models.CharField(_("a row that matches"), max_length=8, choices=OnMatch.choices,
                                default=OnMatch.UPDATE)
    status = models.ForeignKey(dirs.ClientStatus, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("status"))
    priority = models.ForeignKey(dirs.Priority, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("priority"))
    rows_total = models.PositiveIntegerField(default=0)
    rows_with_errors = models.PositiveIntegerField(default=0)
    # The dry run's decisions, then what the run wrote.
    to_create = models.PositiveIntegerField(default=0)
    to_update = models.PositiveIntegerField(default=0)
    to_skip = models.PositiveIntegerField(default=0)
    conflicts = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    job = models.OneToOneField("core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # What a rollback (cancel, failure) or undo could not take back: [{"client": id, "reason": text}].
    kept = models.JSONField(default=list, blank=True)
    # The upload as kept in the files' storage for the jobs (load again with other choices); "" once gone.
    upload = models.CharField(max_length=255, blank=True)
    preview = models.JSONField(default=list, blank=True)  # the file's first rows as read: the mapping's sample

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        indexes = [models.Index(fields=["author", "-created_at"], name="imports_author")]

    def __str__(self) -> str:
        return f"import {self.pk}: {self.filename}"


class ImportRow(models.Model):
    """One row of the file, staged: cleaned values by field, problems, the decision and what was written."""

    class Action(models.TextChoices):
        UNDECIDED = "", pgettext_lazy("import action", "Not checked")
        CREATE = "create", pgettext_lazy("import action", "Create")
        UPDATE = "update", pgettext_lazy("import action", "Update")
        SKIP = "skip", pgettext_lazy("import action", "Skip")
        CONFLICT = "conflict", pgettext_lazy("import action", "Conflict")
        ERROR = "error", pgettext_lazy("import action", "Error")

    run = models.ForeignKey(Import, on_delete=models.CASCADE, related_name="rows")
    number = models.PositiveIntegerField(_("row"))  # the row's number in the file
    values = models.JSONField(default=dict)  # cleaning.CleanRow.values
    region_id = models.BigIntegerField(null=True, blank=True)  # the directory's, as the cleaning found them
    settlement_id = models.BigIntegerField(null=True, blank=True)
    problems = models.JSONField(default=list, blank=True)  # [{column, column_name, field, message, severity}]
    has_errors = models.BooleanField(default=False)
    action = models.CharField(_("action"), max_length=8, choices=Action.choices, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)  # of a skip or a conflict
    # The client the dry run matched (an update, a skip); never one the author may not open.
    client = models.ForeignKey(Client, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("client"))
    changes = models.JSONField(default=list, blank=True)  # the dry run's [{"field", "label", "old", "new"}]
    # After writing: the client written, and for an update the old column values of what changed (undo's).
    written = models.ForeignKey(Client, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    old = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("import row")
        verbose_name_plural = _("import rows")
        ordering = ["run", "number"]
        constraints = [models.UniqueConstraint(fields=["run", "number"], name="imports_row_once")]
        indexes = [
            models.Index(fields=["run", "action", "number"], name="imports_row_action"),
            models.Index(fields=["written"], name="imports_row_written", condition=models.Q(written__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.number}"
