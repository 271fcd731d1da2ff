"""Reads of the banks directory (DIR-03): search by BIK or name, the bank of a BIK."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from django.utils import timezone

from kontora.directories.models import BankDirectory
from kontora.directories.selectors import banks as selectors
from kontora.directories.selectors.banks import bank_by_bik, bank_search
from tests.directories.factories import BankFactory

pytestmark = [pytest.mark.django_db, pytest.mark.feature("DIR-03")]


@pytest.fixture
def banks(db: Any) -> None:
    BankFactory(bik="044525225", name="ПАО Сбербанк")
    BankFactory(bik="044525593", name="АО «АЛЬФА-БАНК»")
    BankFactory(bik="044525187", name="Банк ВТБ (ПАО)")


def test_search_by_bik_prefix_or_a_word_of_the_name(banks: None) -> None:
    # then
    assert [bank.bik for bank in bank_search("044525")] == ["044525593", "044525187", "044525225"]
    assert [bank.bik for bank in bank_search("0445252")] == ["044525225"]
    assert [bank.name for bank in bank_search("СБЕР")] == ["ПАО Сбербанк"]
    assert [bank.name for bank in bank_search("альфа")] == ["АО «АЛЬФА-БАНК»"]
    assert len(bank_search("")) == 3


def test_bank_by_bik_reads_the_digits_of_an_active_bank(banks: None) -> None:
    # given
    BankFactory(bik="044525999", name="АО Закрытый банк", is_active=False)
    # then
    assert bank_by_bik("0445 25225") is not None
    assert bank_by_bik("044525999") is None
    assert bank_by_bik("04452") is None


def _dated(day: date) -> None:
    BankDirectory.objects.create(pk=1, directory_date=day, imported_at=timezone.make_aware(datetime(2026, 12, 1)))


def test_a_directory_never_imported_is_not_loaded_and_warned_of(db: Any) -> None:
    # when
    state = selectors.bank_directory_state()
    # then
    assert (state.loaded, state.directory_date, state.age_days, state.stale) == (False, None, None, True)


@pytest.mark.parametrize(("today", "age", "stale"), [
    (date(2026, 6, 1), 0, False),
    (date(2026, 8, 30), 90, False),
    (date(2026, 8, 31), 91, True),
])
def test_the_directory_is_stale_past_ninety_days_from_its_date(
    db: Any, monkeypatch: pytest.MonkeyPatch, today: date, age: int, stale: bool,
) -> None:
    # given data of 1 June, looked at on a frozen day
    _dated(date(2026, 6, 1))
    monkeypatch.setattr(selectors, "_today", lambda: today)
    # when
    state = selectors.bank_directory_state()
    # then
    assert (state.loaded, state.directory_date, state.age_days, state.stale) == (True, date(2026, 6, 1), age, stale)
