"""Directories: each search beside the raw SQL of the same query, on a fresh base with its reference data.

`run()` makes a fresh SQLite base with `kontora upgrade` (so the settlements directory is loaded
exactly as in a new installation), then measures in a child process (`python -m bench.directories
measure HOME`) so that Django is set up on that base whatever other benchmarks did in this process.
Every measure is one function in MEASURES: it times a selector call and the same SQL run on the
driver's own cursor (sqlite3 / psycopg), alternated call by call, and returns the two medians.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

from bench import ROOT, Result, child_env, django_in

ROUNDS = 500
WARMUP = 20
# Prefixes a user types in the city picker: short and long, rare and common first letters, ё.
SETTLEMENT_PREFIXES = ["абак", "ЕКАТ", "орё", "ново", "с", "крас", "моск", "к", "нижн", "вл", "че", "ю"]

# Later words of place names (issue 13, item 9): found only through the word tails.
SETTLEMENT_WORDS = ["новгород", "купав", "русса", "оскол", "крым", "посад", "луки", "бор", "н", "ё"]

Measure = Callable[[], dict[str, Any]]


def _alternate(ours: Callable[[int], object], raw: Callable[[int], object]) -> tuple[float, float]:
    """Medians (ms) of `ours(i)` and `raw(i)`, called in turn so both see the same machine load."""
    ours_times: list[float] = []
    raw_times: list[float] = []
    for i in range(WARMUP + ROUNDS):
        started = time.perf_counter()
        ours(i)
        middle = time.perf_counter()
        raw(i)
        ended = time.perf_counter()
        if i >= WARMUP:
            ours_times.append((middle - started) * 1000)
            raw_times.append((ended - middle) * 1000)
    return statistics.median(ours_times), statistics.median(raw_times)


def measure_settlement_search() -> dict[str, Any]:
    """The city picker's query: `settlement_search(prefix)` against its SQL on the driver's cursor."""
    from django.db import connection

    from kontora.core.text import prefix_bounds, search_key
    from kontora.directories.models import Settlement
    from kontora.directories.selectors.settlements import PICK_FIELDS, settlement_search

    def queryset(prefix: str) -> Any:
        low, high = prefix_bounds(search_key(prefix))
        return (Settlement.objects.filter(is_active=True, name_key__gte=low, name_key__lt=high)
                .select_related("region").only(*PICK_FIELDS).order_by("name_key", "id")[:20])

    statements = [queryset(prefix).query.sql_with_params() for prefix in SETTLEMENT_PREFIXES]
    connection.ensure_connection()
    cursor = connection.connection.cursor()

    def ours(i: int) -> object:
        return settlement_search(SETTLEMENT_PREFIXES[i % len(SETTLEMENT_PREFIXES)])

    def raw(i: int) -> object:
        sql, params = statements[i % len(statements)]
        if connection.vendor == "postgresql":
            cursor.execute(sql, params)
        else:
            cursor.execute(sql.replace("%s", "?"), params)
        return cursor.fetchall()

    found = sum(len(settlement_search(prefix)) for prefix in SETTLEMENT_PREFIXES)
    ours_ms, raw_ms = _alternate(ours, raw)
    rows = Settlement.objects.count()
    sizes = f"{rows} places; {len(SETTLEMENT_PREFIXES)} prefixes ({found} hits), {ROUNDS} calls; {connection.vendor}"
    return {
        "measure": "settlements prefix search, ≤ 20 rows (median)", "value": ours_ms, "baseline": raw_ms,
        "unit": "ms", "sizes": sizes,
    }


def measure_settlement_word_search() -> dict[str, Any]:
    """The city picker finding a later word of a name (issue 13, item 9): `settlement_search(word)` against its
    SQL on the driver's cursor; compare with the prefix search above, measured in the same run."""
    from django.db import connection

    from kontora.core.text import search_key
    from kontora.directories.models import Settlement
    from kontora.directories.selectors.settlements import PICK_FIELDS, settlement_search
    from kontora.directories.selectors.words import settlement_words_q

    statements = [
        Settlement.objects.filter(settlement_words_q(search_key(word)), is_active=True).select_related("region")
        .only(*PICK_FIELDS).order_by("name_key", "id")[:20].query.sql_with_params()
        for word in SETTLEMENT_WORDS
    ]

    def ours(i: int) -> object:
        return settlement_search(SETTLEMENT_WORDS[i % len(SETTLEMENT_WORDS)])

    found = sum(len(settlement_search(word)) for word in SETTLEMENT_WORDS)
    ours_ms, raw_ms = _alternate(ours, _raw_runner(statements))
    rows = Settlement.objects.count()
    return {
        "measure": "settlements word-start search, ≤ 20 rows (median)", "value": ours_ms, "baseline": raw_ms,
        "unit": "ms", "sizes": f"{rows} places; {len(SETTLEMENT_WORDS)} words ({found} hits), {ROUNDS} calls; "
                               f"{connection.vendor}",
    }


