from __future__ import annotations

import datetime
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SystemSettings(models.Model):
    """Base-wide settings: one row (pk=1). Read through `selectors.system_settings()`."""

    sales_enabled = models.BooleanField(_("Sales accounting"), default=True)
    works_enabled = models.BooleanField(_("Works and services accounting"), default=True)
    warehouse_enabled = models.BooleanField(_("Warehouse accounting"), default=True)
    cash_enabled = models.BooleanField(_("Cash accounting"), default=True)
    security_tab_enabled = models.BooleanField(_("Client card “Security” tab"), default=True)
    shipping_tab_enabled = models.BooleanField(_("Client card “Shipping” tab"), default=True)
    login_user_list = models.BooleanField(
        _("Choose the user from a list on the login page"), default=False,
        help_text=_("Convenient in a closed office network; the list shows the names of active users."),
    )
    signin_allowed_networks = models.TextField(
        _("Office networks never slowed at sign-in"), blank=True,
        help_text=_("Addresses or networks (CIDR, e.g. 192.168.0.0/24), separated by commas or lines. Repeated "
                    "failed sign-ins from one address slow further attempts from it; a whole office behind one "
                    "address is not slowed if its network is listed here."),
    )
    # The office's clock (issue 14): a user without a time zone of his own lives in this one; the day planner draws
    # the working day between these hours, and office days (OfficeDay) say which dates are worked.
    time_zone = models.CharField(_("Office time zone"), max_length=64, blank=True)
    work_start = models.TimeField(_("Working day starts"), default=datetime.time(9, 0))
    work_end = models.TimeField(_("Working day ends"), default=datetime.time(18, 0))
    # Group processing (GRP-05): the manual's limit of one run; a larger selection is refused with a message.
    bulk_max_clients = models.PositiveIntegerField(
        _("Most clients in one group processing run"), default=500,
        validators=[MinValueValidator(1), MaxValueValidator(10_000)],
    )
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("system settings")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="core_systemsettings_singleton")]

    def __str__(self) -> str:
        return "system settings"


