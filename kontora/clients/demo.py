"""A demonstration base: realistic Russian clients with valid requisites, for trying Kontora and for benchmarks.

Deterministic for a seed. Rows are written in batches of 5,000, keys filled exactly as clients.services does
(search_key / digits), so the registry, search and pickers behave as on real data.
"""

from __future__ import annotations

import importlib
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from kontora.accounts.models import User, login_key
from kontora.clients.models import Client, ContactPerson
from kontora.clients.services.phones import phone_keys_fill
from kontora.core import numbering
from kontora.core.requisites import inn_check_digits, ogrn_check_digit
from kontora.core.text import digits, name_core, search_key
from kontora.directories import models as dirs

BATCH = 5_000
DEMO_USERS = 50
PRIVATE_SHARE = 0.01
# The extended search's FTS5 tables (SQLite, migration clients 0004) are kept by row triggers; the insert ones
# are suspended for a fill and the new rows indexed in two statements at the end: per row (every contact
# rewrites its client's phone row) they took most of a million-client build.
_FTS_INSERT_TRIGGERS = ("clients_name_fts_ai", "clients_phone_fts_ai", "clients_phone_fts_cp_ai")
_PG_TRIGRAM_INDEXES = ("clients_name_trgm", "clients_full_name_trgm", "clients_phone_trgm", "clients_fax_trgm",
                       "clients_contact_phones_trgm", "clients_address_trgm", "clients_contact_name_trgm")

_FORMS = [("ООО", "Общество с ограниченной ответственностью"), ("АО", "Акционерное общество"),
          ("ПАО", "Публичное акционерное общество")]
_FIRST = ["Альфа", "Бета", "Вега", "Гранит", "Дельта", "Ёлка", "Заря", "Исток", "Кедр", "Лотос", "Меридиан",
          "Нива", "Орион", "Полюс", "Рассвет", "Сигма", "Табула", "Уют", "Феникс", "Химпром", "Центр", "Чайка",
          "Шторм", "Эталон", "Юпитер", "Ясень", "Ока", "Волга", "Урал", "Байкал", "Север", "Восток"]
_SECOND = ["Строй", "Торг", "Снаб", "Сервис", "Трейд", "Пром", "Инвест", "Логистик", "Агро", "Мед", "Софт",
           "Групп", "Маркет", "Энерго", "Тех", "Комплект"]
_SURNAMES = ["Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов", "Новиков",
             "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров", "Павлов", "Козлов"]
_MALE = ["Александр", "Сергей", "Дмитрий", "Андрей", "Алексей", "Максим", "Евгений", "Иван", "Михаил", "Артём"]
_FEMALE = ["Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Анна", "Мария", "Светлана", "Юлия", "Екатерина"]
_MALE_PATRONYMICS = ["Александрович", "Сергеевич", "Дмитриевич", "Андреевич", "Иванович", "Петрович"]
_FEMALE_PATRONYMICS = ["Александровна", "Сергеевна", "Дмитриевна", "Андреевна", "Ивановна", "Петровна"]
_POSITIONS = ["Генеральный директор", "Главный бухгалтер", "Менеджер по закупкам", "Коммерческий директор",
              "Начальник отдела снабжения", "Секретарь", "Инженер"]
_STREETS = ["ул. Ленина", "ул. Мира", "пр. Победы", "ул. Садовая", "ул. Советская", "ул. Гагарина",
            "ул. Молодёжная", "ул. Школьная", "пр. Строителей", "ул. Набережная"]


@dataclass(frozen=True)
class DemoResult:
    clients: int
    contacts: int
    users: int
    first_code: int
    user_ids: tuple[int, ...] = ()  # the demo managers, in login order


def _digits(rng: random.Random, n: int) -> str:
    return str(rng.randrange(10**n)).zfill(n)


def org_requisites(rng: random.Random, region: str) -> tuple[str, str, str]:
    """INN (10), KPP and OGRN (13) of an organisation registered in `region` (2 digits), with valid check digits."""
    body = region + _digits(rng, 7)
    inn = body + inn_check_digits(body)
    kpp = inn[:4] + "01001"
    ogrn_body = "1" + f"{rng.randint(2, 24):02d}" + region + _digits(rng, 7)
    return inn, kpp, ogrn_body + ogrn_check_digit(ogrn_body)


