"""Pickers and the nomenclature search match the start of any word (issue 13, item 9): «татарстан», «новгород»,
«торг», «клиент» in pickers, «svetocopy» and «a4» in the nomenclature — folded, through indexed word tails."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.urls import reverse

from kontora.directories.models import NomenclatureItem, NomenclatureWord, Settlement
from kontora.directories.nomenclature import selectors as nomenclature
from kontora.directories.nomenclature.services import ItemData, nomenclature_item_update
from kontora.directories.selectors import registry
from kontora.directories.selectors.settlements import settlement_search
from kontora.directories.services.items import directory_item_save
from kontora.directories.services.words import NOMENCLATURE, words_fill
from tests.directories.support import bulk_items, nomenclature_item
from tests.support.http import html, signed_in

pytestmark = pytest.mark.django_db


def picked(browser: Any, key: str, text: str) -> str:
    return html(browser.get(reverse("directories:pick", args=[key]), {"q": text}))


@pytest.mark.feature("DIR-03")
def test_a_place_is_found_by_a_later_word_of_its_name():
    # when
    found = [place.name for place in settlement_search("новгород")]
    # then: both Novgorods, in name order; the start of the name still works
    assert found == ["Великий Новгород", "Нижний Новгород"]
    assert [place.name for place in settlement_search("КУПАВ")] == ["Старая Купавна"]


@pytest.mark.feature("DIR-07")
def test_pickers_match_a_word_inside_the_name(admin_user):
    # given
    browser = signed_in(admin_user)
    nizhny = Settlement.objects.get(name="Нижний Новгород")
    # when
    regions = picked(browser, "regions", "татарстан")
    places = picked(browser, "settlements", "новгород")
    statuses = picked(browser, "client-statuses", "клиент")
    # then
    assert "Республика Татарстан" in regions
    assert f'data-pick="{nizhny.pk}"' in places and "Великий Новгород" in places
    assert "Потенциальный клиент" in statuses and "Наш постоянный клиент" in statuses


@pytest.mark.feature("DIR-07")
def test_a_word_match_never_takes_a_word_that_only_contains_the_text(admin_user):
    # when: «город» is inside «Новгород», not the start of a word
    places = picked(signed_in(admin_user), "settlements", "город")
    # then
    assert "Новгород" not in places
    assert "Городец" in places  # positive control: a name starting with it


@pytest.mark.feature("DIR-08")
def test_the_nomenclature_search_finds_an_item_by_any_word_of_its_name(admin_user):
    # given
    paper = nomenclature_item(admin_user, "Бумага SvetoCopy A4", article="SC-500")
    nomenclature_item(admin_user, "Бумага цветная A3")

    def found(query: str) -> list[str]:
        return [row["name"] for row in nomenclature.item_search(fetched_by=admin_user, query=query).rows]

    # then
    assert found("svetocopy") == ["Бумага SvetoCopy A4"]
    assert found("SvetoCopy a4") == ["Бумага SvetoCopy A4"]
    assert found("a4") == ["Бумага SvetoCopy A4"]
    assert found("500") == ["Бумага SvetoCopy A4"]  # a word of the article
    assert found("бумага") == ["Бумага SvetoCopy A4", "Бумага цветная A3"]
    # when: renamed, the old words no longer find it
    nomenclature_item_update(acting_user=admin_user, item_id=paper.pk,
                             data=ItemData(name="Бумага Снегурочка A4", article="SC-500"))
    assert found("svetocopy") == []
    assert found("снегур") == ["Бумага Снегурочка A4"]


@pytest.mark.feature("DIR-03")
def test_a_place_renamed_in_its_card_is_found_by_its_new_words(admin_user):
    # given
    place = Settlement.objects.get(name="Старая Купавна")
    # when
    directory_item_save(acting_user=admin_user, directory=registry.get("settlements"), pk=place.pk,
                        data={"name": "Новая Купавна Тест"})
    # then
    assert [p.name for p in settlement_search("тест")] == ["Новая Купавна Тест"]
    assert [p.name for p in settlement_search("старая")] == ["Старая Русса"]  # the old name's words are gone


@pytest.mark.feature("DIR-08")
def test_word_tails_are_filled_for_items_written_in_bulk(admin_user):
    # given: items written without their tails (as before the migration)
    bulk_items(None, 3, start_code=100)
    assert not NomenclatureWord.objects.exists()
    # when
    written = words_fill(apps, NOMENCLATURE)
    # then: every word of every name, and the search finds them by a later word
    assert written == 6
    found = [row["name"] for row in nomenclature.item_search(fetched_by=admin_user, query="00001").rows]
    assert found == ["Товар 00001"]
    assert NomenclatureItem.objects.count() == 3