def _entity_image_path(entity: LegalEntity, filename: str) -> str:
    # A fresh name per upload: a replaced image's old file waits for its purge (backups may still name it).
    return f"entities/{entity.pk}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class LegalEntity(models.Model):
    """One of our own legal entities (Constants): pre-fills documents issued on its behalf."""

    # The images printed on «Счёт на оплату» and the act when the user asks «с печатью и подписью» (INV-06), never on
    # an invoice-factura or a УПД; PNG or JPEG, kept in the storage like every other stored file.
    IMAGE_FIELDS = ("stamp", "director_signature", "accountant_signature")

    full_name = models.CharField(_("full name"), max_length=500)
    short_name = models.CharField(_("short name"), max_length=200)
    inn = models.CharField(_("INN"), max_length=12)
    kpp = models.CharField(_("KPP"), max_length=9, blank=True)
    ogrn = models.CharField(_("OGRN / OGRNIP"), max_length=15, blank=True)
    legal_address = models.CharField(_("legal address"), max_length=500, blank=True)
    actual_address = models.CharField(_("actual address"), max_length=500, blank=True)
    director = models.CharField(_("director"), max_length=200, blank=True)
    chief_accountant = models.CharField(_("chief accountant"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=64, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    stamp = models.FileField(_("stamp"), upload_to=_entity_image_path, max_length=300, blank=True)
    director_signature = models.FileField(_("director's signature"), upload_to=_entity_image_path, max_length=300,
                                          blank=True)
    accountant_signature = models.FileField(_("chief accountant's signature"), upload_to=_entity_image_path,
                                            max_length=300, blank=True)
    is_default = models.BooleanField(_("default legal entity"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("legal entity")
        verbose_name_plural = _("legal entities")
        ordering = ["-is_default", "short_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="core_legalentity_one_default"
            ),
        ]

    def __str__(self) -> str:
        return self.short_name


class BankAccount(models.Model):
    """A settlement account of one of our legal entities."""

    legal_entity = models.ForeignKey(LegalEntity, on_delete=models.CASCADE, related_name="bank_accounts")
    bank_name = models.CharField(_("bank"), max_length=300)
    bik = models.CharField(_("BIK"), max_length=9)
    corr_account = models.CharField(_("correspondent account"), max_length=20, blank=True)
    account = models.CharField(_("settlement account"), max_length=20)
    is_default = models.BooleanField(_("default account"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bank account")
        verbose_name_plural = _("bank accounts")
        ordering = ["-is_default", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="core_bankaccount_one_default"
            ),
            models.UniqueConstraint(fields=["legal_entity", "account", "bik"], name="core_bankaccount_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.bank_name} {self.account}"


class TaxRegime(models.Model):
    """A legal entity's tax regime over a period (INV-03): it decides which VAT rates its invoices offer
    (`billing.selectors.vat`). Periods of one entity do not overlap; open ends are empty dates."""

    class Regime(models.TextChoices):
        GENERAL = "general", _("general regime")
        SIMPLIFIED_VAT = "simplified_vat", _("simplified regime with VAT")
        WITHOUT_VAT = "without_vat", _("without VAT")

    legal_entity = models.ForeignKey(LegalEntity, on_delete=models.CASCADE, related_name="tax_regimes",
                                     verbose_name=_("legal entity"))
    regime = models.CharField(_("tax regime"), max_length=20, choices=Regime.choices, default=Regime.GENERAL)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    # The simplified regime's reduced rate chosen by the entity (5 or 7 %); empty for the other regimes.
    reduced_rate = models.DecimalField(_("reduced VAT rate, %"), max_digits=4, decimal_places=2, null=True,
                                       blank=True)

    class Meta:
        verbose_name = _("tax regime")
        verbose_name_plural = _("tax regimes")
        ordering = ["legal_entity", "valid_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(valid_to__isnull=True) | Q(valid_from__isnull=True) | Q(valid_to__gte=models.F("valid_from"))
                ),
                name="core_taxregime_period",
            ),
            models.CheckConstraint(
                condition=Q(reduced_rate__isnull=True) | Q(regime="simplified_vat", reduced_rate__in=[5, 7]),
                name="core_taxregime_reduced_rate",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.legal_entity_id}: {self.get_regime_display()}"


class UserParameters(models.Model):
    """Settings → Parameters of one user (ACC-07). Later features add their own fields."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="parameters")
    # The main window's side panels as the user left them, on whichever computer he signs in next. The Informer's
    # is `informer_at_start`: the manual's «Don't show at start» box is that same state.
    informer_at_start = models.BooleanField(_("Show the informer at start"), default=True)
    assistant_open = models.BooleanField(_("Show the Assistant panel"), default=True)
    show_tasks_at_login = models.BooleanField(
        _("Show the task journal at login when there are active tasks"), default=False
    )
    report_overdue_at_login = models.BooleanField(_("Report overdue tasks at login"), default=False)
    # Empty: the office's (SystemSettings.time_zone, else settings.TIME_ZONE). "Today", reminders, the planners,
    # the same-day correction of an event and the calendar feed are in this zone.
    time_zone = models.CharField(_("Time zone"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("user parameters")

    def __str__(self) -> str:
        return f"parameters of {self.user_id}"


class Job(models.Model):
    """A long-running piece of work (import, mailing, backup, …) with progress and a result."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        CANCELLING = "cancelling", _("Cancelling")
        CANCELLED = "cancelled", _("Cancelled")

    kind = models.CharField(_("kind"), max_length=64)
    title = models.CharField(_("title"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(_("message"), max_length=500, blank=True)
    result = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)
    params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The lease of a running job (services.jobs): who runs it, until when unless renewed, and the token of that
    # run, which every write of the run names, so a run taken over by another worker writes nothing more.
    worker_host = models.CharField(max_length=255, blank=True)
    worker_pid = models.PositiveIntegerField(null=True, blank=True)
    lease_token = models.CharField(max_length=32, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Where a handler's work stands, saved with the work it marks: a run that takes the job over goes on from it.
    checkpoint = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "-created_at"]), models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, int(self.done * 100 / self.total))

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED, self.Status.CANCELLED}


class Notification(models.Model):
    """An in-app message to one user; shown as a toast and counted on the bell until read."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=32, default="message")
    text = models.TextField(_("text"))
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at", "-id"])]

    def __str__(self) -> str:
        return self.text[:50]


class Department(models.Model):
    """First level of the enterprise structure (ORG-02)."""

    name = models.CharField(_("name"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["order", "name", "id"]

    def __str__(self) -> str:
        return self.name


class Position(models.Model):
    """Second level of the enterprise structure: a position within a department."""

    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="positions")
    name = models.CharField(_("name"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["order", "name", "id"]

    def __str__(self) -> str:
        return self.name


class AuditEvent(models.Model):
    """One audited write (DESIGN "Audit"): who did what to which record, with the fields' old and new values.

    Written by `core.audit.audit_record` inside the service's own transaction, so a rolled-back write leaves no
    row. A row about a client (`client_id`) is that client's data: the card's change history lists these rows,
    and any page listing them starts from the user's openable clients.
    """

    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("who"),
    )
    event = models.CharField(_("event"), max_length=64)  # "<app>.<entity>.<verb>", e.g. "clients.client.update"
    summary = models.CharField(_("action"), max_length=200)  # the words a history shows, as the user saw them
    target_type = models.CharField(max_length=64, blank=True)  # "<app_label>.<model>"
    target_id = models.BigIntegerField(null=True, blank=True)
    # No foreign key: core knows no clients, and the audit outlives what it describes.
    client_id = models.BigIntegerField(null=True, blank=True)
    # [{"field": label, "old": text, "new": text}, …]: texts, so a row reads the same after a directory changes.
    changes = models.JSONField(default=list, blank=True)
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["client_id", "-at", "-id"], name="core_audit_client",
                         condition=Q(client_id__isnull=False)),
            models.Index(fields=["target_type", "target_id"], name="core_audit_target"),
            models.Index(fields=["-at", "-id"], name="core_audit_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.event} {self.target_type}#{self.target_id}"


class NumberCounter(models.Model):
    """The last number given per (kind, legal entity, year) by `core.numbering`; 0 stands for "none".

    Documents advance it inside their own transaction under a row lock (gapless); record codes on SQLite advance
    it too (PostgreSQL takes codes from sequences instead, so creations never wait for each other).
    """

    kind = models.CharField(max_length=64)
    entity = models.PositiveBigIntegerField(default=0)  # the legal entity's id, or 0
    year = models.PositiveSmallIntegerField(default=0)  # the document date's year, or 0
    last = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("number counter")
        verbose_name_plural = _("number counters")
        constraints = [
            models.UniqueConstraint(fields=["kind", "entity", "year"], name="core_number_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}/{self.entity}/{self.year}: {self.last}"


class HeavyRequest(models.Model):
    """A heavy request of a user in progress (`core.budget`: the registry, the Flexi-filter, the search): a user
    holds at most `HEAVY_REQUESTS_PER_USER` slots at once. The rows live in the base because several servers share
    it; a slot of a request whose process died is taken over once it is older than `HEAVY_SLOT_STALE_SECONDS`."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    slot = models.PositiveSmallIntegerField()
    token = models.CharField(max_length=32)
    started = models.BigIntegerField()  # Unix time in milliseconds: compared across servers in one SQL statement

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "slot"], name="core_heavyrequest_slot")]

    def __str__(self) -> str:
        return f"heavy request {self.user_id}/{self.slot}"


