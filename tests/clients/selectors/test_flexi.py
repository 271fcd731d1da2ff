"""The Flexi-filter engine: the field catalogue, validation, compilation to one query (REG-04, REG-05, REG-12, LAD-03).

The property test compares the compiled query with a plain-Python evaluation of the same specification over
the same rows, intersected with the access rules computed here from the manual (not by calling `access`): a
condition over card data holds only on clients the user may open (issue 10), the registry's own columns are
compared on every client he sees.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kontora.clients.access import REGISTRY_COLUMNS
from kontora.clients.flexi import hooks
from kontora.clients.flexi.selectors import fields
from kontora.clients.flexi.selectors.specs import MAX_DEPTH, describe, parse, to_q
from kontora.clients.models import (
    Client,
    ClientBankAccount,
    ClientGrant,
    ClientMailingAddress,
    ContactPerson,
)
from kontora.clients.selectors.registry import registry_queryset
from kontora.core.text import digits, search_key
from kontora.directories.models import (
    Attribute,
    AttributeOption,
    AttributeValue,
    ClientFlag,
    ClientStatus,
    Competitor,
    ContactReaction,
    Direction,
    Priority,
    Settlement,
)
from kontora.directories.selectors import registry
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory

NAMES = ["Ромашка", "Ёлка-Палка", "Альфа Строй", "Василёк", "Кедр", "Альфа-Банк", "Берёза и Ко", "Омега"]
ADDRESSES = ["ул. Ленина, д. 5", "Проспект Мира 12", "ул.Садовая 1", "", "Ёлочная ул., 3"]
CONTACT_NAMES = ["Иван Петров", "Анна Ёлкина", "Сергей Семёнов", "Пётр Иванов"]
PHONES = ["+7 (495) 123-45-67", "8 916 555 00 11", "", "+7 812 700-10-20"]
FRAGMENTS = ["альфа", "ЁЛК", "елка", "банк", "ва", "ромашка", "кедр", "омега строй", "ка-па", "строй"]
ADDRESS_FRAGMENTS = ["ленина", "ул", "ул ленина", "МИРА", "ёлочная", "садовая 1", "проспект"]
CONTACT_FRAGMENTS = ["иван", "ЁЛКИН", "семен", "пет", "анна"]
PHONE_FRAGMENTS = ["495", "555", "700-10", "123 45", "8916"]
DAYS = [date(2024, 1, 10), date(2024, 3, 1), date(2024, 6, 15), date(2024, 12, 28), date(2025, 2, 1)]


@dataclass
class Base:
    users: list[Any]
    clients: list[dict[str, Any]] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    flags: list[int] = field(default_factory=list)
    priorities: list[int] = field(default_factory=list)
    reactions: list[int] = field(default_factory=list)
    settlements: list[int] = field(default_factory=list)
    regions: list[int] = field(default_factory=list)
    directions: list[int] = field(default_factory=list)
    competitors: list[int] = field(default_factory=list)
    codes: list[int] = field(default_factory=list)
    number_attr: int = 0
    option_attr: int = 0
    options: list[int] = field(default_factory=list)


def _aware(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, 30))


def build_base(seed: int = 7, size: int = 45) -> Base:
    """A small random base: clients of three users (own, full and list-all modes), private and granted ones."""
    rnd = random.Random(seed)
    users = [
        UserFactory(login="own", full_name="Ольга Своя", client_scope="own"),
        UserFactory(login="full", full_name="Фёдор Полный", client_scope="full"),
        UserFactory(login="list", full_name="Лев Списочный", client_scope="list_all", role="supervisor"),
    ]
    settlements = list(Settlement.objects.order_by("id")[:3])
    base = Base(
        users=users,
        statuses=list(ClientStatus.objects.order_by("id").values_list("pk", flat=True)[:3]),
        flags=list(ClientFlag.objects.order_by("id").values_list("pk", flat=True)[:3]),
        priorities=list(Priority.objects.order_by("id").values_list("pk", flat=True)[:3]),
        reactions=list(ContactReaction.objects.order_by("id").values_list("pk", flat=True)[:3]),
        settlements=[s.pk for s in settlements],
        regions=sorted({s.region_id for s in settlements}),
        directions=[Direction.objects.create(name=n, name_key=search_key(n)).pk for n in ("Опт", "Розница")],
        competitors=[Competitor.objects.create(name=n, name_key=search_key(n)).pk for n in ("Конкурент А", "Б")],
    )
    number = Attribute.objects.create(name="Тоннаж", label="Тоннаж", kind=Attribute.Kind.NUMBER, is_active=True)
    kind = Attribute.objects.create(name="Тип", label="Тип", kind=Attribute.Kind.DIRECTORY, is_active=True)
    base.number_attr, base.option_attr = number.pk, kind.pk
    base.options = [AttributeOption.objects.create(attribute=kind, name=n, name_key=search_key(n)).pk
                    for n in ("Седан", "Фура", "Автобус")]
    for index in range(size):
        name = rnd.choice(NAMES) + ("" if rnd.random() < 0.5 else f" {index}")
        full = rnd.choice([name, f"Общество «{rnd.choice(NAMES)}»"])
        settlement = rnd.choice([None, *settlements])
        curator = rnd.choice([None, *users])
        specialist = rnd.choice([None, None, *users])
        phone = rnd.choice(PHONES)
        client = ClientFactory(
            kind=rnd.choice(["company", "person"]), short_name=name, full_name=full,
            settlement=settlement, region_id=settlement.region_id if settlement else None,
            address=rnd.choice(ADDRESSES), phone=phone,
            inn=rnd.choice(["", "7701234567", "7707083893", "500100732259"]),
            curator=curator, specialist=specialist, is_private=curator is not None and rnd.random() < 0.25,
            flag_id=rnd.choice([None, None, *base.flags]), needs_attention=rnd.random() < 0.2,
            has_files=rnd.random() < 0.2,
            status_id=rnd.choice([None, *base.statuses]), priority_id=rnd.choice([None, *base.priorities]),
            reaction_id=rnd.choice([None, *base.reactions]),
            next_contact_date=rnd.choice([None, *DAYS]),
            created_by=rnd.choice([None, *users]), changed_by=rnd.choice([None, *users]),
        )
        created, changed = _aware(rnd.choice(DAYS), rnd.choice([0, 12, 23])), _aware(rnd.choice(DAYS), 12)
        Client.objects.filter(pk=client.pk).update(created_at=created, changed_at=changed)
        directions = rnd.sample(base.directions, rnd.randint(0, 2))
        competitors = rnd.sample(base.competitors, rnd.randint(0, 2))
        client.directions.set(directions)
        client.competitors.set(competitors)
        granted = rnd.random() < 0.2
        if granted:
            ClientGrant.objects.create(client=client, user=users[0])
        contacts = []
        for _n in range(rnd.choice([0, 0, 1, 2, 3])):
            phones = [rnd.choice(PHONES), rnd.choice(PHONES)]
            contact_name = rnd.choice(CONTACT_NAMES)
            birthday = rnd.choice([None, *DAYS, date(1980, 12, 31), date(1990, 1, 1)])
            ContactPerson.objects.create(
                client=client, full_name=contact_name, phone_office=phones[0], phone_mobile=phones[1],
                phones_digits=" ".join(d for d in map(digits, phones) if d), birthday=birthday,
            )
            contacts.append({"name": contact_name, "phones": " ".join(d for d in map(digits, phones) if d),
                             "birthday": birthday})
        has_bank = rnd.random() < 0.3
        if has_bank:
            ClientBankAccount.objects.create(client=client, bik="044525225", account="40702810400000000001")
        mailing = rnd.choice([None, (True,), (False,)])
        if mailing:
            ClientMailingAddress.objects.create(client=client, kind="email", value=f"c{index}@example.com",
                                                value_key=f"c{index}@example.com", subscribed=mailing[0])
        tonnage = rnd.choice([None, Decimal("1.5"), Decimal("10"), Decimal("20")])
        if tonnage is not None:
            AttributeValue.objects.create(attribute=number, client_id=client.pk, number=tonnage)
        option = rnd.choice([None, *base.options])
        if option is not None:
            AttributeValue.objects.create(attribute=kind, client_id=client.pk, option_id=option)
        base.codes.append(client.code)
        base.clients.append({
            "id": client.pk, "code": client.code, "kind": client.kind, "name_key": client.name_key,
            "full_name_key": client.full_name_key, "inn": client.inn, "address": client.address,
            "phone_digits": client.phone_digits, "region": client.region_id, "city": client.settlement_id,
            "flagged": client.flagged, "flag": client.flag_id, "needs_attention": client.needs_attention,
            "is_private": client.is_private,
            "has_files": client.has_files, "created_at": timezone.localtime(created).date(),
            "changed_at": timezone.localtime(changed).date(), "status": client.status_id,
            "priority": client.priority_id, "reaction": client.reaction_id, "directions": set(directions),
            "competitors": set(competitors), "next_contact_date": client.next_contact_date,
            "curator": client.curator_id, "specialist": client.specialist_id,
            "created_by": client.created_by_id, "changed_by": client.changed_by_id, "contacts": contacts,
            "has_bank_account": has_bank, "has_subscribed_email": bool(mailing and mailing[0]),
            f"attr:{number.pk}": tonnage, f"attr:{kind.pk}": option, "granted": {users[0].pk} if granted else set(),
        })
    return base


# --- the Python evaluator: the same specification, evaluated row by row ---------------------------------------


def visible_in_python(row: dict[str, Any], user: Any) -> bool:
    """The manual's rules: others' private clients never; in the "own" mode only curated, specialised or granted."""
    if row["is_private"] and row["curator"] != user.pk:
        return False
    if user.client_scope == "own":
        return user.pk in (row["curator"], row["specialist"]) or user.pk in row["granted"]
    return True


def openable_in_python(row: dict[str, Any], user: Any) -> bool:
    """The card level: in the "list all" mode only own clients open."""
    if user.client_scope == "list_all":
        return user.pk in (row["curator"], row["specialist"]) or user.pk in row["granted"]
    return visible_in_python(row, user)


# The fields that read only the registry's columns (the registry shows code, name, city, phone, curator, status,
# the flags and "changed"): every other field reads card data.
REGISTRY_FIELDS = {"name", "code", "city", "phone", "flagged", "flag", "needs_attention", "is_private", "has_files",
                   "changed_at", "status", "curator"}


def _compare(operator: str, actual: Any, value: Any) -> bool:
    if actual is None:
        return False
    if operator == "between":
        return value[0] <= actual <= value[1]
    return {"eq": actual == value, "on": actual == value, "ne": actual != value, "lt": actual < value,
            "before": actual < value, "le": actual <= value, "gt": actual > value, "after": actual > value,
            "ge": actual >= value}[operator]


def _as_date(value: Any) -> Any:
    return [date.fromisoformat(v) for v in value] if isinstance(value, list) else date.fromisoformat(value)


def _as_number(value: Any) -> Any:
    return [Decimal(str(v)) for v in value] if isinstance(value, list) else Decimal(str(value))


def _text(operator: str, texts: list[str], key: str) -> bool:
    if operator == "contains":
        return any(key in text for text in texts)
    if operator == "starts":
        return any(text.startswith(key) for text in texts)
    return any(text == key for text in texts)


def _birthday(operator: str, day: date | None, value: Any) -> bool:
    if day is None:
        return False
    if operator == "on":
        on = date.fromisoformat(value)
        return (day.month, day.day) == (on.month, on.day)
    low, high = (date.fromisoformat(v) for v in value)
    if (high - low).days >= 365:
        return True
    md, lo, hi = (day.month, day.day), (low.month, low.day), (high.month, high.day)
    return lo <= md <= hi if lo <= hi else (md >= lo or md <= hi)


def evaluate_condition(row: dict[str, Any], condition: dict[str, Any], user: Any) -> bool:
    key, operator, value = condition["field"], condition["operator"], condition["value"]
    opens = openable_in_python(row, user)
    if key == "name":  # the short name is a registry column, the full name card data
        return (_text(operator, [row["name_key"]], search_key(value))
                or (opens and _text(operator, [row["full_name_key"]], search_key(value))))
    if key not in REGISTRY_FIELDS and not opens:
        return False
    negative = operator in ("not_in", "ne", "is_false")
    if key.startswith("attr:"):
        actual = row[key]
        if isinstance(value, list) and operator in ("in", "not_in"):
            found = actual in value
            return not found if negative else found
        if operator == "ne":
            return actual is not None and actual != _as_number(value)
        return _compare(operator, actual, _as_number(value))
    control = fields.get_field(key).control
    if control == "flag":
        return bool(row[key]) == (operator == "is_true")
    if control == "pick":
        return (row[key] == value) != negative
    if control == "multi":
        ids = {user.pk if item == hooks.ME else item for item in value}
        actual = row[key]
        found = bool(actual & ids) if isinstance(actual, set) else actual in ids
        return found != negative
    if key == "address":
        return _text(operator, [search_key(row["address"])], search_key(value))
    if key in ("inn", "phone"):
        return _text(operator, [row["inn" if key == "inn" else "phone_digits"]], digits(value))
    if key == "contact_name":
        return _text("contains", [search_key(c["name"]) for c in row["contacts"]], search_key(value))
    if key == "contact_phone":
        return _text("contains", [c["phones"] for c in row["contacts"]], digits(value))
    if key == "contact_birthday":
        return any(_birthday(operator, c["birthday"], value) for c in row["contacts"])
    if key == "contacts_count":
        return _compare(operator, Decimal(len(row["contacts"])), _as_number(value))
    if control == "date":
        return _compare(operator, row[key], _as_date(value))
    if control == "number":
        return _compare(operator, Decimal(row[key]), _as_number(value))
    raise AssertionError(f"no evaluator for {key}")


def evaluate(row: dict[str, Any], group: dict[str, Any], user: Any) -> bool:
    results = (evaluate(row, item, user) if "items" in item else evaluate_condition(row, item, user)
               for item in group["items"])
    return all(results) if group["op"] == "and" else any(results)


# --- random specifications over the base's domain ----------------------------------------------------------


def condition_strategy(base: Base) -> st.SearchStrategy[dict[str, Any]]:
    iso = st.sampled_from([*DAYS, date(2024, 6, 14), date(2023, 12, 31)]).map(date.isoformat)
    date_value = st.one_of(
        st.tuples(st.sampled_from(["on", "before", "after"]), iso),
        st.tuples(st.just("between"), st.lists(iso, min_size=2, max_size=2)),
    )
    num_ops = st.sampled_from(["eq", "ne", "lt", "le", "gt", "ge"])

    def number_value(pool: list[Any]) -> st.SearchStrategy[tuple[str, Any]]:
        return st.one_of(st.tuples(num_ops, st.sampled_from(pool)),
                         st.tuples(st.just("between"), st.lists(st.sampled_from(pool), min_size=2, max_size=2)))

    def multi(pool: list[Any]) -> st.SearchStrategy[tuple[str, Any]]:
        return st.tuples(st.sampled_from(["in", "not_in"]), st.lists(st.sampled_from(pool), min_size=1, max_size=3))

    users = [u.pk for u in base.users] + [hooks.ME]
    choices: dict[str, st.SearchStrategy[tuple[str, Any]]] = {
        "kind": st.tuples(st.sampled_from(["eq", "ne"]), st.sampled_from(["company", "person"])),
        "name": st.tuples(st.sampled_from(["contains", "starts", "equals"]), st.sampled_from(FRAGMENTS)),
        "code": number_value([*(base.codes[index] for index in (0, 10, 22, 44)), base.codes[0] - 1]),
        "inn": st.tuples(st.sampled_from(["starts", "equals"]), st.sampled_from(["77", "7707083893", "5001"])),
        "region": multi(base.regions),
        "city": multi(base.settlements),
        "address": st.tuples(st.sampled_from(["contains", "starts"]), st.sampled_from(ADDRESS_FRAGMENTS)),
        "phone": st.tuples(st.just("contains"), st.sampled_from(PHONE_FRAGMENTS)),
        "flagged": st.tuples(st.sampled_from(["is_true", "is_false"]), st.none()),
        "flag": multi(base.flags),
        "needs_attention": st.tuples(st.sampled_from(["is_true", "is_false"]), st.none()),
        "is_private": st.tuples(st.sampled_from(["is_true", "is_false"]), st.none()),
        "has_files": st.tuples(st.sampled_from(["is_true", "is_false"]), st.none()),
        "created_at": date_value,
        "changed_at": date_value,
        "status": multi(base.statuses),
        "priority": multi(base.priorities),
        "directions": multi(base.directions),
        "reaction": multi(base.reactions),
        "competitors": multi(base.competitors),
        "next_contact_date": date_value,
        "curator": multi(users),
        "specialist": multi(users),
        "created_by": multi(users),
        "changed_by": multi(users),
        "contacts_count": number_value([0, 1, 2, 3]),
        "contact_phone": st.tuples(st.just("contains"), st.sampled_from(PHONE_FRAGMENTS)),
        "contact_name": st.tuples(st.just("contains"), st.sampled_from(CONTACT_FRAGMENTS)),
        "contact_birthday": st.one_of(
            st.tuples(st.just("on"), iso),
            st.tuples(st.just("between"), st.lists(st.sampled_from(
                ["2024-01-01", "2024-03-01", "2024-06-30", "2024-12-25", "2025-01-15", "2026-01-01"]),
                min_size=2, max_size=2)),
        ),
        "has_bank_account": st.tuples(st.sampled_from(["is_true", "is_false"]), st.none()),
        "has_subscribed_email": st.tuples(st.sampled_from(["is_true", "is_false"]), st.none()),
        f"attr:{base.number_attr}": number_value(["1.5", 10, 20, 5]),
        f"attr:{base.option_attr}": multi(base.options),
    }
    return st.one_of(*(
        strategy.map(lambda pair, key=key: {"field": key, "operator": pair[0], "value": pair[1]})
        for key, strategy in choices.items()
    ))


def spec_strategy(base: Base) -> st.SearchStrategy[dict[str, Any]]:
    conditions = condition_strategy(base)

    def groups(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        return st.builds(lambda op, items: {"op": op, "items": items},
                         st.sampled_from(["and", "or"]), st.lists(children, min_size=1, max_size=4))

    # max_leaves keeps the nesting within MAX_DEPTH levels in practice; parse refuses anything deeper.
    tree = st.recursive(conditions, groups, max_leaves=8)
    return groups(tree)


def _depth(spec: dict[str, Any]) -> int:
    return 1 + max((_depth(item) for item in spec["items"] if "items" in item), default=0)


@pytest.mark.feature("REG-04")
@pytest.mark.feature("REG-05")
@pytest.mark.feature("REG-12")
@pytest.mark.feature("LAD-03")
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_compiled_filter_selects_exactly_what_the_python_evaluation_selects(db: Any, data: Any) -> None:
    # given: one base for every example (built on the first one; the test's transaction keeps it)
    global _BASE
    if _BASE is None or not Client.objects.filter(pk=_BASE.clients[0]["id"]).exists():
        _BASE = build_base()
    base = _BASE
    raw = data.draw(spec_strategy(base))
    if _depth(raw) > MAX_DEPTH:
        with pytest.raises(ValidationError):
            parse(raw, user=base.users[0])
        return
    user = data.draw(st.sampled_from(base.users))
    # when
    spec = parse(raw, user=user)
    found = set(registry_queryset(fetched_by=user, filter_q=to_q(spec, user=user)).values_list("pk", flat=True))
    # then
    expected = {row["id"] for row in base.clients if visible_in_python(row, user) and evaluate(row, spec, user)}
    assert found == expected, describe(spec)


_BASE: Base | None = None


@pytest.fixture(autouse=True)
def _forget_base() -> Any:
    global _BASE
    _BASE = None
    yield
    _BASE = None


# --- the level a field reads: a card-level condition tells nothing of a card the user may not open ------------


def _values(field_def: Any, client: Client, users: list[Any]) -> list[Any]:
    """Values to ask a field with, taken from the client's data (texts, dates, the ids it points to)."""
    contact = client.contacts.first()
    if field_def.control == "text":
        texts = [client.short_name, client.full_name, client.inn, client.address, client.phone, client.fax]
        texts += [contact.full_name, contact.phone_mobile] if contact else []
        return [text for text in texts if text]
    if field_def.control == "multi":
        if field_def.directory:
            model: Any = registry.get(field_def.directory).model
            return [[pk] for pk in model._default_manager.order_by("pk").values_list("pk", flat=True)[:4]]
        return [[user.pk] for user in users] + [[hooks.ME]]
    if field_def.control == "pick":
        return [str(code) for code, _label in field_def.choices()]
    if field_def.control == "date":
        days = [client.created_at.date(), client.next_contact_date, contact.birthday if contact else None]
        return [day.isoformat() for day in days if day is not None]
    if field_def.control == "number":
        return [0, 1, 2, 5]
    return [None]


