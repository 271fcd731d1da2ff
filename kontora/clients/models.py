"""The client card's data. Reads go through `clients.access` / `clients.selectors`, never straight here.

`*_key` columns are search forms kept by the services (kontora.core.text): SQLite does not fold
Cyrillic, and the registry must stay instant on a million rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
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
    # The short name's key without its legal form («юпитер» of «ООО «Юпитер»»): Ctrl+F and the picker seek it too.
    name_core_key = models.CharField(max_length=300, editable=False, default="")
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
    # A named flag of the registry (the manual's «Горячий клиент», «Синий флаг»), from directories' client flags.
    flag = models.ForeignKey(dirs.ClientFlag, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("flag"))
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
            models.Index(fields=["name_core_key", "name_key", "id"], name="clients_name_core_seek"),
            models.Index(fields=["city_key", "id"], name="clients_city_seek"),
            models.Index(fields=["changed_at", "id"], name="clients_changed_seek"),
            models.Index(fields=["status", "id"], name="clients_status_seek"),
            models.Index(fields=["curator", "name_key", "id"], name="clients_curator_seek"),
            models.Index(fields=["specialist", "id"], name="clients_specialist"),
            # The registry's sort by phone seeks it; a search by the start of the digits too.
            models.Index(fields=["phone_digits", "id"], name="clients_phone_seek"),
            # An import matched by e-mail seeks each address, in any case, among a million cards.
            models.Index(Lower("email"), name="clients_email_lower"),
            # Next-contact reminders (TSK-05): the Flexi-filter's today / overdue / a period, the task monitor.
            models.Index(fields=["next_contact_date", "id"], name="clients_next_contact",
                         condition=models.Q(next_contact_date__isnull=False)),
            # Clients an employee registered in a period (the personal statistics report).
            models.Index(fields=["created_by", "created_at"], name="clients_registered_by"),
            # The sales ladder board's columns (pipeline): a stage's cards in name order, a page at a time.
            models.Index(fields=["ladder_stage", "name_key", "id"], name="clients_ladder_seek"),
            # The few private clients, by curator: "others' private clients" (`access.others_private_clients`).
            models.Index(fields=["curator", "id"], name="clients_private", condition=models.Q(is_private=True)),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.short_name}"

    @property
    def flagged(self) -> bool:
        """Carries a flag, whichever (the Flexi-filter's «Флаг» set / not set)."""
        return self.flag_id is not None


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


class PhoneKey(models.Model):
    """One number of a client's main phones or of a contact person's phones, as the duplicate check (CLI-16)
    matches it: its national digits (the last 10) and their last 7, indexed. The check seeks the 7-digit key and
    confirms the suffix on the few rows found, so it reads no client or contact row it does not return.

    Written only beside the phones themselves (services.phones; the demo fill and the migration in bulk SQL).
    `contact` is empty for a number of the client's own phone field."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="+")
    contact = models.ForeignKey(ContactPerson, null=True, on_delete=models.CASCADE, related_name="+")
    tail = models.CharField(max_length=7)
    number = models.CharField(max_length=10)

    class Meta:
        indexes = [models.Index(fields=["tail"], name="clients_phonekey_tail")]

    def __str__(self) -> str:
        return self.number


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


# --- The card's further tabs. Each is its own table keyed by the client, so adding a tab never rebuilds
# clients_client (on SQLite a rebuild would drop the FTS triggers of migration 0004).


class ClientRegistration(models.Model):
    """Registration data beyond INN/KPP/OGRN (CLI-06): bodies, codes, capital, addresses."""

    client = models.OneToOneField(Client, on_delete=models.CASCADE, primary_key=True, related_name="registration")
    okpo = models.CharField(_("OKPO"), max_length=10, blank=True)
    okved = models.CharField(_("OKVED"), max_length=8, blank=True)
    oktmo = models.CharField(_("OKTMO"), max_length=11, blank=True)
    registration_date = models.DateField(_("registration date"), null=True, blank=True)
    registering_body = models.CharField(_("registering body"), max_length=500, blank=True)
    tax_office = models.CharField(_("tax office"), max_length=300, blank=True)
    charter_capital = models.DecimalField(
        _("charter capital"), max_digits=18, decimal_places=2, null=True, blank=True,
    )
    legal_address = models.CharField(_("legal address"), max_length=500, blank=True)
    actual_address = models.CharField(_("actual address"), max_length=500, blank=True)
    postal_address = models.CharField(_("postal address"), max_length=500, blank=True)
    director = models.CharField(_("head"), max_length=300, blank=True)
    chief_accountant = models.CharField(_("chief accountant"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("registration data")
        verbose_name_plural = _("registration data")

    def __str__(self) -> str:
        return f"{self.client_id}"


class ClientLegalChange(models.Model):
    """One entry of the history of changes in the client's legal documents (CLI-06)."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="legal_changes")
    date = models.DateField(_("date"))
    document = models.CharField(_("document"), max_length=300)
    description = models.TextField(_("what changed"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("change in legal documents")
        verbose_name_plural = _("changes in legal documents")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date} {self.document}"


class ClientPersonal(models.Model):
    """A person's passport and personal data (CLI-01: persons have this instead of Registration data)."""

    client = models.OneToOneField(Client, on_delete=models.CASCADE, primary_key=True, related_name="personal")
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_place = models.CharField(_("place of birth"), max_length=300, blank=True)
    passport_series = models.CharField(_("passport series"), max_length=4, blank=True)
    passport_number = models.CharField(_("passport number"), max_length=6, blank=True)
    passport_issued_by = models.CharField(_("issued by"), max_length=300, blank=True)
    passport_issued_on = models.DateField(_("date of issue"), null=True, blank=True)
    passport_division = models.CharField(_("division code"), max_length=7, blank=True)
    registration_address = models.CharField(_("registration address"), max_length=500, blank=True)
    snils = models.CharField(_("SNILS"), max_length=14, blank=True)

    class Meta:
        verbose_name = _("personal data")
        verbose_name_plural = _("personal data")

    def __str__(self) -> str:
        return f"{self.client_id}"


class ClientBankAccount(models.Model):
    """A known bank account of the client (CLI-07); BIK and the account key are checked by the services."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="bank_accounts")
    bik = models.CharField(_("BIK"), max_length=9)
    bank_name = models.CharField(_("bank"), max_length=300, blank=True)
    correspondent_account = models.CharField(_("correspondent account"), max_length=20, blank=True)
    account = models.CharField(_("settlement account"), max_length=20)
    is_main = models.BooleanField(_("main account"), default=False)
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("bank account")
        verbose_name_plural = _("bank accounts")
        ordering = ["-is_main", "id"]

    def __str__(self) -> str:
        return self.account


class ClientMailing(models.Model):
    """The client's mailing switches (CLI-09); the addresses themselves are ClientMailingAddress rows."""

    client = models.OneToOneField(Client, on_delete=models.CASCADE, primary_key=True, related_name="mailing")
    exclude_email = models.BooleanField(_("exclude from e-mail mailing"), default=False)
    exclude_sms = models.BooleanField(_("exclude from SMS mailing"), default=False)

    class Meta:
        verbose_name = _("mailing settings")
        verbose_name_plural = _("mailing settings")

    def __str__(self) -> str:
        return f"{self.client_id}"


class ClientMailingAddress(models.Model):
    """An e-mail address or a mobile number of the client with its subscription flag (CLI-09)."""

    class Kind(models.TextChoices):
        EMAIL = "email", _("E-mail")
        MOBILE = "mobile", _("Mobile phone")

    class Consent(models.TextChoices):
        CARD = "card", _("set on the card")
        FILLED = "filled", _("taken from the card")
        LINK = "link", _("unsubscribe link in a letter")
        ONE_CLICK = "one_click", _("one-click unsubscribe from the mail program")

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="mailing_addresses")
    kind = models.CharField(_("type"), max_length=8, choices=Kind.choices)
    value = models.CharField(_("address"), max_length=254)
    value_key = models.CharField(max_length=254, editable=False)  # lower-cased e-mail or the phone's digits
    owner_name = models.CharField(_("whose"), max_length=300, blank=True)
    subscribed = models.BooleanField(_("subscribed"), default=True)
    # The latest consent or refusal, as the advertising law asks it be shown: when, how, by whom (the history of
    # earlier ones is in the audit log).
    consent_at = models.DateTimeField(_("consent changed"), null=True, blank=True)
    consent_how = models.CharField(_("how"), max_length=12, choices=Consent.choices, blank=True)
    consent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("by whom"))

    class Meta:
        verbose_name = _("mailing address")
        verbose_name_plural = _("mailing addresses")
        ordering = ["kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["client", "kind", "value_key"], name="clients_mailing_address_unique"),
        ]
        indexes = [models.Index(fields=["kind", "value_key"])]

    def __str__(self) -> str:
        return self.value


