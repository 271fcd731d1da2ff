"""Writes of the nomenclature directory (DIR-08, DIR-02): items, folders of unlimited depth, moves.

Every function checks the "edit_nomenclature" right itself: views hide buttons, the service decides.
A folder's `path` lists the ids from the root down to it ("/1/5/9/"), so a subtree is one indexed
prefix range; items point at their folder only, so moving a folder rewrites folder rows and no items.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from kontora.accounts.models import User
from kontora.core import numbering
from kontora.core.money import money
from kontora.core.text import search_key
from kontora.directories.models import GoodsGroup, NomenclatureFolder, NomenclatureItem, Unit, VatRate

RIGHT = "edit_nomenclature"
ZERO = Decimal("0")
HUNDRED = Decimal("100")
# markup is DECIMAL(7, 2): the largest value the column holds
MARKUP_LIMIT = Decimal("99999.99")


class NomenclatureRefused(Exception):
    """A refused change of the tree; the message, in the user's language, says why."""


@dataclass(frozen=True)
class Prices:
    purchase_price: Decimal = ZERO
    markup: Decimal = ZERO
    sale_price: Decimal = ZERO


@dataclass(frozen=True)
class ItemData:
    name: str
    article: str = ""
    unit_id: int | None = None
    manufacturer: str = ""
    goods_group_id: int | None = None
    supplier: str = ""
    purchase_price: Decimal = ZERO
    markup: Decimal = ZERO
    sale_price: Decimal = ZERO
    vat_rate_id: int | None = None
    weight: Decimal | None = None
    volume: Decimal | None = None
    per_package: Decimal | None = None
    discount_prohibited: bool = False
    not_in_price_list: bool = False
    is_active: bool = True


def sale_from_markup(purchase_price: Decimal, markup: Decimal) -> Decimal:
    return money(purchase_price * (1 + markup / HUNDRED))


def markup_from_sale(purchase_price: Decimal, sale_price: Decimal) -> Decimal:
    """Needs purchase_price > 0; the markup in percent, to 2 places like the column."""
    return money((sale_price / purchase_price - 1) * HUNDRED)


def reconcile_prices(entered: Prices, initial: Prices) -> Prices:
    """The price rule: sale = purchase × (1 + markup / 100); the value the user did not change is derived.

    Changed sale price (markup untouched) with a purchase price → the markup is derived and the sale price
    stays exactly as typed; purchase price 0 → the markup stays. Otherwise (purchase price or markup
    changed) the sale price is derived. A triple that already agrees in either direction — as the card's
    live helper sends it — is kept as it is, so the server never moves a price the user saw.
    """
    purchase, markup, sale = money(entered.purchase_price), money(entered.markup), money(entered.sale_price)
    if sale == sale_from_markup(purchase, markup):
        return Prices(purchase, markup, sale)
    if purchase > 0 and markup == markup_from_sale(purchase, sale):
        return Prices(purchase, markup, sale)
    sale_changed = sale != money(initial.sale_price)
    markup_changed = markup != money(initial.markup)
    if sale_changed and not markup_changed:
        if purchase > 0:
            return Prices(purchase, markup_from_sale(purchase, sale), sale)
        return Prices(purchase, markup, sale)
    return Prices(purchase, markup, sale_from_markup(purchase, markup))


def _require_right(acting_user: User) -> None:
    if not acting_user.has_right(RIGHT):
        raise PermissionDenied


def _checked_prices(data: ItemData, initial: Prices) -> Prices:
    errors: dict[str, str] = {}
    if data.purchase_price < 0:
        errors["purchase_price"] = _("The purchase price cannot be negative.")
    if data.sale_price < 0:
        errors["sale_price"] = _("The sale price cannot be negative.")
    if data.markup < -HUNDRED:
        errors["markup"] = _("The markup cannot be below −100 %.")
    if errors:
        raise ValidationError(errors)
    prices = reconcile_prices(Prices(data.purchase_price, data.markup, data.sale_price), initial)
    if abs(prices.markup) > MARKUP_LIMIT:
        raise ValidationError({"sale_price": _(
            "The sale price is too far from the purchase price: the markup would exceed 99 999.99 %."
        )})
    return prices


def _checked_references(data: ItemData) -> None:
    errors: dict[str, str] = {}
    message = _("Choose a value from the directory.")
    for name, model, pk in (
        ("unit", Unit, data.unit_id), ("goods_group", GoodsGroup, data.goods_group_id),
        ("vat_rate", VatRate, data.vat_rate_id),
    ):
        if pk is not None and not model.objects.filter(pk=pk).exists():  # type: ignore[attr-defined]
            errors[name] = message
    if errors:
        raise ValidationError(errors)


def _apply(item: NomenclatureItem, data: ItemData, prices: Prices) -> None:
    name = data.name.strip()
    if not name:
        raise ValidationError({"name": _("Enter the name.")})
    item.name, item.name_key = name, search_key(name)
    item.article = data.article.strip()
    item.article_key = search_key(item.article)
    item.unit_id, item.goods_group_id, item.vat_rate_id = data.unit_id, data.goods_group_id, data.vat_rate_id
    item.manufacturer, item.supplier = data.manufacturer.strip(), data.supplier.strip()
    item.purchase_price, item.markup, item.sale_price = prices.purchase_price, prices.markup, prices.sale_price
    item.weight, item.volume, item.per_package = data.weight, data.volume, data.per_package
    item.discount_prohibited, item.not_in_price_list = data.discount_prohibited, data.not_in_price_list
    item.is_active = data.is_active


