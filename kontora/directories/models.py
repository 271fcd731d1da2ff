"""Reference books the client card and the documents pick values from.

Every directory item is referenced, never copied, so a change shows at once wherever it is used;
an item in use is made inactive rather than deleted. `name_key` is the search form of the name
(casefold, ё→е) kept by the services: SQLite's LOWER() does not fold Cyrillic.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DirectoryItem(models.Model):
    """Common fields of one-level directory items."""

    name = models.CharField(_("name"), max_length=200)
    name_key = models.CharField(max_length=200, db_index=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["order", "name", "id"]

    def __str__(self) -> str:
        return self.name


class EventType(DirectoryItem):
    class Meta(DirectoryItem.Meta):
        verbose_name = _("event type")
        verbose_name_plural = _("event types")


class EventResult(DirectoryItem):
    """What an event came to («Договорились о встрече», «Отказ»): the events report filters by it (HIS-03)."""

    class Meta(DirectoryItem.Meta):
        verbose_name = _("event result")
        verbose_name_plural = _("event results")


class CompanySize(DirectoryItem):
    class Meta(DirectoryItem.Meta):
        verbose_name = _("company size")
        verbose_name_plural = _("company sizes")


class InformationSource(DirectoryItem):
    class Meta(DirectoryItem.Meta):
        verbose_name = _("information source")
        verbose_name_plural = _("information sources")


class Priority(DirectoryItem):
    class Meta(DirectoryItem.Meta):
        verbose_name = _("priority")
        verbose_name_plural = _("priorities")


class ActivityType(DirectoryItem):
    class Meta(DirectoryItem.Meta):
        verbose_name = _("activity type")
        verbose_name_plural = _("activity types")


class ClientStatus(DirectoryItem):
    class Meta(DirectoryItem.Meta):
        verbose_name = _("client status")
        verbose_name_plural = _("client statuses")


class ClientFlag(DirectoryItem):
    """A named flag of the client registry (the manual's «Горячий клиент», «Синий флаг»), in a colour of a fixed
    palette: each colour is a class of kontora.css (`k-flag-<colour>`), as the CSP allows no inline style."""

    class Colour(models.TextChoices):
        RED = "red", _("red")
        ORANGE = "orange", _("orange")
        YELLOW = "yellow", _("yellow")
        GREEN = "green", _("green")
        BLUE = "blue", _("blue")
        PURPLE = "purple", _("purple")
        GREY = "grey", _("grey")

    colour = models.CharField(_("colour"), max_length=10, choices=Colour.choices, default=Colour.RED)

    class Meta(DirectoryItem.Meta):
        verbose_name = _("client flag")
        verbose_name_plural = _("client flags")


class LadderStage(DirectoryItem):
    """A stage of the sales ladder (operational development), in ladder order."""

    class Meta(DirectoryItem.Meta):
        verbose_name = _("sales ladder stage")
        verbose_name_plural = _("sales ladder stages")


class PenetrationDepth(DirectoryItem):
    class Meta(DirectoryItem.Meta):
        verbose_name = _("penetration depth")
        verbose_name_plural = _("penetration depths")


class ContactReaction(DirectoryItem):
    class Meta(DirectoryItem.Meta):
        verbose_name = _("reaction to the last contact")
        verbose_name_plural = _("reactions to the last contact")


class Loyalty(DirectoryItem):
    class Meta(DirectoryItem.Meta):
        verbose_name = _("loyalty")
        verbose_name_plural = _("loyalty levels")


class Prospect(DirectoryItem):
    class Meta(DirectoryItem.Meta):
        verbose_name = _("prospects estimate")
        verbose_name_plural = _("prospects estimates")


class Competitor(DirectoryItem):
    class Meta(DirectoryItem.Meta):
        verbose_name = _("competitor")
        verbose_name_plural = _("competitors")


class Direction(DirectoryItem):
    """Directions of activity of our company (ORG-03): classify and filter clients."""

    class Meta(DirectoryItem.Meta):
        verbose_name = _("direction of activity")
        verbose_name_plural = _("directions of activity")


class GoodsGroup(DirectoryItem):
    class Meta(DirectoryItem.Meta):
        verbose_name = _("goods group")
        verbose_name_plural = _("goods groups")


class ContractType(DirectoryItem):
    class Meta(DirectoryItem.Meta):
        verbose_name = _("contract type")
        verbose_name_plural = _("contract types")


class Tariff(DirectoryItem):
    price = models.DecimalField(_("price"), max_digits=14, decimal_places=2, default=Decimal("0"))

    class Meta(DirectoryItem.Meta):
        verbose_name = _("tariff")
        verbose_name_plural = _("tariffs")


class Unit(DirectoryItem):
    """Unit of measure; `okei` is the code of the All-Russian classifier (OKEI)."""

    short_name = models.CharField(_("short name"), max_length=20)
    okei = models.CharField(_("OKEI code"), max_length=3, blank=True)

    class Meta(DirectoryItem.Meta):
        verbose_name = _("unit of measure")
        verbose_name_plural = _("units of measure")


class VatRate(DirectoryItem):
    """A VAT rate valid for a period; `rate` is empty for "without VAT"."""

    rate = models.DecimalField(_("rate, %"), max_digits=5, decimal_places=2, null=True, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta(DirectoryItem.Meta):
        verbose_name = _("VAT rate")
        verbose_name_plural = _("VAT rates")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(valid_to__isnull=True) | Q(valid_from__isnull=True) | Q(valid_to__gte=models.F("valid_from"))
                ),
                name="directories_vatrate_period",
            ),
        ]


class Region(DirectoryItem):
    """A federal subject of Russia."""

    code = models.CharField(_("region code"), max_length=2, unique=True)
    short_name = models.CharField(_("short name"), max_length=100)
    iso_code = models.CharField(_("ISO code"), max_length=6, blank=True)

    class Meta(DirectoryItem.Meta):
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name", "id"]


class Settlement(models.Model):
    """A populated place (DIR-03), searched by the prefix of its name."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="settlements", verbose_name=_("region"))
    name = models.CharField(_("name"), max_length=200)
    name_key = models.CharField(max_length=200, editable=False)
    kind = models.CharField(_("type"), max_length=20, blank=True)
    area = models.CharField(_("district"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=6, blank=True)
    kladr = models.CharField(_("KLADR code"), max_length=19, blank=True)
    fias = models.CharField(_("FIAS id"), max_length=36, blank=True)
    okato = models.CharField(_("OKATO"), max_length=11, blank=True)
    oktmo = models.CharField(_("OKTMO"), max_length=11, blank=True)
    timezone = models.CharField(_("time zone"), max_length=10, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    population = models.PositiveIntegerField(null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("populated place")
        verbose_name_plural = _("populated places")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["name_key", "id"]), models.Index(fields=["region", "name_key"]),
            # The OKTMO import finds the places it already has by their code, a batch at a time.
            models.Index(fields=["oktmo"], name="directories_settlement_oktmo"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.name}".strip()


class SettlementWord(models.Model):
    """A word of a place's name with the rest of the name after it (core.text.word_tails): pickers find
    «Великий Новгород» by «новгород» through one prefix range over `tail`. Kept by directories.services.words."""

    settlement = models.ForeignKey(Settlement, on_delete=models.CASCADE, related_name="+")
    tail = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["tail", "settlement"], name="directories_settlement_tail")]

    def __str__(self) -> str:
        return self.tail


class Bank(models.Model):
    """A bank of the Bank of Russia's BIK directory (ED807), imported by an administrator."""

    bik = models.CharField(_("BIK"), max_length=9, unique=True)
    name = models.CharField(_("name"), max_length=300)
    name_key = models.CharField(max_length=300, db_index=True, editable=False)
    corr_account = models.CharField(_("correspondent account"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("bank")
        verbose_name_plural = _("banks")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.bik})"


class BankDirectory(models.Model):
    """The BIK directory as a whole: the date of the data its banks came from. One row (pk 1) or none.

    A row of the base, not process memory: every server shows the same date and warns of the same age.
    Written by each ED807 import (`services.banks.banks_import`); no row means no import was ever made.
    """

    directory_date = models.DateField(_("directory date"))  # the ED807's EDDate (the import's day when absent)
    imported_at = models.DateTimeField(_("imported at"))

    class Meta:
        verbose_name = _("BIK directory")
        verbose_name_plural = _("BIK directory")

    def __str__(self) -> str:
        return f"BIK directory of {self.directory_date:%Y-%m-%d}"


class NomenclatureFolder(models.Model):
    """A folder of the nomenclature tree; `path` ("/1/5/9/") makes subtree queries one indexed range."""

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("folder")
    )
    name = models.CharField(_("name"), max_length=200)
    path = models.CharField(max_length=1000, db_index=True, editable=False)
    price_list_order = models.PositiveIntegerField(_("order in price list"), default=0)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("nomenclature folder")
        verbose_name_plural = _("nomenclature folders")
        ordering = ["price_list_order", "name", "id"]

    def __str__(self) -> str:
        return self.name