def person_requisites(rng: random.Random, region: str) -> tuple[str, str]:
    """INN (12) and OGRNIP (15) of an individual entrepreneur, with valid check digits."""
    body = region + _digits(rng, 8)
    inn = body + inn_check_digits(body)
    ogrnip_body = "3" + f"{rng.randint(4, 24):02d}" + region + _digits(rng, 9)
    return inn, ogrnip_body + ogrn_check_digit(ogrnip_body)


def _phone(rng: random.Random) -> str:
    n = _digits(rng, 7)
    return f"+7 ({rng.randint(300, 999)}) {n[:3]}-{n[3:5]}-{n[5:]}"


def _person_name(rng: random.Random) -> str:
    surname = rng.choice(_SURNAMES)
    if rng.random() < 0.5:
        return f"{surname} {rng.choice(_MALE)} {rng.choice(_MALE_PATRONYMICS)}"
    return f"{surname}а {rng.choice(_FEMALE)} {rng.choice(_FEMALE_PATRONYMICS)}"


class Inserter:
    """Plain executemany INSERTs: the ORM's bulk_create spends most of its time building model instances.

    Every concrete column is written: the given value, else the field's default; auto_now(_add) get `now`.
    """

    def __init__(self, model: type[models.Model]) -> None:
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        now = timezone.now()
        self.defaults: dict[str, Any] = {}
        for field in self.fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                self.defaults[field.attname] = field.get_db_prep_save(now, connection)
            else:
                self.defaults[field.attname] = field.get_default()
        columns = ", ".join(connection.ops.quote_name(f.attname if f.column is None else f.column)
                            for f in self.fields)
        marks = ", ".join(["%s"] * len(self.fields))
        table = connection.ops.quote_name(model._meta.db_table)
        # Names come from the model's own meta, quoted; every value goes as a parameter.
        self.sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
        self.copy_sql = f"COPY {table} ({columns}) FROM STDIN"
        # PostgreSQL: COPY streams the rows; executemany sends one INSERT per row, each parsed and planned by the
        # server (3,000,000 of them for a million clients). Only for plain values COPY writes as text itself.
        plain = (str, int, float, bool, date, datetime, Decimal, type(None))
        self.copy = connection.vendor == "postgresql" and all(isinstance(v, plain) for v in self.defaults.values())

    def insert(self, rows: list[dict[str, Any]]) -> None:
        names = [f.attname for f in self.fields]
        defaults = [self.defaults[name] for name in names]
        params = [tuple(map(row.get, names, defaults)) for row in rows]
        with connection.cursor() as cursor:
            if self.copy:
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for values in params:
                        copy.write_row(values)
            else:
                cursor.executemany(self.sql, params)