class BackupRun(models.Model):
    """A backup in progress, in the base so every process sees it: while one runs, stored files whose rows are
    deleted stay in storage (`StoredPurge`), since the backup's snapshot may still name them.

    The backup beats `alive_at` as it works; a run whose beat is older than `services.storage.RUN_STALE` was
    killed and no longer holds purges back.
    """

    started_at = models.DateTimeField(default=timezone.now)
    alive_at = models.DateTimeField(default=timezone.now)
    pid = models.PositiveIntegerField(default=0)
    host = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = _("backup in progress")
        verbose_name_plural = _("backups in progress")

    def __str__(self) -> str:
        return f"backup {self.host}:{self.pid} since {self.started_at:%Y-%m-%d %H:%M:%S}"


class PeriodicClaim(models.Model):
    """One run of a periodic task (core.periodic): the worker that inserts (task, minute) runs it, the others skip."""

    task = models.CharField(max_length=200)
    slot = models.DateTimeField()  # the scheduled minute, UTC
    claimed_at = models.DateTimeField(default=timezone.now)
    host = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("periodic task run")
        verbose_name_plural = _("periodic task runs")
        constraints = [models.UniqueConstraint(fields=["task", "slot"], name="periodic_claim_once")]
        indexes = [models.Index(fields=["slot"])]

    def __str__(self) -> str:
        return f"{self.task} at {self.slot:%Y-%m-%d %H:%M}"


class StoredPurge(models.Model):
    """A stored file whose row is deleted, waiting to leave storage until no backup in progress may need it."""

    name = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("stored file to purge")
        verbose_name_plural = _("stored files to purge")

    def __str__(self) -> str:
        return self.name


class ServerProcess(models.Model):
    """A running `kontora serve` or `kontora worker`, in the base so that every home sharing it sees it: a restore
    is refused while any row is fresh (`selectors.servers.servers_running`), wherever it is started from.

    The process renews `seen_at` every `services.servers.RENEW_EVERY` seconds and deletes its row when it stops
    cleanly; a row not renewed for `selectors.servers.FRESH` was left by a process that died."""

    role = models.CharField(max_length=16)  # "serve" or "worker"
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    port = models.PositiveIntegerField(null=True, blank=True)  # the web server's port; none for a worker
    home = models.CharField(max_length=1000)
    started_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("running server")
        verbose_name_plural = _("running servers")

    def __str__(self) -> str:
        where = f"{self.host}:{self.port}" if self.port else self.host
        return f"{self.role} on {where} (pid {self.pid})"


class OfficeDay(models.Model):
    """A date that differs from the ordinary week of the office calendar: a holiday on a weekday, or a weekend
    worked (a moved working day). Dates without a row follow the week: Monday–Friday worked."""

    date = models.DateField(_("date"), unique=True)
    is_working = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("office calendar day")
        verbose_name_plural = _("office calendar days")

    def __str__(self) -> str:
        return f"{self.date} {'work' if self.is_working else 'off'}"