def _matches(user: Any, client: Client, field_def: Any, values: list[Any]) -> dict[tuple[str, str, str], bool]:
    """Does the client match each condition of the field (every operator, every one of `values`)?"""
    found = {}
    for operator in field_def.operators:
        for value in values:
            asked = [value, value] if operator == "between" else value
            try:
                spec = parse({"field": field_def.key, "operator": operator, "value": asked}, user=user)
            except ValidationError:
                continue
            qs = registry_queryset(fetched_by=user, filter_q=to_q(spec, user=user)).filter(pk=client.pk)
            found[(field_def.key, operator, str(value))] = qs.exists()
    return found


def _blank_the_card(client: Client) -> None:
    """Every card datum changed, the registry's columns kept: what a user who may only list it must not notice."""
    changes: dict[str, Any] = {}
    for model_field in Client._meta.concrete_fields:
        name = model_field.name
        if name in REGISTRY_COLUMNS or model_field.attname in REGISTRY_COLUMNS or name in ("name_key", "id"):
            continue
        if model_field.is_relation:
            changes[model_field.attname] = None
        elif isinstance(model_field, models.DateTimeField):
            changes[name] = timezone.make_aware(datetime(2001, 1, 1))
        elif isinstance(model_field, models.DateField):
            changes[name] = None
        elif name == "kind":
            changes[name] = Client.Kind.PERSON
        elif isinstance(model_field, models.CharField | models.TextField):
            changes[name] = ""
    Client.objects.filter(pk=client.pk).update(**changes)
    client.directions.clear()
    client.competitors.clear()
    for rows in (client.contacts, client.bank_accounts, client.mailing_addresses):
        rows.all().delete()
    AttributeValue.objects.filter(client_id=client.pk).delete()


