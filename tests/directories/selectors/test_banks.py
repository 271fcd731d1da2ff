"""Reads of the banks directory (DIR-03): search by BIK or name, the bank of a BIK."""

from __future__ import annotations

from typing import Any

import pytest

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
