"""The «Продажа» and «Работа» forms of the card's «Продажи» and «Работы» journals (SAL-01, SAL-02). Rules and their
messages are the services' (billing.services.sales, billing.services.works): the forms only parse."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kontora.accounts.models import User
from kontora.billing.models import JournalRow, PaymentKind
from kontora.billing.services.journal import value_of
from kontora.billing.services.sales import SALE_FIELDS
from kontora.billing.services.works import WORK_FIELDS
from kontora.core.forms.base import DateInput, ReadValuesFormMixin
from kontora.core.models import LegalEntity
from kontora.directories.models import NomenclatureItem


class GoodsField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """Goods with their group: «Название (группа)»."""

    def label_from_instance(self, obj: Any) -> str:
        group = obj.goods_group or obj.folder
        return f"{obj.name} ({group.name})" if group is not None else str(obj.name)


class PeopleField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name or obj)


def _users(kept: Any = None) -> Any:
    users = User.objects.filter(disabled=False, dismissed=False)
    if kept is not None:
        users = users | User.objects.filter(pk=kept)
    return users.order_by("full_name", "id")


def _goods(kept: Any = None) -> Any:
    condition = {"is_active": True}
    goods = NomenclatureItem.objects.filter(**condition)
    if kept is not None:
        goods = goods | NomenclatureItem.objects.filter(pk=kept)
    return goods.select_related("goods_group", "folder").order_by("name", "id")


class JournalRowForm(ReadValuesFormMixin, forms.Form):
    """The fields a sale's and a work's forms share, and their making: the values as stored for a row's form, the
    row's kept choices, read-only to whoever may not change it. `field_order` puts the shared ones in place."""

    fields_stored: tuple[str, ...]  # the service's fields, as `stored` reads them

    date = forms.DateField(label=_("Date"), widget=DateInput(), required=False)
    amount = forms.DecimalField(label=_("Amount"), max_digits=17, decimal_places=2, required=False)
    paid = forms.BooleanField(label=_("Paid"), required=False)
    paid_on = forms.DateField(label=_("Payment date"), widget=DateInput(), required=False)
    responsible = PeopleField(User.objects.none(), label=_("Responsible"), required=False)

    def __init__(self, *args: Any, record: JournalRow | None = None, read_only: bool = False,
                 **kwargs: Any) -> None:
        if record is not None and "initial" not in kwargs:
            kwargs["initial"] = self.stored(record)
        kwargs.setdefault("auto_id", f"id_{self.read_key}_%s")
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = _users(  # type: ignore[attr-defined]
            record.responsible_id if record else None)
        self.choose(record)
        if read_only:
            for field in self.fields.values():
                field.disabled = True
        self.take_read()

    def choose(self, record: Any) -> None:
        """The choices of the form's own lists."""

    def stored(self, record: Any) -> dict[str, Any]:
        return {name: value_of(record, name) for name in self.fields_stored}


class SaleForm(JournalRowForm):
    fields_stored = SALE_FIELDS
    field_order = SALE_FIELDS
    read_key = "sale"
    layout = {"sale": {
        "date": "col-4", "item": "col-8", "quantity": "col-4", "amount": "col-4", "paid": "col-4",
        "paid_on": "col-4", "payment_method": "col-4", "responsible": "col-4", "note": "col-12",
    }}

    item = GoodsField(NomenclatureItem.objects.none(), label=_("Goods"), required=False)
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=15, decimal_places=3, required=False)
    payment_method = forms.ChoiceField(label=_("How paid"), choices=[("", "—"), *PaymentKind.choices],
                                       required=False)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def choose(self, record: Any) -> None:
        self.fields["item"].queryset = _goods(record.item_id if record else None)  # type: ignore[attr-defined]


class WorkForm(JournalRowForm):
    fields_stored = WORK_FIELDS
    field_order = ("date", "work_type", "output", "norm_hours", "receiver", "responsible", "amount", "paid",
                   "paid_on", "description")
    read_key = "work"
    layout = {"work": {
        "date": "col-4", "work_type": "col-8", "output": "col-6", "norm_hours": "col-3", "receiver": "col-6",
        "responsible": "col-6", "amount": "col-4", "paid": "col-4", "paid_on": "col-4", "description": "col-12",
    }}

    work_type = forms.CharField(label=_("Type of work"), max_length=300, required=False)
    output = forms.CharField(label=_("Output"), max_length=300, required=False)
    norm_hours = forms.DecimalField(label=_("Labour, norm-hours"), max_digits=10, decimal_places=2, required=False)
    receiver = forms.ModelChoiceField(LegalEntity.objects.none(), label=_("Payment receiver"), required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def choose(self, record: Any) -> None:
        self.fields["receiver"].queryset = LegalEntity.objects.order_by("short_name", "id")  # type: ignore[attr-defined]