@pytest.mark.feature("REG-04", "REG-05", "ACL-02")
def test_no_filter_field_tells_a_card_the_user_may_only_list(db: Any) -> None:
    # given a client rich in card data, curated by someone else, and a "list all" user who may list but not open it
    base = build_base(seed=3, size=1)
    lister, owner = base.users[2], UserFactory(login="owner", client_scope="full")
    client = Client.objects.get(pk=base.clients[0]["id"])
    Client.objects.filter(pk=client.pk).update(
        curator=owner, specialist=None, is_private=False, inn="7707083893", address="ул. Ленина, 5",
        fax="8 812 700-00-01", full_name="Общество «Тайное имя»", next_contact_date=date(2024, 3, 1),
        **{name: model._default_manager.order_by("pk").first() for name, model in (
            ("status", ClientStatus), ("priority", Priority), ("reaction", ContactReaction))})
    ClientGrant.objects.filter(client=client).delete()
    client.refresh_from_db()
    ContactPerson.objects.create(client=client, full_name="Иван Тайнов", phone_mobile="+7 916 555 00 11",
                                 phones_digits="79165550011", birthday=date(1990, 1, 1))
    ClientBankAccount.objects.create(client=client, bik="044525225", account="40702810400000000001")
    ClientMailingAddress.objects.create(client=client, kind="email", value="t@example.com", value_key="t@example.com",
                                        subscribed=True)
    asked = [(field_def, _values(field_def, client, [lister, owner]))
             for _code, _label, items in fields.catalogue() for field_def in items]
    opener = UserFactory(login="opener", client_scope="full")

    def answers(user: Any) -> dict[tuple[str, str, str], bool]:
        return {key: got for field_def, values in asked
                for key, got in _matches(user, client, field_def, values).items()}

    # when every field is asked, with every operator, values taken from the card — before and after the card's data
    # change under the same registry row
    before, opener_before = answers(lister), answers(opener)
    _blank_the_card(client)
    client.refresh_from_db()
    after, opener_after = answers(lister), answers(opener)
    # then the lister notices nothing: every field that reads card data declares it, and holds only on openable clients
    assert sorted((key, before[key], after.get(key)) for key in before if before[key] != after.get(key)) == []
    # while a user who opens it does (the conditions did read the card), and the registry's fields still match it
    assert sum(opener_before[key] != opener_after.get(key) for key in opener_before) > 20
    assert any(got for (key, _op, _value), got in after.items() if key == "name")