class NomenclatureItem(models.Model):
    """A goods or service item (DIR-08); sale price = purchase price × (1 + markup / 100)."""

    folder = models.ForeignKey(
        NomenclatureFolder, null=True, blank=True, on_delete=models.PROTECT, related_name="items",
        verbose_name=_("folder"),
    )
    code = models.PositiveIntegerField(_("internal code"), unique=True, editable=False)
    article = models.CharField(_("article"), max_length=100, blank=True)
    article_key = models.CharField(max_length=100, db_index=True, editable=False, default="")
    name = models.CharField(_("name"), max_length=300)
    name_key = models.CharField(max_length=300, db_index=True, editable=False)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("unit"))
    manufacturer = models.CharField(_("manufacturer"), max_length=200, blank=True)
    goods_group = models.ForeignKey(
        GoodsGroup, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("goods group")
    )
    supplier = models.CharField(_("supplier"), max_length=300, blank=True)
    purchase_price = models.DecimalField(
        _("purchase price"), max_digits=14, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(0)]
    )
    markup = models.DecimalField(_("markup, %"), max_digits=7, decimal_places=2, default=Decimal("0"))
    sale_price = models.DecimalField(
        _("sale price"), max_digits=14, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(0)]
    )
    vat_rate = models.ForeignKey(VatRate, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("VAT rate"))
    weight = models.DecimalField(_("weight, kg"), max_digits=12, decimal_places=3, null=True, blank=True)
    volume = models.DecimalField(_("volume, m³"), max_digits=12, decimal_places=3, null=True, blank=True)
    per_package = models.DecimalField(
        _("quantity per package"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    discount_prohibited = models.BooleanField(_("discount prohibited"), default=False)
    not_in_price_list = models.BooleanField(_("not in price list"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("nomenclature item")
        verbose_name_plural = _("nomenclature")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["folder", "name_key", "id"])]

    def __str__(self) -> str:
        return self.name


class NomenclatureWord(models.Model):
    """A word of an item's name or article with the rest after it (core.text.word_tails): the search finds
    «Бумага SvetoCopy A4» by «svetocopy» or «a4» through one prefix range over `tail`. Kept by
    directories.services.words."""

    item = models.ForeignKey(NomenclatureItem, on_delete=models.CASCADE, related_name="+")
    tail = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["tail", "item"], name="directories_item_tail")]

    def __str__(self) -> str:
        return self.tail


