"""Forms of the nomenclature: the item card (tabs General and Additional) and the folder card."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kontora.core.forms import KontoraForm
from kontora.directories.forms.widgets import picker_field
from kontora.directories.models import NomenclatureItem
from kontora.directories.nomenclature.services import ItemData

GENERAL_FIELDS = (
    "article", "name", "unit", "manufacturer", "goods_group", "supplier", "purchase_price", "markup", "sale_price",
    "vat_rate",
)
ADDITIONAL_FIELDS = ("weight", "volume", "per_package", "discount_prohibited", "not_in_price_list", "is_active")


def _decimal(label: Any, *, digits: int, places: int, required: bool = True, **kwargs: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, max_digits=digits, decimal_places=places, required=required,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "class": "text-end"}), **kwargs,
    )


def _text(label: Any, max_length: int, *, required: bool = False) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=required)


class ItemForm(KontoraForm):
    horizontal = True
    layout = {"general": dict.fromkeys(GENERAL_FIELDS, "col-12"),
              "additional": dict.fromkeys(ADDITIONAL_FIELDS, "col-12")}

    article = _text(_("Article"), 100)
    name = _text(_("Name"), 300, required=True)
    unit = picker_field("units", label=_("Unit"))
    manufacturer = _text(_("Manufacturer"), 200)
    goods_group = picker_field("goods-groups", label=_("Goods group"))
    supplier = _text(_("Supplier"), 300)
    purchase_price = _decimal(_("Purchase price"), digits=14, places=2, min_value=Decimal("0"))
    markup = _decimal(_("Markup, %"), digits=7, places=2)
    sale_price = _decimal(_("Sale price"), digits=14, places=2, min_value=Decimal("0"))
    vat_rate = picker_field("vat-rates", label=_("VAT rate"))
    weight = _decimal(_("Weight, kg"), digits=12, places=3, required=False, min_value=Decimal("0"))
    volume = _decimal(_("Volume, m³"), digits=12, places=3, required=False, min_value=Decimal("0"))
    per_package = _decimal(_("Quantity per package"), digits=12, places=3, required=False, min_value=Decimal("0"))
    discount_prohibited = forms.BooleanField(label=_("Discount prohibited"), required=False)
    not_in_price_list = forms.BooleanField(label=_("Do not include in the price list"), required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, read_only: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, price in (("purchase_price", "purchase"), ("markup", "markup"), ("sale_price", "sale")):
            self.fields[name].widget.attrs["data-price"] = price
        if read_only:
            for field in self.fields.values():
                field.disabled = True

    @staticmethod
    def initial_of(item: NomenclatureItem) -> dict[str, Any]:
        return {
            "article": item.article, "name": item.name, "unit": item.unit_id, "manufacturer": item.manufacturer,
            "goods_group": item.goods_group_id, "supplier": item.supplier, "purchase_price": item.purchase_price,
            "markup": item.markup, "sale_price": item.sale_price, "vat_rate": item.vat_rate_id,
            "weight": item.weight, "volume": item.volume, "per_package": item.per_package,
            "discount_prohibited": item.discount_prohibited, "not_in_price_list": item.not_in_price_list,
            "is_active": item.is_active,
        }

    @staticmethod
    def initial_new() -> dict[str, Any]:
        return {"purchase_price": Decimal("0.00"), "markup": Decimal("0.00"), "sale_price": Decimal("0.00"),
                "is_active": True}

    def item_data(self) -> ItemData:
        d = self.cleaned_data

        def pk(name: str) -> int | None:
            return d[name].pk if d.get(name) is not None else None

        return ItemData(
            name=d["name"], article=d.get("article", ""), unit_id=pk("unit"), manufacturer=d.get("manufacturer", ""),
            goods_group_id=pk("goods_group"), supplier=d.get("supplier", ""), purchase_price=d["purchase_price"],
            markup=d["markup"], sale_price=d["sale_price"], vat_rate_id=pk("vat_rate"), weight=d.get("weight"),
            volume=d.get("volume"), per_package=d.get("per_package"),
            discount_prohibited=d.get("discount_prohibited", False),
            not_in_price_list=d.get("not_in_price_list", False), is_active=d.get("is_active", False),
        )


class FolderForm(KontoraForm):
    horizontal = True

    name = _text(_("Name"), 200, required=True)
    price_list_order = forms.IntegerField(
        label=_("Order in the price list"), min_value=0, max_value=2_147_483_647, initial=0,
        help_text=_("Sections of the price list follow this number, smallest first."),
    )
