"""Writes of the nomenclature directory (DIR-08, DIR-02): items, folders of unlimited depth, moves.

Every function checks the "edit_nomenclature" right itself (`policies.can_edit_nomenclature`): views hide
buttons, the service decides; each write is one transaction with its audit row.
A folder's `path` lists the ids from the root down to it ("/1/5/9/"), so a subtree is one indexed
prefix range; items point at their folder only, so moving a folder rewrites folder rows and no items.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from kontora.accounts.models import User
from kontora.core import numbering
from kontora.core.audit import audit_record, changes_between, model_update, snapshot
from kontora.core.errors import NotAllowed, Refused
from kontora.core.money import money
from kontora.core.text import search_key
from kontora.directories import locks, policies
from kontora.directories.models import GoodsGroup, NomenclatureFolder, NomenclatureItem, Unit, VatRate
from kontora.directories.services.items import defaults_of
from kontora.directories.services.words import words_keep

ZERO = Decimal("0")
HUNDRED = Decimal("100")
# markup is DECIMAL(7, 2): the largest value the column holds
MARKUP_LIMIT = Decimal("99999.99")


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
    if not policies.can_edit_nomenclature(acting_user):
        raise NotAllowed


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
# What an item's audit row lists: the card's fields as the user sees them (not the search keys).
AUDITED_ITEM_FIELDS = (
    "article", "name", "unit", "manufacturer", "goods_group", "supplier", "purchase_price", "markup", "sale_price",
    "vat_rate", "weight", "volume", "per_package", "discount_prohibited", "not_in_price_list", "is_active",
)
AUDITED_FOLDER_FIELDS = ("name", "price_list_order")


def _folder_exists(folder_id: int | None) -> None:
    if folder_id is not None and not NomenclatureFolder.objects.filter(pk=folder_id).exists():
        raise Refused(_("The folder no longer exists."))


def nomenclature_item_create(*, acting_user: User, folder_id: int | None, data: ItemData) -> NomenclatureItem:
    _require_right(acting_user)
    with transaction.atomic():
        _folder_exists(folder_id)
        prices = _checked_prices(data, Prices())
        _checked_references(data)
        item = NomenclatureItem(folder_id=folder_id)
        _apply(item, data, prices)
        item.code = numbering.code_next("nomenclature")
        item.save(force_insert=True)
        words_keep(item)
        audit_record(
            actor=acting_user, event="directories.nomenclature_item.create", summary=_("Nomenclature item added"),
            target=item, changes=changes_between(
                NomenclatureItem, defaults_of(NomenclatureItem, AUDITED_ITEM_FIELDS),
                snapshot(item, AUDITED_ITEM_FIELDS), AUDITED_ITEM_FIELDS,
            ),
            extra={"code": item.code},
        )
    return item


def nomenclature_item_update(*, acting_user: User, item_id: int, data: ItemData) -> NomenclatureItem:
    """The code and the folder stay: the code is never changed, the folder changes by a move."""
    _require_right(acting_user)
    with transaction.atomic():
        item = locks.nomenclature_item(item_id)
        before = snapshot(item, AUDITED_ITEM_FIELDS)
        prices = _checked_prices(data, Prices(item.purchase_price, item.markup, item.sale_price))
        _checked_references(data)
        _apply(item, data, prices)
        item.save(update_fields=ITEM_FIELDS)
        words_keep(item)
        audit_record(
            actor=acting_user, event="directories.nomenclature_item.update", summary=_("Nomenclature item changed"),
            target=item, changes=changes_between(
                NomenclatureItem, before, snapshot(item, AUDITED_ITEM_FIELDS), AUDITED_ITEM_FIELDS,
            ),
        )
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
        parent = None
        if parent_id is not None:
            parent = NomenclatureFolder.objects.filter(pk=parent_id).first()
            if parent is None:
                raise Refused(_("The folder no longer exists."))
        folder = NomenclatureFolder.objects.create(
            parent=parent, name=_folder_name(name), price_list_order=price_list_order, path=""
        )
        # the path ends with the folder's own id, known only after the insert
        folder.path = f"{parent.path if parent else '/'}{folder.pk}/"
        folder.save(update_fields=["path"])
        names = ("parent", *AUDITED_FOLDER_FIELDS)
        audit_record(
            actor=acting_user, event="directories.nomenclature_folder.create",
            summary=_("Nomenclature folder created"), target=folder,
            changes=changes_between(NomenclatureFolder, defaults_of(NomenclatureFolder, names),
                                    snapshot(folder, names), names),
        )
    return folder


def nomenclature_folder_rename(
    *, acting_user: User, folder_id: int, name: str, price_list_order: int
) -> NomenclatureFolder:
    _require_right(acting_user)
    with transaction.atomic():
        folder = locks.nomenclature_folder(folder_id)
        changes = model_update(folder, data={"name": _folder_name(name), "price_list_order": price_list_order},
                               fields=AUDITED_FOLDER_FIELDS)
        audit_record(
            actor=acting_user, event="directories.nomenclature_folder.update",
            summary=_("Nomenclature folder changed"), target=folder, changes=changes,
        )
    return folder


def nomenclature_folder_delete(*, acting_user: User, folder_id: int) -> None:
    _require_right(acting_user)
    with transaction.atomic():
        folder = locks.nomenclature_folder(folder_id, deleting=True)
        if folder.children.exists() or folder.items.exists():
            raise Refused(_(
                "The folder “%(name)s” is not empty: move or delete its folders and items first."
            ) % {"name": folder.name})
        audit_record(
            actor=acting_user, event="directories.nomenclature_folder.delete",
            summary=_("Nomenclature folder deleted"), target=folder, extra={"name": folder.name},
        )
        folder.delete()


def nomenclature_folder_move(*, acting_user: User, folder_id: int, parent_id: int | None) -> NomenclatureFolder:
    """Puts the folder with its subtree under `parent_id` (None: the top level).

    The moved subtree's folder rows are locked in pk order, then their paths are rewritten by one
    UPDATE of the prefix; no item row is touched however many the subtree holds.
    """
    _require_right(acting_user)
    with transaction.atomic():
        folder = NomenclatureFolder.objects.get(pk=folder_id)
        # the subtree and the new parent, in one pk order: two moves running at once cannot deadlock
        locks.nomenclature_subtree(folder.path, also=parent_id)
        folder.refresh_from_db()
        old_path, old_parent_id = folder.path, folder.parent_id
        subtree = set(NomenclatureFolder.objects.filter(path__startswith=old_path).values_list("pk", flat=True))
        new_parent_path = "/"
        if parent_id is not None:
            parent = NomenclatureFolder.objects.filter(pk=parent_id).first()
            if parent is None:
                raise Refused(_("The folder no longer exists."))
            if parent.pk in subtree:
                raise Refused(_(
                    "The folder “%(name)s” cannot be moved into itself or into one of its own folders."
                ) % {"name": folder.name})
            new_parent_path = parent.path
        new_path = f"{new_parent_path}{folder.pk}/"
        if new_path == old_path:
            audit_record(actor=acting_user, event="directories.nomenclature_folder.move",
                         summary=_("Nomenclature folder moved"), target=folder)
            return folder
        NomenclatureFolder.objects.filter(pk=folder.pk).update(parent_id=parent_id)
        NomenclatureFolder.objects.filter(path__startswith=old_path).update(
            path=Concat(Value(new_path), Substr("path", len(old_path) + 1))
        )
        folder.refresh_from_db()
        # the old and the new parent by name, in one query whichever of them is the top level
        parents = NomenclatureFolder.objects.in_bulk([pk for pk in (old_parent_id, parent_id) if pk is not None])
        audit_record(
            actor=acting_user, event="directories.nomenclature_folder.move",
            summary=_("Nomenclature folder moved"), target=folder,
            changes=changes_between(NomenclatureFolder, {"parent": parents.get(old_parent_id or 0)},
                                    {"parent": parents.get(parent_id or 0)}, ["parent"]),
        )
    return folder


def nomenclature_items_move(*, acting_user: User, item_ids: list[int], folder_id: int | None) -> int:
    """Moves the items to the folder (None: the top level); returns how many were moved."""
    _require_right(acting_user)
    with transaction.atomic():
        _folder_exists(folder_id)
        ids = locks.nomenclature_items(sorted(set(item_ids)))
        moved = NomenclatureItem.objects.filter(pk__in=ids).update(folder_id=folder_id)
        folder = NomenclatureFolder.objects.filter(pk=folder_id).first() if folder_id is not None else None
        audit_record(
            actor=acting_user, event="directories.nomenclature_item.move", summary=_("Nomenclature items moved"),
            target=folder, extra={"items": ids, "folder": folder_id},
        )
    return moved