class ClientSecurity(models.Model):
    """The card's Security tab (CLI-10): data for the security service and the signed conclusion (ACL-04)."""

    class WorkMode(models.TextChoices):
        PREPAYMENT = "prepayment", _("Prepayment only")
        DEFERRED = "deferred", _("Deferred payment within the credit limit")
        FREE = "free", _("No restrictions")
        FORBIDDEN = "forbidden", _("Work forbidden")

    client = models.OneToOneField(Client, on_delete=models.CASCADE, primary_key=True, related_name="security")
    finances = models.TextField(_("finances"), blank=True)
    property = models.TextField(_("property"), blank=True)
    reputation = models.TextField(_("reputation"), blank=True)
    connections = models.TextField(_("connections"), blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    credit_limit = models.DecimalField(_("credit limit"), max_digits=18, decimal_places=2, null=True, blank=True)
    work_mode = models.CharField(_("work mode"), max_length=16, choices=WorkMode.choices, blank=True)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("inspector"),
    )
    signed_at = models.DateTimeField(_("conclusion date"), null=True, blank=True)
    changed_at = models.DateTimeField(auto_now=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = _("security data")
        verbose_name_plural = _("security data")

    def __str__(self) -> str:
        return f"{self.client_id}"


class ClientShipping(models.Model):
    """Shipping requisites (CLI-11): consignee, shipment and transport."""

    client = models.OneToOneField(Client, on_delete=models.CASCADE, primary_key=True, related_name="shipping")
    consignee = models.CharField(_("consignee"), max_length=500, blank=True)
    consignee_inn = models.CharField(_("consignee's INN"), max_length=12, blank=True)
    consignee_kpp = models.CharField(_("consignee's KPP"), max_length=9, blank=True)
    consignee_address = models.CharField(_("consignee's address"), max_length=500, blank=True)
    delivery_address = models.CharField(_("delivery address"), max_length=500, blank=True)
    shipment_terms = models.TextField(_("shipment terms"), blank=True)
    products = models.TextField(_("about the buyer and the products"), blank=True)
    carrier = models.CharField(_("carrier"), max_length=300, blank=True)
    transport = models.TextField(_("transport"), blank=True)
    receiver_contact = models.CharField(_("who receives the goods"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("shipping requisites")
        verbose_name_plural = _("shipping requisites")

    def __str__(self) -> str:
        return f"{self.client_id}"


class FilterTemplate(models.Model):
    """A saved Flexi-filter (REG-06, REG-12): a validated specification, shared with a role or a department.

    The three static templates are not rows: they live in code and cannot be changed.
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="filter_templates")
    name = models.CharField(_("name"), max_length=200)
    spec = models.JSONField(_("conditions"))
    shared_role = models.CharField(_("shared with the role"), max_length=16, blank=True)
    shared_department = models.ForeignKey(
        "core.Department", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("shared with the department"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("filter template")
        verbose_name_plural = _("filter templates")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="clients_template_unique_name")]

    def __str__(self) -> str:
        return self.name


class ClientExport(models.Model):
    """The log of bulk exports of clients (ACL-06): who took how many rows, in which form, with which filter."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("user"),
    )
    user_login = models.CharField(_("login"), max_length=150)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    format = models.CharField(_("format"), max_length=8)
    rows = models.PositiveIntegerField(_("rows"))
    description = models.CharField(_("what was exported"), max_length=500, blank=True)
    address = models.CharField(_("IP address"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("client export")
        verbose_name_plural = _("client exports")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_login} {self.at:%Y-%m-%d %H:%M} {self.rows}"


class StageChange(models.Model):
    """One move of a client on the sales ladder (HIS-02): written only by `services.ladder.client_stage_change`,
    whatever moved it (the card, an event, the board; later group processing, an import). The conversion report
    counts clients reaching a stage in a period from these rows."""

    class Source(models.TextChoices):
        CARD = "card", _("Client card")
        EVENT = "event", _("Event")
        BOARD = "board", _("Sales board")
        BULK = "bulk", _("Group processing")
        IMPORT = "import", _("Import")

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="+", verbose_name=_("client"))
    from_stage = models.ForeignKey(
        dirs.LadderStage, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("previous stage"),
    )
    to_stage = models.ForeignKey(
        dirs.LadderStage, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("current stage"),
    )
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("changed by"),
    )
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    # The event that moved the client (source "event"): its id only, since clients may not refer to activity.
    event_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        indexes = [
            # The conversion report: the clients that reached a stage in a period.
            models.Index(fields=["to_stage", "changed_at"], name="clients_stage_change_to"),
            models.Index(fields=["client", "-changed_at"], name="clients_stage_change_client"),
        ]

    def __str__(self) -> str:
        return f"stage change #{self.pk}"