@contextmanager
def _pg_trigram_in_bulk(first_code: int, adding: int) -> Iterator[None]:
    """Inside a transaction on PostgreSQL: for a fill at least as large as the base, its pg_trgm GIN indexes are
    dropped and built again after it — one build costs a fraction of a million GIN inserts — and the name search
    table (migration 0008) is filled in one statement instead of by its trigger row by row. The drop locks the
    client tables until the fill commits: fine for a demonstration base, which is what this fills."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM (SELECT 1 FROM clients_client LIMIT %s) AS present", [adding + 1])
        if cursor.fetchone()[0] > adding:
            saved: list[tuple[str, str]] = []
        else:
            cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                           "AND indexname = ANY(%s)", [list(_PG_TRIGRAM_INDEXES)])
            saved = cursor.fetchall()
        for name, _definition in saved:
            cursor.execute(f'DROP INDEX "{name}"')
        if saved:
            cursor.execute("SET LOCAL kontora.name_search_bulk = 'on'")  # the trigger of migration 0008 rests
    yield
    with connection.cursor() as cursor:
        if saved:
            # The fill's deferred foreign-key checks run now: CREATE INDEX refuses a table with pending ones.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            cursor.execute("INSERT INTO clients_name_search (id, name_key, full_name_key) "
                           "SELECT id, name_key, full_name_key FROM clients_client WHERE code >= %s", [first_code])
            cursor.execute("SET LOCAL kontora.name_search_bulk = 'off'")
        for _name, definition in saved:
            cursor.execute(definition)
        if saved:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@contextmanager
def _search_index_in_bulk(first_code: int, adding: int) -> Iterator[None]:
    """The search indexes kept in bulk while `adding` clients from `first_code` on are added, inside a transaction.

    SQLite: the FTS insert triggers are off for the fill, then those clients are indexed at once and the triggers
    restored (an error rolls all of it back, DDL included). PostgreSQL: see _pg_trigram_in_bulk.
    """
    if connection.vendor == "postgresql":
        with _pg_trigram_in_bulk(first_code, adding):
            yield
        return
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        # A million rows update ~25 indexes of clients_client: a page cache of 512 MB instead of 64 MB keeps
        # their pages in memory for the fill; the connection's usual size comes back after it.
        cursor.execute("PRAGMA cache_size")
        cache_size = int(cursor.fetchone()[0])
        cursor.execute("PRAGMA cache_size = -512000")
        marks = ", ".join(["%s"] * len(_FTS_INSERT_TRIGGERS))
        cursor.execute(f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({marks})",  # noqa: S608
                       list(_FTS_INSERT_TRIGGERS))
        saved = cursor.fetchall()
        if len(saved) != len(_FTS_INSERT_TRIGGERS):
            saved = []  # not the schema this knows: leave the triggers to do their work
        for name, _sql in saved:
            cursor.execute(f"DROP TRIGGER {name}")
    try:
        yield
        if saved:
            phones_of = importlib.import_module("kontora.clients.migrations.0004_search")._PHONES_OF
            with connection.cursor() as cursor:
                # In rowid order (the name order's groups, migration 0007): FTS5 writes a sorted fill fast.
                cursor.execute("INSERT INTO clients_name_fts(rowid, name_key, full_name_key) SELECT seq, name_key, "
                               "full_name_key FROM clients_name_src WHERE code >= %s ORDER BY seq", [first_code])
                cursor.execute(f"INSERT INTO clients_phone_fts(rowid, digits) {phones_of} WHERE c.code >= %s",
                               [first_code])
                for _name, sql in saved:
                    cursor.execute(sql)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {cache_size}")


def _analyze() -> None:
    """Fresh planner statistics after a bulk fill: without them SQLite picks an index for a Flexi-filter by rule
    (status before city: a hundred thousand rows instead of a thousand) and PostgreSQL waits for autovacuum."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # Every row read (seconds on a million): the sampled ANALYZE (analysis_limit) misjudged the keys —
            # 1 row per name, 1,000 per status — and sent the extended search into a seconds-long plan.
            cursor.execute("PRAGMA analysis_limit = 0")
            cursor.execute("ANALYZE clients_client")
            cursor.execute("ANALYZE clients_contactperson")
        elif connection.vendor == "postgresql":
            cursor.execute("ANALYZE clients_client, clients_contactperson")


def _ids(model: Any) -> list[int]:
    return list(model.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True))


def demo_users(*, password: str | None = None) -> list[User]:
    """demo01 … demo50, managers; an unusable password unless one is given."""
    users: list[User] = []
    for n in range(1, DEMO_USERS + 1):
        login = f"demo{n:02d}"
        user = User.objects.filter(login=login).first()
        if user is None:
            user = User(login=login, login_key=login_key(login), role="manager",
                        full_name=f"{_SURNAMES[n % len(_SURNAMES)]} Демо {n:02d}")
            if password:
                user.set_password(password)
            else:
                user.set_unusable_password()
            user.save()
        users.append(user)
    return users