class Attribute(models.Model):
    """A custom classifier (признак-классификатор) created by the administrator (DIR-06)."""

    class Kind(models.TextChoices):
        DIRECTORY = "directory", _("Directory")
        TEXT = "text", _("Text")
        NUMBER = "number", _("Number")
        DATE = "date", _("Date")
        FLAG = "flag", _("Flag")

    name = models.CharField(_("name"), max_length=200)
    hint = models.CharField(_("hint"), max_length=500, blank=True)
    label = models.CharField(_("label"), max_length=100)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    is_active = models.BooleanField(_("active"), default=False)
    order = models.PositiveIntegerField(_("order"), default=0)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attribute")
        verbose_name_plural = _("attributes")
        ordering = ["order", "name", "id"]

    def __str__(self) -> str:
        return self.name


class AttributeOption(DirectoryItem):
    """A value of a directory-type attribute."""

    attribute = models.ForeignKey(Attribute, on_delete=models.CASCADE, related_name="options")

    class Meta(DirectoryItem.Meta):
        verbose_name = _("attribute value")
        verbose_name_plural = _("attribute values")


class AttributeValue(models.Model):
    """The value of one attribute for one client: typed columns, each indexed with the attribute.

    `client_id` is a plain integer until the clients app owns the table it points to.
    """

    attribute = models.ForeignKey(Attribute, on_delete=models.CASCADE, related_name="values")
    client_id = models.BigIntegerField()
    option = models.ForeignKey(AttributeOption, null=True, blank=True, on_delete=models.PROTECT)
    text = models.CharField(max_length=500, blank=True)
    text_key = models.CharField(max_length=500, blank=True, editable=False)
    number = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    date = models.DateField(null=True, blank=True)
    flag = models.BooleanField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["attribute", "client_id"], name="directories_attrvalue_one_per_client"),
        ]
        indexes = [
            models.Index(fields=["attribute", "option", "client_id"]),
            models.Index(fields=["attribute", "number", "client_id"]),
            models.Index(fields=["attribute", "date", "client_id"]),
            models.Index(fields=["attribute", "text_key", "client_id"]),
            models.Index(fields=["attribute", "flag", "client_id"]),
            models.Index(fields=["client_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.attribute_id}:{self.client_id}"


class AutoSubstitution(models.Model):
    """Parameters → Auto-substitution (ORG-04): values pre-filled on new records of this user."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="auto_substitution"
    )
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("region"))
    settlement = models.ForeignKey(
        Settlement, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("city")
    )

    class Meta:
        verbose_name = _("auto-substitution")

    def __str__(self) -> str:
        return f"auto-substitution of {self.user_id}"
