"""Billing's data: invoices and payments (INV-01 … INV-04); sales and works (SAL-01, SAL-02) have their own section.

Money is `core.money.MoneyField` (integer kopecks, exact SQL sums). Services keep the stored totals right: an
invoice's net, VAT and gross are the sums of its rounded lines (`selectors.amounts`), its paid amount the sum of the
live payments' allocations to it, its due the difference.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kontora.core.money import MoneyField
from kontora.core.numbering import number_shown

# --- invoices and payments (INV-01 … INV-04) ---------------------------------------------------------------------


class Invoice(models.Model):
    """«Счёт на оплату»: numbered per payee legal entity and the date's year; the author's prefix printed in front."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        ISSUED = "issued", _("issued")
        PARTLY_PAID = "partly_paid", _("partly paid")
        # An invoice is «оплачен»; the paid sum of its column is «оплачено»: a context of its own.
        PAID = "paid", pgettext_lazy("invoice status", "paid")
        CANCELLED = "cancelled", _("cancelled")

    class VatMode(models.TextChoices):
        INCLUDED = "included", _("VAT included in the price")
        ON_TOP = "on_top", _("VAT on top of the price")

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="invoices",
                               verbose_name=_("client"))
    legal_entity = models.ForeignKey("core.LegalEntity", on_delete=models.PROTECT, related_name="invoices",
                                     verbose_name=_("payee"))
    bank_account = models.ForeignKey("core.BankAccount", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="invoices", verbose_name=_("bank account"))
    attention = models.ForeignKey("clients.ContactPerson", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("attention"))
    date = models.DateField(_("date"))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    number = models.PositiveIntegerField(_("number"))
    number_year = models.PositiveSmallIntegerField(editable=False)
    prefix = models.CharField(_("number prefix"), max_length=10, blank=True)
    vat_mode = models.CharField(_("VAT"), max_length=10, choices=VatMode.choices, default=VatMode.INCLUDED)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    net = MoneyField(_("amount without VAT"), default=0)
    vat = MoneyField(_("VAT amount"), default=0)
    gross = MoneyField(_("amount"), default=0)
    paid = MoneyField(_("paid"), default=0)
    due = MoneyField(_("due"), default=0)
    note = models.TextField(_("note"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("author"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    changed_at = models.DateTimeField(_("changed"), auto_now=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("changed by"))
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("cancelled by"))
    cancel_reason = models.CharField(_("reason of cancelling"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["legal_entity", "number_year", "number"], name="billing_invoice_number"),
            models.CheckConstraint(condition=Q(paid__gte=0) & Q(gross__gte=0), name="billing_invoice_amounts"),
            models.CheckConstraint(condition=Q(paid__lte=models.F("gross")), name="billing_invoice_not_overpaid"),
        ]
        indexes = [
            models.Index(fields=["client", "date", "id"], name="billing_invoice_client_date"),
            models.Index(fields=["date", "id"], name="billing_invoice_date"),
            # «Журнал счетов»: a first page filtered by status (and period) seeks here, newest first; one's own
            # invoices (without «журналы всех сотрудников») by their author.
            models.Index(fields=["status", "date", "id"], name="billing_invoice_status_date"),
            models.Index(fields=["author", "date", "id"], name="billing_invoice_author_date"),
            # The receivables report (`selectors.reports.debts_query`): the open invoices (a fifth of them all) are
            # two ranges here, by status and date, holding every column the report reads — so neither the million
            # nor the table's rows are read; their grouping by client and author is a sort of those. (Not a partial
            # index of the open ones: the statuses reach the database as parameters, and SQLite cannot match a
            # partial index then.)
            models.Index(fields=["status", "date", "client", "author", "due_date", "due"],
                         name="billing_invoice_debts_ageing"),
        ]

    def __str__(self) -> str:
        return self.shown_number

    @property
    def shown_number(self) -> str:
        """The number as printed: «АМ-422»."""
        return number_shown(self.number, self.prefix)

    @property
    def vat_included(self) -> bool:
        return self.vat_mode == self.VatMode.INCLUDED


class DocumentLine(models.Model):
    """A line of an invoice, an act or an invoice-factura, its amounts as printed (`selectors.amounts`)."""

    position = models.PositiveSmallIntegerField(_("No."))
    item = models.ForeignKey("directories.NomenclatureItem", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("nomenclature item"))
    name = models.CharField(_("goods, works, services"), max_length=500)
    quantity = models.DecimalField(_("quantity"), max_digits=15, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=32, blank=True)
    price = MoneyField(_("price"))
    discount = models.DecimalField(_("discount, %"), max_digits=5, decimal_places=2, default=0)
    vat_rate = models.DecimalField(_("VAT rate, %"), max_digits=5, decimal_places=2, null=True, blank=True)
    net = MoneyField(_("amount without VAT"))
    vat = MoneyField(_("VAT amount"))
    gross = MoneyField(_("amount"))

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name


class InvoiceLine(DocumentLine):
    """A line of an invoice; its amounts are computed by `selectors.amounts` and kept as printed."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["invoice", "position"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "position"], name="billing_invoiceline_position"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="billing_invoiceline_quantity"),
        ]


class PaymentKind(models.TextChoices):
    """How money is paid: a payment's kind, and how a sale or a work was paid."""

    CASH = "cash", _("cash")
    NON_CASH = "non_cash", _("non-cash")


class Payment(models.Model):
    """Money received from a client: for an invoice named by the payer, or the client's advance. Never deleted:
    a wrong payment is cancelled (storno) with who, when and why; its allocations stop counting."""

    Kind = PaymentKind

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="payments",
                               verbose_name=_("client"))
    invoice = models.ForeignKey(Invoice, null=True, blank=True, on_delete=models.PROTECT, related_name="payments",
                                verbose_name=_("invoice"))
    legal_entity = models.ForeignKey("core.LegalEntity", on_delete=models.PROTECT, related_name="payments",
                                     verbose_name=_("payee"))
    date = models.DateField(_("date"))
    amount = MoneyField(_("amount"))
    kind = models.CharField(_("kind of payment"), max_length=10, choices=Kind.choices, default=Kind.NON_CASH)
    payer = models.CharField(_("payer"), max_length=300, blank=True)
    bank_document = models.CharField(_("bank document number"), max_length=64, blank=True)
    number = models.PositiveIntegerField(_("number"))
    number_year = models.PositiveSmallIntegerField(editable=False)
    prefix = models.CharField(_("number prefix"), max_length=10, blank=True)
    note = models.TextField(_("note"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("author"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("cancelled by"))
    cancel_reason = models.CharField(_("reason of cancelling"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["legal_entity", "number_year", "number"], name="billing_payment_number"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="billing_payment_amount_positive"),
        ]
        indexes = [
            models.Index(fields=["client", "date", "id"], name="billing_payment_client_date"),
            # A bank statement's duplicates: its documents looked up by number and date (a number alone repeats
            # across payers and years — a payer numbers his orders from 1 every year).
            models.Index(fields=["bank_document", "date"], name="billing_payment_document"),
        ]

    def __str__(self) -> str:
        return self.shown_number

    @property
    def shown_number(self) -> str:
        return number_shown(self.number, self.prefix)

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class PaymentAllocation(models.Model):
    """A part of a payment counted towards an invoice: at recording (the invoice it names) or later, when the
    client's advance is applied. The payment's amount less its allocations is the client's advance."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="allocations")
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="allocations")
    amount = MoneyField(_("amount"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("payment allocation")
        verbose_name_plural = _("payment allocations")
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="billing_allocation_amount_positive")]

    def __str__(self) -> str:
        return f"{self.payment_id} → {self.invoice_id}: {self.amount}"


# --- end of invoices and payments ---------------------------------------------------------------------------------


# --- Sales and works (SAL-01, SAL-02): the client card's «Продажи» and «Работы» journals ---------------------------


class JournalRow(models.Model):
    """The columns a row of the card's «Продажи» and «Работы» journals has either way (SAL-01, SAL-02): the client,
    the date, the money and whether it is paid, the people; changed later only by its author or an administrator."""

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("client"))
    date = models.DateField(_("date"))
    amount = MoneyField(_("amount"), default=Decimal("0"))
    paid = models.BooleanField(_("paid"), default=False)
    paid_on = models.DateField(_("payment date"), null=True, blank=True)
    responsible = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("responsible"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("author"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    changed_at = models.DateTimeField(_("changed"), auto_now=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("changed by"))

    class Meta:
        abstract = True
        ordering = ["-date", "-id"]
        # The card's journal, newest first, in keyset pages ("billing_sale_card", "billing_work_card").
        indexes = [models.Index(fields=["client", "-date", "-id"], name="%(app_label)s_%(class)s_card")]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gte=0),
                                              name="%(app_label)s_%(class)s_amount_not_negative")]


class Sale(JournalRow):
    """One sale of goods to a client (SAL-01): recorded in the card's «Продажи» journal."""

    item = models.ForeignKey("directories.NomenclatureItem", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("goods"))
    quantity = models.DecimalField(_("quantity"), max_digits=15, decimal_places=3)
    payment_method = models.CharField(_("payment method"), max_length=10, choices=PaymentKind.choices,
                                      blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta(JournalRow.Meta):
        verbose_name = _("sale")
        verbose_name_plural = _("sales")
        constraints = [
            *JournalRow.Meta.constraints,
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="billing_sale_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.item_id}"


class Work(JournalRow):
    """Works or services done for a client (SAL-02): recorded in the card's «Работы» journal."""

    work_type = models.CharField(_("type of work"), max_length=300)
    output = models.CharField(_("output"), max_length=300, blank=True)
    receiver = models.ForeignKey("core.LegalEntity", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("payment receiver"))
    description = models.TextField(_("description"), blank=True)
    norm_hours = models.DecimalField(_("labour, norm-hours"), max_digits=10, decimal_places=2,
                                     default=Decimal("0"))

    class Meta(JournalRow.Meta):
        verbose_name = _("work")
        verbose_name_plural = _("works")
        constraints = [
            *JournalRow.Meta.constraints,
            models.CheckConstraint(condition=models.Q(norm_hours__gte=0), name="billing_work_hours_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.work_type}"


# --- bank statements (INV-04): a 1C exchange file loaded, its incoming lines matched, confirmed and recorded --------


class StatementImport(models.Model):
    """A bank statement loaded by a user: kept in the base (not a server's memory) until its lines are recorded;
    only its importer (or an administrator) opens it — it holds clients' money data."""

    class Status(models.TextChoices):
        LOADED = "loaded", _("loaded")
        PARTLY_RECORDED = "partly_recorded", _("partly recorded")
        RECORDED = "recorded", _("recorded")

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("loaded by"))
    created_at = models.DateTimeField(_("loaded"), auto_now_add=True)
    filename = models.CharField(_("file"), max_length=255)
    legal_entity = models.ForeignKey("core.LegalEntity", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("payee"))
    bank_account = models.ForeignKey("core.BankAccount", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("bank account"))
    period_start = models.DateField(_("from"), null=True, blank=True)
    period_end = models.DateField(_("to"), null=True, blank=True)
    skipped_outgoing = models.PositiveIntegerField(_("outgoing lines skipped"), default=0)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.LOADED)
    recorded_at = models.DateTimeField(_("recorded"), null=True, blank=True)

    class Meta:
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["author", "-created_at"], name="billing_statement_author")]

    def __str__(self) -> str:
        return self.filename


class StatementLine(models.Model):
    """An incoming payment document of a statement, what the matching found for it, the user's decision and the
    payment recorded from it."""

    class Match(models.TextChoices):
        BY_NUMBER = "by_number", _("by the invoice number in the purpose")
        BY_INN_SUM = "by_inn_sum", _("by the payer's INN and the amount")
        CLIENT = "client", _("client by INN: an advance")
        AMBIGUOUS = "ambiguous", _("several candidates")
        NOT_FOUND = "not_found", _("not found")
        DUPLICATE = "duplicate", _("recorded before")
        CHOSEN = "chosen", _("chosen by the user")

    class Decision(models.TextChoices):
        PENDING = "", _("to decide")
        RECORD = "record", _("to record")
        EXCLUDE = "exclude", _("excluded")

    statement = models.ForeignKey(StatementImport, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(_("No."))
    number = models.CharField(_("document number"), max_length=64)
    date = models.DateField(_("date"))
    received = models.DateField(_("received"), null=True, blank=True)
    amount = MoneyField(_("amount"))
    payer = models.CharField(_("payer"), max_length=500, blank=True)
    payer_inn = models.CharField(_("payer's INN"), max_length=12, blank=True)
    payer_account = models.CharField(_("payer's account"), max_length=34, blank=True)
    purpose = models.TextField(_("purpose of payment"), blank=True)
    match = models.CharField(_("match"), max_length=12, choices=Match.choices, default=Match.NOT_FOUND)
    client = models.ForeignKey("clients.Client", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("client"))
    invoice = models.ForeignKey(Invoice, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("invoice"))
    # The ambiguous match's candidates: [{"invoice": id, "client": id}, …] (a client alone: his advance).
    candidates = models.JSONField(default=list, blank=True)
    decision = models.CharField(_("decision"), max_length=8, choices=Decision.choices, default=Decision.PENDING,
                                blank=True)
    payment = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("payment"))

    class Meta:
        verbose_name = _("bank statement line")
        verbose_name_plural = _("bank statement lines")
        ordering = ["statement", "position"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "position"], name="billing_statementline_position"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="billing_statementline_amount_positive"),
        ]
        indexes = [models.Index(fields=["number", "date"], name="billing_statementline_document")]

    def __str__(self) -> str:
        return f"{self.number} {self.date:%d.%m.%Y}"

    @property
    def payment_date(self) -> datetime.date:
        """The payment is dated the day the money came to our account (the document's date when not given)."""
        return self.received or self.date


# --- Acts and invoice-facturas (INV-05) ----------------------------------------------------------------------------


class IssuedDocument(models.Model):
    """What an act and an invoice-factura share: numbered per our legal entity, its kind and the date's year (the
    author's prefix printed in front), optionally entered from an invoice, issued or cancelled (with who and why).
    Its totals are the sums of its rounded lines, kept as columns so journals sum them in SQL exactly."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("issued")
        CANCELLED = "cancelled", _("cancelled")

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("client"))
    legal_entity = models.ForeignKey("core.LegalEntity", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("our legal entity"))
    invoice = models.ForeignKey(Invoice, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("basis invoice"))
    date = models.DateField(_("date"))
    number = models.PositiveIntegerField(_("number"))
    number_year = models.PositiveSmallIntegerField(editable=False)
    prefix = models.CharField(_("number prefix"), max_length=10, blank=True)
    vat_mode = models.CharField(_("VAT"), max_length=10, choices=Invoice.VatMode.choices,
                                default=Invoice.VatMode.INCLUDED)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ISSUED)
    net = MoneyField(_("amount without VAT"), default=0)
    vat = MoneyField(_("VAT amount"), default=0)
    gross = MoneyField(_("amount"), default=0)
    note = models.TextField(_("note"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("author"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    changed_at = models.DateTimeField(_("changed"), auto_now=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("changed by"))
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("cancelled by"))
    cancel_reason = models.CharField(_("reason of cancelling"), max_length=500, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.shown_number

    @property
    def shown_number(self) -> str:
        return number_shown(self.number, self.prefix)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED


class Act(IssuedDocument):
    """«Акт выполненных работ (оказанных услуг)»: numbered as kind "act"."""

    class Meta:
        verbose_name = _("act")
        verbose_name_plural = _("acts")
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["legal_entity", "number_year", "number"], name="billing_act_number"),
            models.CheckConstraint(condition=Q(gross__gte=0), name="billing_act_amounts"),
        ]
        indexes = [
            models.Index(fields=["client", "date", "id"], name="billing_act_client_date"),
            models.Index(fields=["date", "id"], name="billing_act_date"),
            models.Index(fields=["author", "date", "id"], name="billing_act_author_date"),
        ]


class ActLine(DocumentLine):
    act = models.ForeignKey(Act, on_delete=models.CASCADE, related_name="lines")

    class Meta:
        verbose_name = _("act line")
        verbose_name_plural = _("act lines")
        ordering = ["act", "position"]
        constraints = [
            models.UniqueConstraint(fields=["act", "position"], name="billing_actline_position"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="billing_actline_quantity"),
        ]


class InvoiceFactura(IssuedDocument):
    """«Счёт-фактура» (Decree 1137): for a shipment (ordinary) or for an advance received (advance, linked to its
    payment); both numbered as kind "invoice_factura" in one chronological order per legal entity and year."""

    class Kind(models.TextChoices):
        ORDINARY = "ordinary", _("for a shipment")
        ADVANCE = "advance", _("for an advance")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ORDINARY)
    payment = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("advance payment"))
    shipper = models.CharField(_("shipper and its address"), max_length=500, blank=True)
    consignee = models.CharField(_("consignee and its address"), max_length=500, blank=True)
    # Line 5: «К платёжно-расчётному документу № … от …» — the payments received before the shipment.
    payment_document = models.CharField(_("to the payment document"), max_length=500, blank=True)
    # Line 5а: «Документ об отгрузке № п/п … № … от …».
    shipment_document = models.CharField(_("shipment document"), max_length=500, blank=True)
    # Line 5б (from 2026-04-01): the advance invoice-facturas the shipment is set off against.
    advance_facturas = models.CharField(_("advance invoice-facturas"), max_length=500, blank=True)
    government_contract = models.CharField(_("government contract identifier"), max_length=25, blank=True)
    currency_code = models.CharField(_("currency code"), max_length=3, default="643")
    currency_name = models.CharField(_("currency"), max_length=64, default="Российский рубль")

    class Meta:
        verbose_name = _("invoice-factura")
        verbose_name_plural = _("invoice-facturas")
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["legal_entity", "number_year", "number"],
                                    name="billing_factura_number"),
            models.CheckConstraint(condition=Q(gross__gte=0), name="billing_factura_amounts"),
            models.CheckConstraint(condition=Q(kind="ordinary") | Q(payment__isnull=False),
                                   name="billing_factura_advance_payment"),
        ]
        indexes = [
            models.Index(fields=["client", "date", "id"], name="billing_factura_client_date"),
            models.Index(fields=["date", "id"], name="billing_factura_date"),
            models.Index(fields=["author", "date", "id"], name="billing_factura_author_date"),
        ]

    @property
    def is_advance(self) -> bool:
        return self.kind == self.Kind.ADVANCE


class InvoiceFacturaLine(DocumentLine):
    """A line of an invoice-factura, with the goods' columns 10–11 (country of origin, customs declaration)."""

    factura = models.ForeignKey(InvoiceFactura, on_delete=models.CASCADE, related_name="lines")
    unit_code = models.CharField(_("unit code (OKEI)"), max_length=4, blank=True)
    country_code = models.CharField(_("country of origin code"), max_length=3, blank=True)
    country_name = models.CharField(_("country of origin"), max_length=64, blank=True)
    customs_declaration = models.CharField(_("customs declaration number"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("invoice-factura line")
        verbose_name_plural = _("invoice-factura lines")
        ordering = ["factura", "position"]
        constraints = [
            models.UniqueConstraint(fields=["factura", "position"], name="billing_facturaline_position"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="billing_facturaline_quantity"),
        ]
