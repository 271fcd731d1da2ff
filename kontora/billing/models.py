"""Billing's data."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kontora.core.money import MoneyField

# --- Sales and works (SAL-01, SAL-02): the client card's «Продажи» and «Работы» journals ---------------------------


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    NONCASH = "noncash", _("Non-cash")


class Sale(models.Model):
    """One sale of goods to a client (SAL-01): recorded in the card's «Продажи» journal; changed later only by its
    author or an administrator."""

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("client"))
    date = models.DateField(_("date"))
    item = models.ForeignKey("directories.NomenclatureItem", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("goods"))
    quantity = models.DecimalField(_("quantity"), max_digits=15, decimal_places=3)
    amount = MoneyField(_("amount"), default=Decimal("0"))
    paid = models.BooleanField(_("paid"), default=False)
    paid_on = models.DateField(_("payment date"), null=True, blank=True)
    payment_method = models.CharField(_("payment method"), max_length=10, choices=PaymentMethod.choices,
                                      blank=True)
    responsible = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("responsible"))
    note = models.TextField(_("note"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("author"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    changed_at = models.DateTimeField(_("changed"), auto_now=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("changed by"))

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("sale")
        verbose_name_plural = _("sales")
        indexes = [
            # The card's «Продажи», newest first, in keyset pages.
            models.Index(fields=["client", "-date", "-id"], name="billing_sale_card"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="billing_sale_quantity_positive"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="billing_sale_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.item_id}"


class Work(models.Model):
    """Works or services done for a client (SAL-02): recorded in the card's «Работы» journal; changed later only by
    its author or an administrator."""

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("client"))
    date = models.DateField(_("date"))
    work_type = models.CharField(_("type of work"), max_length=300)
    output = models.CharField(_("output"), max_length=300, blank=True)
    receiver = models.ForeignKey("core.LegalEntity", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("payment receiver"))
    responsible = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("responsible"))
    amount = MoneyField(_("amount"), default=Decimal("0"))
    paid = models.BooleanField(_("paid"), default=False)
    paid_on = models.DateField(_("payment date"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    norm_hours = models.DecimalField(_("labour, norm-hours"), max_digits=10, decimal_places=2,
                                     default=Decimal("0"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("author"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    changed_at = models.DateTimeField(_("changed"), auto_now=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("changed by"))

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("work")
        verbose_name_plural = _("works")
        indexes = [
            # The card's «Работы», newest first, in keyset pages.
            models.Index(fields=["client", "-date", "-id"], name="billing_work_card"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="billing_work_amount_not_negative"),
            models.CheckConstraint(condition=models.Q(norm_hours__gte=0), name="billing_work_hours_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.work_type}"