def measure_settlement_pick() -> dict[str, Any]:
    """The city picker as the card asks it (issue 13, item 11): `directory_pick` of the settlements directory — word
    starts, the exact match first, each place with its region for the namesakes' label — against its SQL, and the
    same within one region (the card's region narrowing the picker)."""
    from django.db import connection

    from kontora.directories.models import Region
    from kontora.directories.selectors import items, registry

    directory = registry.get("settlements")
    moscow_oblast = Region.objects.get(name="Московская область").pk
    asks = [(word, {}) for word in SETTLEMENT_PREFIXES + SETTLEMENT_WORDS]
    asks += [(word, {"region": moscow_oblast}) for word in ["к", "с", "под", "сергиев"]]

    def queryset(word: str, narrow: dict[str, int]) -> Any:
        return items.pick_queryset(directory=directory, fetched_by=None, query=word, narrow=narrow)[:20]

    statements = [queryset(word, narrow).query.sql_with_params() for word, narrow in asks]

    def ours(i: int) -> object:
        word, narrow = asks[i % len(asks)]
        return items.directory_pick(directory=directory, fetched_by=None, query=word, narrow=narrow)

    found = sum(len(items.directory_pick(directory=directory, fetched_by=None, query=w, narrow=n)) for w, n in asks)
    ours_ms, raw_ms = _alternate(ours, _raw_runner(statements))
    return {
        "measure": "settlements picker (directory_pick with regions), ≤ 20 rows (median)", "value": ours_ms,
        "baseline": raw_ms, "unit": "ms",
        "sizes": f"{len(asks)} asks, 4 of them within Московская область ({found} rows); {connection.vendor}",
    }


NOMENCLATURE_FOLDERS = 100
NOMENCLATURE_PER_FOLDER = 1_000
NOMENCLATURE_WORDS = ["Бумага", "Ручка", "Степлер", "Папка", "Скрепки", "Маркер", "Ёмкость", "Ведро", "Лампа", "Кабель"]
# Article prefixes a user types: a whole article, a series of ten, of a hundred, and one with ё/case folding.
ARTICLE_PREFIXES = ["а042-0517", "А042-051", "а007-02", "А099-0999", "а050-09", "а001-0001"]
# What people type that starts a later word (issue 13, item 9): a whole number (100 items), a part of one, the number
# of an article («0517» of «А042-0517»), a word no item has, one digit (a tenth of the items); and, for comparison,
# the starts of names today's prefix search already found (a tenth of the items each).
WORD_QUERIES = ["07919", "1583", "0517", "svetocopy", "9"]
NAME_PREFIXES = ["бумага", "ёмк", "р"]


