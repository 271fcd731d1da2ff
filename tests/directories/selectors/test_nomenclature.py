"""Reads of the nomenclature (DIR-08, DIR-02): search by code, article or name; keyset pages of a folder."""

from __future__ import annotations

from typing import Any

import pytest

from kontora.core.text import search_key
from kontora.directories.models import NomenclatureItem
from kontora.directories.nomenclature import selectors
from kontora.directories.nomenclature.services import nomenclature_folder_create
from tests.directories.support import bulk_items, nomenclature_item


@pytest.mark.feature("DIR-08")
def test_search_by_code_article_and_name_folds_cyrillic(admin_user: Any) -> None:
    # given
    tree = nomenclature_item(admin_user, "Ёлка искусственная", article="ЁЛ-150")
    paper = nomenclature_item(admin_user, "Бумага офисная", article="БУМ-А4")
    bucket = nomenclature_item(admin_user, "Ведро", article="12")

    def found(query: str) -> list[str]:
        return [row["name"] for row in selectors.item_search(fetched_by=admin_user, query=query).rows]

    # when / then: code exactly
    assert found(str(paper.code)) == ["Бумага офисная"]
    # article by prefix, any case, ё as е, punctuation ignored
    assert found("бум-а") == ["Бумага офисная"]
    assert found("ел 15") == ["Ёлка искусственная"]
    # name by prefix, any case, ё as е
    assert found("ЕЛКА") == ["Ёлка искусственная"]
    assert found("бУмАгА оф") == ["Бумага офисная"]
    # a number matches the code (its item first) and the articles starting with it, by the matched text
    assert found("1") == ["Ёлка искусственная", "Ведро"]
    assert found("офисная") == ["Бумага офисная"]  # the start of any word (issue 13, item 9)
    assert tree.code == 1 and bucket.code == 3


@pytest.mark.feature("DIR-02")
def test_folder_list_pages_by_keyset_without_gaps(admin_user: Any, admin_client: Any) -> None:
    # given 120 items in a folder, a few with equal names
    folder = nomenclature_folder_create(acting_user=admin_user, parent_id=None, name="Склад")
    bulk_items(folder, 117, start_code=1)
    for code in (500, 501, 502):
        NomenclatureItem.objects.create(
            folder=folder, code=code, name="Товар 00050", name_key=search_key("Товар 00050")
        )
    # when every page is read in turn
    seen: list[int] = []
    after = ""
    while True:
        page = selectors.folder_items(fetched_by=admin_user, folder_id=folder.pk, cursor={"after": after})
        seen.extend(row["id"] for row in page.rows)
        if not page.after:
            break
        after = page.after
    # then every item came once, in name order
    assert len(seen) == len(set(seen)) == 120
    expected = list(NomenclatureItem.objects.order_by("name_key", "id").values_list("id", flat=True))
    assert seen == expected