ITEM_FIELDS = [
    "name", "name_key", "article", "article_key", "unit", "goods_group", "vat_rate", "manufacturer", "supplier",
    "purchase_price", "markup", "sale_price", "weight", "volume", "per_package", "discount_prohibited",
    "not_in_price_list", "is_active", "changed_at",
]


def nomenclature_item_create(*, acting_user: User, folder_id: int | None, data: ItemData) -> NomenclatureItem:
    _require_right(acting_user)
    with transaction.atomic():
        if folder_id is not None and not NomenclatureFolder.objects.filter(pk=folder_id).exists():
            raise NomenclatureRefused(_("The folder no longer exists."))
        prices = _checked_prices(data, Prices())
        _checked_references(data)
        item = NomenclatureItem(folder_id=folder_id)
        _apply(item, data, prices)
        item.code = numbering.code_next("nomenclature")
        item.save(force_insert=True)
    return item


def nomenclature_item_update(*, acting_user: User, item_id: int, data: ItemData) -> NomenclatureItem:
    """The code and the folder stay: the code is never changed, the folder changes by a move."""
    _require_right(acting_user)
    with transaction.atomic():
        item = NomenclatureItem.objects.select_for_update().get(pk=item_id)
        prices = _checked_prices(data, Prices(item.purchase_price, item.markup, item.sale_price))
        _checked_references(data)
        _apply(item, data, prices)
        item.save(update_fields=ITEM_FIELDS)
    return item


def _folder_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Enter the name.")})
    return name


def nomenclature_folder_create(
    *, acting_user: User, parent_id: int | None, name: str, price_list_order: int = 0
) -> NomenclatureFolder:
    _require_right(acting_user)
    with transaction.atomic():
        parent_path = "/"
        if parent_id is not None:
            parent = NomenclatureFolder.objects.filter(pk=parent_id).first()
            if parent is None:
                raise NomenclatureRefused(_("The folder no longer exists."))
            parent_path = parent.path
        folder = NomenclatureFolder.objects.create(
            parent_id=parent_id, name=_folder_name(name), price_list_order=price_list_order, path=""
        )
        # the path ends with the folder's own id, known only after the insert
        folder.path = f"{parent_path}{folder.pk}/"
        folder.save(update_fields=["path"])
    return folder


def nomenclature_folder_rename(
    *, acting_user: User, folder_id: int, name: str, price_list_order: int
) -> NomenclatureFolder:
    _require_right(acting_user)
    with transaction.atomic():
        folder = NomenclatureFolder.objects.select_for_update().get(pk=folder_id)
        folder.name = _folder_name(name)
        folder.price_list_order = price_list_order
        folder.save(update_fields=["name", "price_list_order", "changed_at"])
    return folder


def nomenclature_folder_delete(*, acting_user: User, folder_id: int) -> None:
    _require_right(acting_user)
    with transaction.atomic():
        folder = NomenclatureFolder.objects.select_for_update().get(pk=folder_id)
        if folder.children.exists() or folder.items.exists():
            raise NomenclatureRefused(_(
                "The folder “%(name)s” is not empty: move or delete its folders and items first."
            ) % {"name": folder.name})
        folder.delete()


def nomenclature_folder_move(*, acting_user: User, folder_id: int, parent_id: int | None) -> NomenclatureFolder:
    """Puts the folder with its subtree under `parent_id` (None: the top level).

    The moved subtree's folder rows are locked in pk order, then their paths are rewritten by one
    UPDATE of the prefix; no item row is touched however many the subtree holds.
    """
    _require_right(acting_user)
    with transaction.atomic():
        folder = NomenclatureFolder.objects.get(pk=folder_id)
        old_path = folder.path
        # the subtree and the new parent, in one pk order: two moves running at once cannot deadlock
        involved = Q(path__startswith=old_path) if parent_id is None else Q(path__startswith=old_path) | Q(pk=parent_id)
        list(NomenclatureFolder.objects.select_for_update().filter(involved).order_by("pk").values_list("pk"))
        folder.refresh_from_db()
        old_path = folder.path
        locked = set(NomenclatureFolder.objects.filter(path__startswith=old_path).values_list("pk", flat=True))
        new_parent_path = "/"
        if parent_id is not None:
            parent = NomenclatureFolder.objects.filter(pk=parent_id).first()
            if parent is None:
                raise NomenclatureRefused(_("The folder no longer exists."))
            if parent.pk in locked:
                raise NomenclatureRefused(_(
                    "The folder “%(name)s” cannot be moved into itself or into one of its own folders."
                ) % {"name": folder.name})
            new_parent_path = parent.path
        new_path = f"{new_parent_path}{folder.pk}/"
        if new_path == old_path:
            return folder
        NomenclatureFolder.objects.filter(pk=folder.pk).update(parent_id=parent_id)
        NomenclatureFolder.objects.filter(path__startswith=old_path).update(
            path=Concat(Value(new_path), Substr("path", len(old_path) + 1))
        )
        folder.refresh_from_db()
    return folder


def nomenclature_items_move(*, acting_user: User, item_ids: list[int], folder_id: int | None) -> int:
    """Moves the items to the folder (None: the top level); returns how many were moved."""
    _require_right(acting_user)
    with transaction.atomic():
        if folder_id is not None and not NomenclatureFolder.objects.filter(pk=folder_id).exists():
            raise NomenclatureRefused(_("The folder no longer exists."))
        ids = sorted(set(item_ids))
        list(NomenclatureItem.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))
        return NomenclatureItem.objects.filter(pk__in=ids).update(folder_id=folder_id)