def _nomenclature_tree() -> list[int]:
    """100 folders (10 top-level × 10 below) × 1,000 items; returns the ids of the item-holding folders."""
    from kontora.core.text import search_key
    from kontora.directories.models import NomenclatureFolder, NomenclatureItem

    if NomenclatureFolder.objects.exists():
        return list(NomenclatureFolder.objects.filter(parent__isnull=False).order_by("pk").values_list("pk", flat=True))
    leaves: list[int] = []
    code = 0
    for top_no in range(NOMENCLATURE_FOLDERS // 10):
        top = NomenclatureFolder.objects.create(name=f"Раздел {top_no}", path="")
        NomenclatureFolder.objects.filter(pk=top.pk).update(path=f"/{top.pk}/")
        for leaf_no in range(10):
            folder_no = top_no * 10 + leaf_no
            leaf = NomenclatureFolder.objects.create(parent=top, name=f"Группа {folder_no}", path="")
            NomenclatureFolder.objects.filter(pk=leaf.pk).update(path=f"/{top.pk}/{leaf.pk}/")
            leaves.append(leaf.pk)
            items = []
            for n in range(NOMENCLATURE_PER_FOLDER):
                code += 1
                # names spread over the alphabet, not in code order, so the page is a real index seek
                name = f"{NOMENCLATURE_WORDS[(n * 7) % len(NOMENCLATURE_WORDS)]} {(n * 7919) % 100_000:05d}"
                article = f"А{folder_no:03d}-{n:04d}"
                items.append(NomenclatureItem(
                    folder_id=leaf.pk, code=code, name=name, name_key=search_key(name), article=article,
                    article_key=search_key(article),
                ))
            NomenclatureItem.objects.bulk_create(items, batch_size=1000)
    from django.apps import apps

    from kontora.directories.services.words import NOMENCLATURE, words_fill

    words_fill(apps, NOMENCLATURE)  # as the migration does for an existing nomenclature
    return leaves


def _raw_runner(statements: list[tuple[str, Any]]) -> Callable[[int], object]:
    from django.db import connection

    connection.ensure_connection()
    cursor = connection.connection.cursor()

    def raw(i: int) -> object:
        sql, params = statements[i % len(statements)]
        cursor.execute(sql if connection.vendor == "postgresql" else sql.replace("%s", "?"), params)
        return cursor.fetchall()

    return raw


def measure_nomenclature_folder() -> dict[str, Any]:
    """Opening a folder of 1,000 items: the first keyset page (selector) rendered as the list's rows,
    against the selector's SQL on the driver's cursor."""
    from django.db import connection
    from django.template.loader import render_to_string
    from django.utils import translation

    from kontora.directories.models import NomenclatureItem
    from kontora.directories.nomenclature import selectors

    folders = _nomenclature_tree()
    translation.activate("ru")
    statements = [
        NomenclatureItem.objects.filter(folder_id=pk).order_by("name_key", "id")
        .values(*selectors.LIST_COLUMNS)[: selectors.PAGE_SIZE + 1].query.sql_with_params()
        for pk in folders
    ]

    def ours(i: int) -> object:
        page = selectors.folder_items(fetched_by=None, folder_id=folders[i % len(folders)])
        return render_to_string("directories/nomenclature/partials/item_rows.html", {
            "page": page, "can_edit": True, "more_url": "/more/",
        })

    rows = len(selectors.folder_items(fetched_by=None, folder_id=folders[0]).rows)
    ours_ms, raw_ms = _alternate(ours, _raw_runner(statements))
    total = NomenclatureItem.objects.count()
    return {
        "measure": f"nomenclature: open a folder, first {rows} rows + render (median)", "value": ours_ms,
        "baseline": raw_ms, "unit": "ms",
        "sizes": f"{total} items in {len(folders)} folders × {NOMENCLATURE_PER_FOLDER}; baseline: the SQL only; "
                 f"{connection.vendor}",
    }


def prefix_filter(query: str) -> Any:
    """The nomenclature search's condition before issue 13 (code, or the article or the name by prefix): the
    baseline the word-start search is held to."""
    from django.db.models import Q

    from kontora.core.text import prefix_bounds, search_key

    key = search_key(query)
    condition = Q(code=int(query)) if query.isascii() and query.isdigit() and len(query) <= 10 else Q()
    low, high = prefix_bounds(key)
    return condition | Q(article_key__gte=low, article_key__lt=high) | Q(name_key__gte=low, name_key__lt=high)


def measure_nomenclature_article_search() -> dict[str, Any]:
    """Search by article over the whole nomenclature: `item_search(prefix)` (which also looks at every word's start
    since issue 13) against the SQL of the prefix search before it."""
    from django.db import connection

    from kontora.directories.models import NomenclatureItem
    from kontora.directories.nomenclature import selectors

    _nomenclature_tree()
    statements = []
    for prefix in ARTICLE_PREFIXES:
        condition = prefix_filter(prefix)
        statements.append(
            NomenclatureItem.objects.filter(condition).order_by("name_key", "id")
            .values(*selectors.LIST_COLUMNS)[: selectors.PAGE_SIZE + 1].query.sql_with_params()
        )

    def ours(i: int) -> object:
        return selectors.item_search(fetched_by=None, query=ARTICLE_PREFIXES[i % len(ARTICLE_PREFIXES)])

    found = sum(len(selectors.item_search(fetched_by=None, query=p).rows) for p in ARTICLE_PREFIXES)
    ours_ms, raw_ms = _alternate(ours, _raw_runner(statements))
    total = NomenclatureItem.objects.count()
    return {
        "measure": "nomenclature: search by article, ≤ 50 rows (median)", "value": ours_ms, "baseline": raw_ms,
        "unit": "ms", "sizes": f"{total} items; {len(ARTICLE_PREFIXES)} prefixes ({found} hits); baseline: the prefix "
                               f"search's SQL before issue 13; {connection.vendor}",
    }


def _nomenclature_search(queries: list[str], label: str, before: bool = False) -> dict[str, Any]:
    """`item_search` over `queries` (a range of the word tails' index, in the order of the matched text) against
    the SQL of the same match as a condition over the items in name order (`search_filter`), or (`before`) of the
    prefix search before issue 13 (`prefix_filter`)."""
    from django.db import connection

    from kontora.directories.models import NomenclatureItem
    from kontora.directories.nomenclature import selectors

    _nomenclature_tree()
    statements = [
        NomenclatureItem.objects.filter(prefix_filter(query) if before else selectors.search_filter(query))
        .order_by("name_key", "id")
        .values(*selectors.LIST_COLUMNS)[: selectors.PAGE_SIZE + 1].query.sql_with_params()
        for query in queries
    ]

    def ours(i: int) -> object:
        return selectors.item_search(fetched_by=None, query=queries[i % len(queries)])

    found = sum(len(selectors.item_search(fetched_by=None, query=q).rows) for q in queries)
    ours_ms, raw_ms = _alternate(ours, _raw_runner(statements))
    total = NomenclatureItem.objects.count()
    baseline = ("the prefix search's SQL before issue 13" if before
                else "the same match as a condition over the items in name order (search_filter)")
    return {
        "measure": f"nomenclature: search by {label}, ≤ 50 rows (median)", "value": ours_ms, "baseline": raw_ms,
        "unit": "ms", "sizes": f"{total} items; {len(queries)} queries ({found} hits); baseline: {baseline}; "
                               f"{connection.vendor}",
    }


def measure_nomenclature_name_search() -> dict[str, Any]:
    """The start of a name (what the prefix search found before issue 13): `item_search` against its SQL."""
    return _nomenclature_search(NAME_PREFIXES, "the start of the name", before=True)


def measure_nomenclature_word_search() -> dict[str, Any]:
    """The start of a later word of a name or an article (issue 13, item 9): `item_search` against the same match
    sorted by name."""
    return _nomenclature_search(WORD_QUERIES, "a later word's start")


MEASURES: list[Measure] = [
    measure_settlement_search, measure_settlement_word_search, measure_settlement_pick, measure_nomenclature_folder,
    measure_nomenclature_article_search, measure_nomenclature_name_search, measure_nomenclature_word_search,
]


def _measure_all(home: str) -> list[dict[str, Any]]:
    django_in(home)
    return [measure() for measure in MEASURES]


def run() -> list[Result]:
    with tempfile.TemporaryDirectory(prefix="kontora-bench-") as home:
        env = child_env(home)
        subprocess.run([sys.executable, "-m", "kontora.cli", "upgrade"], env=env, cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        child = subprocess.run([sys.executable, "-m", "bench.directories", "measure", home], env=env, cwd=ROOT,
                               check=True, capture_output=True, text=True)
    return [Result("directories", **row) for row in json.loads(child.stdout)]


if __name__ == "__main__":
    if sys.argv[1:2] != ["measure"] or len(sys.argv) != 3:
        sys.exit("usage: python -m bench.directories measure KONTORA_HOME  (or: python -m bench directories)")
    print(json.dumps(_measure_all(sys.argv[2])))
