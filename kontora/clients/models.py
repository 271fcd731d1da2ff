"""The client card's data. Reads go through `clients.access` / `clients.selectors`, never straight here.

`*_key` columns are search forms kept by the services (kontora.core.text): SQLite does not fold
Cyrillic, and the registry must stay instant on a million rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kontora.directories import models as dirs


class Client(models.Model):
    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        PERSON = "person", _("Person")

    code = models.PositiveIntegerField(_("code"), unique=True, editable=False)
    kind = models.CharField(_("client type"), max_length=8, choices=Kind.choices, default=Kind.COMPANY)
    full_name = models.CharField(_("full name"), max_length=500)
    short_name = models.CharField(_("short name"), max_length=300)
    name_key = models.CharField(max_length=300, editable=False)
    full_name_key = models.CharField(max_length=500, editable=False)
    region = models.ForeignKey(dirs.Region, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("region"))
    settlement = models.ForeignKey(
        dirs.Settlement, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("city")
    )
    city_key = models.CharField(max_length=200, blank=True, editable=False)
    address = models.CharField(_("address"), max_length=500, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=6, blank=True)
    phone = models.CharField(_("main phones"), max_length=200, blank=True)
    phone_digits = models.CharField(max_length=200, blank=True, editable=False)
    fax = models.CharField(_("fax"), max_length=100, blank=True)
    fax_digits = models.CharField(max_length=100, blank=True, editable=False)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.CharField(_("website"), max_length=200, blank=True)
    main_contact = models.CharField(_("main contact"), max_length=300, blank=True)
    inn = models.CharField(_("INN"), max_length=12, blank=True, db_index=True)
    kpp = models.CharField(_("KPP"), max_length=9, blank=True)
    ogrn = models.CharField(_("OGRN / OGRNIP"), max_length=15, blank=True)
    curator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="curated_clients",
        verbose_name=_("curator"),
    )
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="specialist_clients", verbose_name=_("specialist"),
    )
    status = models.ForeignKey(
        dirs.ClientStatus, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("status")
    )
    size = models.ForeignKey(
        dirs.CompanySize, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("company size")
    )
    source = models.ForeignKey(
        dirs.InformationSource, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("information source")
    )
    priority = models.ForeignKey(
        dirs.Priority, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("priority")
    )
    activity = models.ForeignKey(
        dirs.ActivityType, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("activity type")
    )
    directions = models.ManyToManyField(dirs.Direction, blank=True, verbose_name=_("directions"))
    notes = models.TextField(_("notes"), blank=True)
    ladder_stage = models.ForeignKey(
        dirs.LadderStage, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("current stage"),
    )
    next_stage = models.ForeignKey(
        dirs.LadderStage, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("next stage"),
    )
    penetration = models.ForeignKey(
        dirs.PenetrationDepth, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("penetration depth")
    )
    reaction = models.ForeignKey(
        dirs.ContactReaction, null=True, blank=True, on_delete=models.PROTECT,
        verbose_name=_("reaction to the last contact"),
    )
    loyalty = models.ForeignKey(
        dirs.Loyalty, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("loyalty")
    )
    prospect = models.ForeignKey(
        dirs.Prospect, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("prospects")
    )
    competitors = models.ManyToManyField(dirs.Competitor, blank=True, verbose_name=_("competitors present"))
    next_contact_date = models.DateField(_("next contact date"), null=True, blank=True)
    flagged = models.BooleanField(_("flag"), default=False)
    needs_attention = models.BooleanField(_("requires special attention"), default=False)
    is_private = models.BooleanField(_("private client"), default=False)
    has_files = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("registered by"),
    )
    changed_at = models.DateTimeField(_("changed"), auto_now=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("changed by"),
    )

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["name_key", "id"]
        indexes = [
            # Keyset pagination and Ctrl+F: one index per sortable registry column, ending with id.
            models.Index(fields=["name_key", "id"], name="clients_name_seek"),
            models.Index(fields=["city_key", "id"], name="clients_city_seek"),
            models.Index(fields=["changed_at", "id"], name="clients_changed_seek"),
            models.Index(fields=["status", "id"], name="clients_status_seek"),
            models.Index(fields=["curator", "name_key", "id"], name="clients_curator_seek"),
            models.Index(fields=["specialist", "id"], name="clients_specialist"),
            models.Index(fields=["phone_digits"], name="clients_phone"),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.short_name}"


class ClientGrant(models.Model):
    """Access to a client granted to a user who is neither its curator nor its specialist."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="client_grants")
    can_edit = models.BooleanField(_("may edit"), default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "user"], name="clients_grant_unique")]
        indexes = [models.Index(fields=["user", "client"])]

    def __str__(self) -> str:
        return f"{self.client_id}→{self.user_id}"


class ContactPerson(models.Model):
    """A person of the client's personnel (the card's Personnel tab)."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="contacts")
    full_name = models.CharField(_("full name"), max_length=300)
    position = models.CharField(_("position"), max_length=200, blank=True)
    phone_office = models.CharField(_("office phone"), max_length=100, blank=True)
    phone_mobile = models.CharField(_("mobile phone"), max_length=100, blank=True)
    phone_home = models.CharField(_("home phone"), max_length=100, blank=True)
    phones_digits = models.CharField(max_length=320, blank=True, editable=False)
    email = models.EmailField(_("e-mail"), blank=True)
    birthday = models.DateField(_("birthday"), null=True, blank=True)
    competence = models.TextField(_("competence"), blank=True)
    characteristics = models.TextField(_("characteristics"), blank=True)
    relatives = models.TextField(_("relatives"), blank=True)
    biography = models.TextField(_("biography"), blank=True)
    is_main = models.BooleanField(_("main contact"), default=False)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["-is_main", "full_name", "id"]

    def __str__(self) -> str:
        return self.full_name


class RegistryPreference(models.Model):
    """A user's default sort of the client registry (Settings → Parameters → Sorting), applied at sign-in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="client_registry_preference"
    )
    default_sort = models.CharField(_("default sort"), max_length=16, default="name")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.default_sort}"


def _client_file_path(instance: ClientFile, filename: str) -> str:
    # The stored name never comes from the user: no traversal, no clashes; the shown name is `name`.
    import uuid

    return f"clients/{instance.client_id}/{uuid.uuid4().hex}"


class ClientFolder(models.Model):
    """A folder of the card's Files tab; folders nest to any depth (FIL-01)."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="folders")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    name = models.CharField(_("name"), max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("folder")
        verbose_name_plural = _("folders")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class ClientFile(models.Model):
    """A file attached to a client; content in Django storage under KONTORA_HOME/files (FIL-01 … FIL-04)."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="files")
    folder = models.ForeignKey(ClientFolder, null=True, blank=True, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(_("file name"), max_length=255)
    content = models.FileField(upload_to=_client_file_path, max_length=300)
    size = models.BigIntegerField(_("size"), default=0)
    content_type = models.CharField(max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    changed_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("attached file")
        verbose_name_plural = _("attached files")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["client", "folder"])]

    def __str__(self) -> str:
        return self.name