def demo_fill(*, clients: int, seed: int = 1, password: str | None = None) -> DemoResult:
    """Adds `clients` demo clients (1–3 contact persons each) to the base; codes continue after the largest."""
    rng = random.Random(seed)  # noqa: S311 — demonstration data must repeat for a seed, not be secret
    users = demo_users(password=password)
    settlements = list(dirs.Settlement.objects.filter(is_active=True).select_related("region")
                       .order_by("pk").only("id", "name", "postal_code", "region__id", "region__code"))
    statuses, sizes, sources = _ids(dirs.ClientStatus), _ids(dirs.CompanySize), _ids(dirs.InformationSource)
    flags = _ids(dirs.ClientFlag)
    priorities, activities = _ids(dirs.Priority), _ids(dirs.ActivityType)
    # The fill writes its codes itself, from the next free one on, and moves the counter past them at the end.
    first_code = numbering.code_next("client")
    # The demo's clients get ids past every existing one: their phone keys are written for those ids at the end.
    first_id = (Client.objects.aggregate(last=models.Max("id"))["last"] or 0) + 1
    contacts_total = 0
    client_rows, contact_rows = Inserter(Client), Inserter(ContactPerson)
    with transaction.atomic(), _search_index_in_bulk(first_code, clients):
        for start in range(0, clients, BATCH):
            batch: list[dict[str, Any]] = []
            contact_plan: list[int] = []
            for i in range(start, min(start + BATCH, clients)):
                place = rng.choice(settlements) if settlements else None
                region = place.region.code if place and place.region.code.isdigit() else f"{rng.randint(1, 89):02d}"
                curator = users[rng.randrange(len(users))]
                if rng.random() < 0.15:
                    person = _person_name(rng)
                    inn, ogrn = person_requisites(rng, region)
                    kpp, kind = "", str(Client.Kind.PERSON)
                    short_name, full_name = f"ИП {person}", f"Индивидуальный предприниматель {person}"
                else:
                    form_short, form_full = rng.choice(_FORMS)
                    title = f"{rng.choice(_FIRST)}{rng.choice(_SECOND)}"
                    if rng.random() < 0.3:
                        title += f"-{rng.randint(1, 99)}"
                    inn, kpp, ogrn = org_requisites(rng, region)
                    kind = str(Client.Kind.COMPANY)
                    short_name, full_name = f"{form_short} «{title}»", f"{form_full} «{title}»"
                phone = _phone(rng)
                batch.append(dict(
                    code=first_code + i, kind=kind, full_name=full_name, short_name=short_name,
                    name_key=search_key(short_name), name_core_key=name_core(search_key(short_name)),
                    full_name_key=search_key(full_name),
                    region_id=place.region.pk if place else None, settlement_id=place.pk if place else None,
                    city_key=search_key(place.name) if place else "",
                    address=f"{rng.choice(_STREETS)}, д. {rng.randint(1, 150)}",
                    postal_code=place.postal_code if place and place.postal_code else "",
                    phone=phone, phone_digits=digits(phone), inn=inn, kpp=kpp, ogrn=ogrn,
                    curator_id=curator.pk,
                    status_id=rng.choice(statuses) if statuses else None,
                    size_id=rng.choice(sizes) if sizes else None,
                    source_id=rng.choice(sources) if sources else None,
                    priority_id=rng.choice(priorities) if priorities else None,
                    activity_id=rng.choice(activities) if activities else None,
                    # one draw, as before named flags, so a seed fills the same base
                    flag_id=flags[i % len(flags)] if rng.random() < 0.03 and flags else None,
                    needs_attention=rng.random() < 0.02,
                    is_private=rng.random() < PRIVATE_SHARE,
                    email=f"info{first_code + i}@example.ru",
                ))
                contact_plan.append(rng.randint(1, 3))
            client_rows.insert(batch)
            ids = dict(Client.objects.filter(code__gte=batch[0]["code"], code__lte=batch[-1]["code"])
                       .values_list("code", "pk"))
            contacts: list[dict[str, Any]] = []
            for row, count in zip(batch, contact_plan, strict=True):
                for n in range(count):
                    mobile = _phone(rng)
                    contacts.append(dict(
                        client_id=ids[row["code"]], full_name=_person_name(rng), position=rng.choice(_POSITIONS),
                        phone_mobile=mobile, phones_digits=digits(mobile), is_main=n == 0,
                        birthday=date(rng.randint(1955, 2000), rng.randint(1, 12), rng.randint(1, 28)),
                    ))
            contact_rows.insert(contacts)
            contacts_total += len(contacts)
        phone_keys_fill(clients_from=first_id)
    numbering.code_catch_up("client")
    _analyze()
    return DemoResult(clients=clients, contacts=contacts_total, users=len(users), first_code=first_code,
                      user_ids=tuple(user.pk for user in users))
