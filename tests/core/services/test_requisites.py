"""Russian requisites: known real numbers, exact messages, and checksum properties with Hypothesis.

The generators below compute check digits with their own reference code (not the module's), so a
wrong weight or modulus in kontora.core.requisites cannot pass by agreeing with itself.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import assume, given
from hypothesis import strategies as st

from kontora.core import requisites as r

pytestmark = pytest.mark.feature("ORG-01", "SYS-05")

SBER = {
    "inn": "7707083893", "kpp": "773601001", "ogrn": "1027700132195", "okpo": "00032537",
    "bik": "044525225", "corr": "30101810400000000225",
}


def message(call, *args):
    with pytest.raises(ValidationError) as info:
        call(*args)
    return info.value.messages[0]


# --- reference check-digit code, written from the published algorithms ---

def ref_inn(body: str) -> str:
    def digit(part: str, weights: list[int]) -> str:
        return str(sum(int(c) * w for c, w in zip(part, weights, strict=True)) % 11 % 10)

    if len(body) == 9:
        return body + digit(body, [2, 4, 10, 3, 5, 9, 4, 6, 8])
    n11 = digit(body, [7, 2, 4, 10, 3, 5, 9, 4, 6, 8])
    n12 = digit(body + n11, [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8])
    return body + n11 + n12


def ref_key_sum(prefix: str, account: str) -> int:
    return sum(int(c) * (7, 1, 3)[i % 3] for i, c in enumerate(prefix + account))


def ref_account(prefix: str, head: str, tail: str) -> str:
    """A 20-digit account with the key (the 9th digit) chosen so the 23-digit sum is ≡ 0 mod 10."""
    for key in "0123456789":
        account = head + key + tail
        if ref_key_sum(prefix, account) % 10 == 0:
            return account
    raise AssertionError("no key digit")


def ref_snils_check(body: str) -> str:
    total = sum(int(c) * w for c, w in zip(body, range(9, 0, -1), strict=True))
    while total > 101:
        total -= 101
    return "00" if total in (100, 101) else f"{total:02d}"


def ref_okpo_first_remainder(body: str) -> int:
    return sum(int(c) * (i % 10 + 1) for i, c in enumerate(body)) % 11


def ref_okpo(body: str) -> str:
    rem = ref_okpo_first_remainder(body)
    if rem == 10:
        rem = sum(int(c) * ((i + 2) % 10 + 1) for i, c in enumerate(body)) % 11
    return body + str(0 if rem == 10 else rem)


def digits(n: int) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=n, max_size=n)


def mutate(value: str, position: int, shift: int) -> str:
    """The same number with exactly one digit changed."""
    position %= len(value)
    new = str((int(value[position]) + shift) % 10)
    return value[:position] + new + value[position + 1:]


shifts = st.integers(min_value=1, max_value=9)
positions = st.integers(min_value=0, max_value=100)


def passes(call, *args) -> bool:
    try:
        call(*args)
    except ValidationError:
        return False
    return True


# --- known numbers ---

def test_sberbank_requisites_pass_and_come_back_normalised():
    # given Sberbank's public requisites, typed with spaces as people do
    # when / then
    assert r.validate_inn("7707 083 893") == SBER["inn"]
    assert r.validate_kpp(" 773601001 ") == SBER["kpp"]
    assert r.validate_ogrn("1027700132195") == SBER["ogrn"]
    assert r.validate_okpo("00032537") == SBER["okpo"]
    assert r.validate_bik("044 525 225") == SBER["bik"]
    assert r.validate_corr_account("30101 810 4 00000000225", SBER["bik"]) == SBER["corr"]
    assert r.validate_settlement_account("40702810938000000001", SBER["bik"]) == "40702810938000000001"


def test_other_known_numbers_pass():
    assert r.validate_inn("500100732259") == "500100732259"  # an individual's INN
    assert r.validate_ogrnip("304500116000157") == "304500116000157"
    assert r.validate_snils("112-233-445 95") == "11223344595"
    assert r.validate_corr_account("30101810200000000593", "044525593") == "30101810200000000593"  # Alfa-Bank


def test_clean_digits_drops_spaces_and_dashes_only():
    assert r.clean_digits(" 112-233-445 95 ") == "11223344595"
    assert r.clean_digits("77 07\u00a008–3893") == "7707083893"
    assert r.clean_digits("77O7083893") == "77O7083893"
    assert r.clean_digits(None) == ""


def test_inn_messages_name_the_failed_check():
    assert message(r.validate_inn, "770708389") == (
        "ИНН должен состоять из 10 цифр (организация) или 12 цифр (ИП, физическое лицо)"
    )
    assert message(r.validate_inn, "77070838ab") == (
        "ИНН должен состоять из 10 цифр (организация) или 12 цифр (ИП, физическое лицо)"
    )
    assert message(r.validate_inn, "7707083894") == "ИНН: неверное контрольное число"
    assert message(r.validate_inn, "500100732258") == "ИНН: неверное контрольное число"


def test_kpp_allows_letters_in_the_reason_code_only():
    assert r.validate_kpp("7736AB001") == "7736AB001"
    assert r.validate_kpp("7736ab001") == "7736AB001"
    expected = "КПП должен состоять из 9 знаков: 4 цифры, 2 цифры или заглавные латинские буквы, 3 цифры"
    assert message(r.validate_kpp, "77360100") == expected
    assert message(r.validate_kpp, "77A601001") == expected
    assert message(r.validate_kpp, "7736010A1") == expected
    assert message(r.validate_kpp, "7736ЖЖ001") == expected


def test_ogrn_and_ogrnip_messages():
    assert message(r.validate_ogrn, "102770013219") == "ОГРН должен состоять из 13 цифр"
    assert message(r.validate_ogrn, "1027700132196") == "ОГРН: неверное контрольное число"
    assert message(r.validate_ogrn, "3027700132195") == "ОГРН организации начинается с 1 или 5"
    assert message(r.validate_ogrnip, "30450011600015") == "ОГРНИП должен состоять из 15 цифр"
    assert message(r.validate_ogrnip, "304500116000158") == "ОГРНИП: неверное контрольное число"
    assert message(r.validate_ogrnip, "104500116000157") == "ОГРНИП начинается с 3"
    assert message(r.validate_ogrn_or_ogrnip, "12345") == (
        "ОГРН должен состоять из 13 цифр (организация), ОГРНИП — из 15 цифр (ИП)"
    )
    assert r.validate_ogrn_or_ogrnip("304500116000157") == "304500116000157"


def test_ogrnip_whose_remainder_is_ten_or_more_passes():
    # given an OGRNIP whose first 14 digits leave 11 when divided by 13: the check digit is 1
    body = "39838675650889"
    assert int(body) % 13 == 11
    # when / then
    assert r.validate_ogrnip(body + "1") == body + "1"


def test_bank_messages():
    assert message(r.validate_bik, "04452522") == "БИК должен состоять из 9 цифр"
    assert message(r.validate_bik, "144525225") == "БИК: БИК российского банка начинается с 04"
    assert message(r.validate_corr_account, "3010181040000000022", SBER["bik"]) == (
        "Корр. счёт должен состоять из 20 цифр"
    )
    assert message(r.validate_corr_account, "30101810400000000225", "044030653") == (
        "Корр. счёт: контрольный ключ не сходится с БИК"
    )
    assert message(r.validate_settlement_account, "4070281093800000000", SBER["bik"]) == (
        "Расчётный счёт должен состоять из 20 цифр"
    )
    assert message(r.validate_settlement_account, "40702810938000000002", SBER["bik"]) == (
        "Расчётный счёт: контрольный ключ не сходится с БИК"
    )


def test_correspondent_account_is_keyed_on_bik_digits_five_and_six_not_the_last_three():
    # given Sberbank's correspondent account: its key works with "0"+"25", not with "225"
    assert ref_key_sum("025", SBER["corr"]) % 10 == 0
    assert ref_key_sum("225", SBER["corr"]) % 10 != 0
    # when / then: a BIK with the same 5th-6th digits but other last digits still validates it
    assert r.validate_corr_account(SBER["corr"], "045625999") == SBER["corr"]


def test_snils_messages_and_the_early_numbers_exception():
    assert message(r.validate_snils, "1122334459") == "СНИЛС должен состоять из 11 цифр"
    assert message(r.validate_snils, "11223344596") == "СНИЛС: неверное контрольное число"
    # numbers up to 001-001-998 carry no check number
    assert r.validate_snils("001-001-998 00") == "00100199800"
    assert r.validate_snils("001-001-998 47") == "00100199847"
    assert message(r.validate_snils, "001-001-999 00") == "СНИЛС: неверное контрольное число"


@pytest.mark.parametrize(("body", "weighted_sum", "check"), [
    ("100009999", 99, "99"),
    ("100018999", 100, "00"),
    ("100019899", 101, "00"),
    ("100019989", 102, "01"),
    ("999960100", 303, "00"),
])
def test_snils_check_number_around_100_and_101(body, weighted_sum, check):
    # given a body with a known weighted sum
    assert sum(int(c) * w for c, w in zip(body, range(9, 0, -1), strict=True)) == weighted_sum
    # when / then: below 100 the sum itself; 100 and 101 give 00; above, the remainder mod 101
    assert r.validate_snils(body + check) == body + check
    assert ref_snils_check(body) == check


def test_okpo_messages_and_second_pass():
    assert message(r.validate_okpo, "0003253") == "ОКПО должен состоять из 8 цифр (организация) или 10 цифр (ИП)"
    assert message(r.validate_okpo, "00032538") == "ОКПО: неверное контрольное число"
    # given a body whose first pass leaves 10: the check digit comes from the shifted weights
    body = next(b for b in (f"{n:07d}" for n in range(10_000)) if ref_okpo_first_remainder(b) == 10)
    assert r.validate_okpo(ref_okpo(body)) == ref_okpo(body)


# --- properties ---

@given(body=digits(9))
def test_any_generated_organisation_inn_passes(body):
    assert r.validate_inn(ref_inn(body)) == ref_inn(body)


@given(body=digits(10))
def test_any_generated_individual_inn_passes(body):
    assert r.validate_inn(ref_inn(body)) == ref_inn(body)


@given(body=digits(9), position=positions, shift=shifts)
def test_single_digit_change_of_organisation_inn_fails(body, position, shift):
    # A check digit of 0 stands for remainders 0 and 10 alike, so a change may land on the other one.
    inn = ref_inn(body)
    assume(inn[-1] != "0" or position % 10 == 9)
    assert not passes(r.validate_inn, mutate(inn, position, shift))


@given(body=digits(10), position=positions, shift=shifts)
def test_single_digit_change_of_individual_inn_fails(body, position, shift):
    inn = ref_inn(body)
    assume(inn[10:] != "00" or position % 12 >= 10)
    assert not passes(r.validate_inn, mutate(inn, position, shift))


@given(sign=st.sampled_from("15"), rest=digits(11))
def test_any_generated_ogrn_passes(sign, rest):
    body = sign + rest
    ogrn = body + str(int(body) % 11 % 10)
    assert r.validate_ogrn(ogrn) == ogrn


@given(sign=st.sampled_from("15"), rest=digits(11), position=positions, shift=shifts)
def test_single_digit_change_of_ogrn_fails(sign, rest, position, shift):
    body = sign + rest
    ogrn = body + str(int(body) % 11 % 10)
    assume(ogrn[-1] != "0" or position % 13 == 12)
    assert not passes(r.validate_ogrn, mutate(ogrn, position, shift))


@given(rest=digits(13))
def test_any_generated_ogrnip_passes_whatever_the_remainder(rest):
    body = "3" + rest
    ogrnip = body + str(int(body) % 13 % 10)
    assert r.validate_ogrnip(ogrnip) == ogrnip


@given(rest=digits(13), position=positions, shift=shifts)
def test_single_digit_change_of_ogrnip_fails(rest, position, shift):
    # Remainders 10, 11, 12 share the check digits 0, 1, 2 with remainders 0, 1, 2.
    body = "3" + rest
    ogrnip = body + str(int(body) % 13 % 10)
    assume(ogrnip[-1] not in "012" or position % 15 == 14)
    assert not passes(r.validate_ogrnip, mutate(ogrnip, position, shift))


@given(bank=digits(3), head=digits(8), tail=digits(11))
def test_any_generated_settlement_account_passes(bank, head, tail):
    bik = "044525" + bank
    account = ref_account(bank, head, tail)
    assert r.validate_settlement_account(account, bik) == account


@given(bank=digits(3), head=digits(8), tail=digits(11), position=positions, shift=shifts)
def test_single_digit_change_of_settlement_account_or_bik_fails(bank, head, tail, position, shift):
    bik = "044525" + bank
    account = ref_account(bank, head, tail)
    assert not passes(r.validate_settlement_account, mutate(account, position, shift), bik)
    assert not passes(r.validate_settlement_account, account, mutate(bik, 6 + position % 3, shift))


@given(bik_rest=digits(7), head=digits(8), tail=digits(11), position=positions, shift=shifts)
def test_correspondent_account_key_catches_every_single_digit_change(bik_rest, head, tail, position, shift):
    bik = "04" + bik_rest
    prefix = "0" + bik[4:6]
    corr = ref_account(prefix, head, tail)
    # given a generated valid pair
    assert r.validate_corr_account(corr, bik) == corr
    # then any single changed digit of the account, or of the BIK's 5th-6th digits, fails
    assert not passes(r.validate_corr_account, mutate(corr, position, shift), bik)
    assert not passes(r.validate_corr_account, corr, mutate(bik, 4 + position % 2, shift))


@given(first=st.sampled_from("123456789"), second=st.sampled_from("123456789"), rest=digits(7))
def test_any_generated_snils_passes(first, second, rest):
    body = first + second + rest
    assert r.validate_snils(body + ref_snils_check(body)) == body + ref_snils_check(body)


@given(first=st.sampled_from("123456789"), second=st.sampled_from("123456789"), rest=digits(7),
       position=positions, shift=shifts)
def test_single_digit_change_of_snils_fails(first, second, rest, position, shift):
    # Two leading non-zero digits keep every changed number above 001-001-998, where the check applies;
    # check number 00 stands for sums 100 and 101 alike.
    body = first + second + rest
    snils = body + ref_snils_check(body)
    assume(snils[9:] != "00" or position % 11 >= 9)
    assert not passes(r.validate_snils, mutate(snils, position, shift))


@given(body=st.one_of(digits(7), digits(9)))
def test_any_generated_okpo_passes(body):
    assert r.validate_okpo(ref_okpo(body)) == ref_okpo(body)


@given(body=st.one_of(digits(7), digits(9)), position=positions, shift=shifts)
def test_single_digit_change_of_okpo_fails(body, position, shift):
    okpo = ref_okpo(body)
    changed = mutate(okpo, position, shift)
    # A first-pass remainder of 10 switches to the second weights, where two bodies can meet.
    assume(ref_okpo_first_remainder(body) != 10 and ref_okpo_first_remainder(changed[:-1]) != 10)
    assert not passes(r.validate_okpo, changed)


def test_entity_requisites_cross_checks_name_the_field():
    # given an individual entrepreneur with a KPP and an organisation's OGRN
    values, errors = r.entity_requisites(inn="500100732259", kpp="773601001", ogrn="1027700132195")
    # then
    assert values["inn"] == "500100732259"
    assert errors["kpp"].messages == ["У ИП (ИНН из 12 цифр) нет КПП"]
    assert errors["ogrn"].messages == ["Для ИП (ИНН из 12 цифр) укажите ОГРНИП из 15 цифр"]
    # and an organisation with an OGRNIP
    _values, errors = r.entity_requisites(inn=SBER["inn"], kpp=SBER["kpp"], ogrn="304500116000157")
    assert set(errors) == {"ogrn"}
    assert errors["ogrn"].messages == ["Для организации (ИНН из 10 цифр) укажите ОГРН из 13 цифр"]


def test_bank_requisites_skip_the_keys_when_the_bik_is_wrong():
    # given a malformed BIK: only the BIK is reported, the accounts are not blamed for it
    _values, errors = r.bank_requisites(bik="0445", corr_account=SBER["corr"], account="40702810938000000001")
    assert set(errors) == {"bik"}
    # given a good BIK and a wrong settlement key
    values, errors = r.bank_requisites(bik=SBER["bik"], corr_account=SBER["corr"], account="40702810938000000002")
    assert set(errors) == {"account"}
    assert values["corr_account"] == SBER["corr"]
