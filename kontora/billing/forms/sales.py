"""The «Продажа» and «Работа» forms of the card's «Продажи» and «Работы» journals (SAL-01, SAL-02). Rules and their
messages are the services' (billing.services.sales, billing.services.works): the forms only parse."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kontora.accounts.models import User
from kontora.billing.models import PaymentKind, Sale, Work
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


def _stored(model: type[Any], record: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(record, model._meta.get_field(name).attname) for name in names}


def _read_only(form: forms.Form) -> None:
    for field in form.fields.values():
        field.disabled = True


class SaleForm(ReadValuesFormMixin, forms.Form):
    read_key = "sale"
    layout = {"sale": {
        "date": "col-4", "item": "col-8", "quantity": "col-4", "amount": "col-4", "paid": "col-4",
        "paid_on": "col-4", "payment_method": "col-4", "responsible": "col-4", "note": "col-12",
    }}

    date = forms.DateField(label=_("Date"), widget=DateInput(), required=False)
    item = GoodsField(NomenclatureItem.objects.none(), label=_("Goods"), required=False)
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=15, decimal_places=3, required=False)
    amount = forms.DecimalField(label=_("Amount"), max_digits=17, decimal_places=2, required=False)
    paid = forms.BooleanField(label=_("Paid"), required=False)
    paid_on = forms.DateField(label=_("Payment date"), widget=DateInput(), required=False)
    payment_method = forms.ChoiceField(label=_("How paid"), choices=[("", "—"), *PaymentKind.choices],
                                       required=False)
    responsible = PeopleField(User.objects.none(), label=_("Responsible"), required=False)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, sale: Sale | None = None, read_only: bool = False, **kwargs: Any) -> None:
        if sale is not None and "initial" not in kwargs:
            kwargs["initial"] = self.stored(sale)
        kwargs.setdefault("auto_id", "id_sale_%s")
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = _goods(sale.item_id if sale else None)  # type: ignore[attr-defined]
        self.fields["responsible"].queryset = _users(  # type: ignore[attr-defined]
            sale.responsible_id if sale else None)
        if read_only:
            _read_only(self)
        self.take_read()

    def stored(self, record: Any) -> dict[str, Any]:
        return _stored(Sale, record, SALE_FIELDS)


class WorkForm(ReadValuesFormMixin, forms.Form):
    read_key = "work"
    layout = {"work": {
        "date": "col-4", "work_type": "col-8", "output": "col-6", "norm_hours": "col-3", "receiver": "col-6",
        "responsible": "col-6", "amount": "col-4", "paid": "col-4", "paid_on": "col-4", "description": "col-12",
    }}

    date = forms.DateField(label=_("Date"), widget=DateInput(), required=False)
    work_type = forms.CharField(label=_("Type of work"), max_length=300, required=False)
    output = forms.CharField(label=_("Output"), max_length=300, required=False)
    norm_hours = forms.DecimalField(label=_("Labour, norm-hours"), max_digits=10, decimal_places=2, required=False)
    receiver = forms.ModelChoiceField(LegalEntity.objects.none(), label=_("Payment receiver"), required=False)
    responsible = PeopleField(User.objects.none(), label=_("Responsible"), required=False)
    amount = forms.DecimalField(label=_("Amount"), max_digits=17, decimal_places=2, required=False)
    paid = forms.BooleanField(label=_("Paid"), required=False)
    paid_on = forms.DateField(label=_("Payment date"), widget=DateInput(), required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, work: Work | None = None, read_only: bool = False, **kwargs: Any) -> None:
        if work is not None and "initial" not in kwargs:
            kwargs["initial"] = self.stored(work)
        kwargs.setdefault("auto_id", "id_work_%s")
        super().__init__(*args, **kwargs)
        self.fields["receiver"].queryset = LegalEntity.objects.order_by("short_name", "id")  # type: ignore[attr-defined]
        self.fields["responsible"].queryset = _users(  # type: ignore[attr-defined]
            work.responsible_id if work else None)
        if read_only:
            _read_only(self)
        self.take_read()

    def stored(self, record: Any) -> dict[str, Any]:
        return _stored(Work, record, WORK_FIELDS)
