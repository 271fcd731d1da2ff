"""Russian requisites: INN, KPP, OGRN/OGRNIP, BIK, account keys against the BIK, SNILS, OKPO.

Every validator takes what a person typed, returns the normalised value (digits only; KPP upper-case)
and raises ValidationError whose message names the check that failed, in the user's language.
The PyPI validators are not used: they are incomplete or wrong (e.g. rejecting valid OGRNIPs
whose remainder is 10 or more, or checking correspondent accounts against the wrong BIK digits).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_SEPARATORS = re.compile(r"[\s\-‐‑–—]+")
_KPP = re.compile(r"^\d{4}[0-9A-Z]{2}\d{3}$")

INN_ORG_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)
INN_PERSON_WEIGHTS_11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
INN_PERSON_WEIGHTS_12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
ACCOUNT_WEIGHTS = (7, 1, 3)


def clean_digits(value: str | None) -> str:
    """Drops the spaces and dashes people put into long numbers ("044 525 225", "112-233-445 95")."""
    return _SEPARATORS.sub("", value or "")


def _is_digits(value: str, *lengths: int) -> bool:
    return len(value) in lengths and value.isascii() and value.isdigit()


def _weighted(value: str, weights: tuple[int, ...]) -> int:
    return sum(int(ch) * weights[i % len(weights)] for i, ch in enumerate(value))


# --- check digits (also used by tests and by anyone who needs to build a valid number) ---

def inn_check_digits(body: str) -> str:
    """The check digit(s) for the first 9 (organisation) or 10 (person) digits of an INN."""
    if len(body) == 9:
        return str(_weighted(body, INN_ORG_WEIGHTS) % 11 % 10)
    first = str(_weighted(body, INN_PERSON_WEIGHTS_11) % 11 % 10)
    second = str(_weighted(body + first, INN_PERSON_WEIGHTS_12) % 11 % 10)
    return first + second


def ogrn_check_digit(body: str) -> str:
    """OGRN: the first 12 digits mod 11; OGRNIP: the first 14 digits mod 13; then the last digit of it."""
    modulus = 11 if len(body) == 12 else 13
    return str(int(body) % modulus % 10)


def account_key_ok(prefix: str, account: str) -> bool:
    """The Bank of Russia key: weights 7,1,3 over the 3-digit prefix and the 20-digit account, sum ≡ 0 mod 10."""
    return _weighted(prefix + account, ACCOUNT_WEIGHTS) % 10 == 0


def snils_check_number(body: str) -> str:
    total = sum(int(ch) * (9 - i) for i, ch in enumerate(body))
    if total > 101:
        total %= 101
    if total in (100, 101):
        total = 0
    return f"{total:02d}"


SNILS_CHECKED_FROM = 1001999  # numbers up to 001-001-998 were issued before the check number existed


def okpo_check_digit(body: str) -> str:
    """Weights 1,2,3,…; remainder 10 → weights shifted by two; remainder 10 again → 0."""
    def weighted(shift: int) -> int:
        return sum(int(ch) * ((i + shift) % 10 + 1) for i, ch in enumerate(body)) % 11

    remainder = weighted(0)
    if remainder == 10:
        remainder = weighted(2)
    return str(remainder % 10)


# --- validators ---

def validate_inn(value: str | None) -> str:
    inn = clean_digits(value)
    if not _is_digits(inn, 10, 12):
        raise ValidationError(
            _("INN must consist of 10 digits (organisation) or 12 digits (individual entrepreneur, individual)"),
            code="inn_length",
        )
    body = inn[:9] if len(inn) == 10 else inn[:10]
    if inn[len(body):] != inn_check_digits(body):
        raise ValidationError(_("INN: wrong check number"), code="inn_checksum")
    return inn


def validate_kpp(value: str | None) -> str:
    kpp = clean_digits(value).upper()
    if not _KPP.match(kpp):
        raise ValidationError(
            _("KPP must consist of 9 characters: 4 digits, 2 digits or capital Latin letters, 3 digits"),
            code="kpp_format",
        )
    return kpp


def validate_ogrn(value: str | None) -> str:
    """OGRN of an organisation: 13 digits, starts with 1 or 5, check digit = first 12 mod 11 mod 10."""
    ogrn = clean_digits(value)
    if not _is_digits(ogrn, 13):
        raise ValidationError(_("OGRN must consist of 13 digits"), code="ogrn_length")
    if ogrn[0] not in "15":
        raise ValidationError(_("OGRN of an organisation starts with 1 or 5"), code="ogrn_sign")
    if ogrn[-1] != ogrn_check_digit(ogrn[:-1]):
        raise ValidationError(_("OGRN: wrong check number"), code="ogrn_checksum")
    return ogrn


def validate_ogrnip(value: str | None) -> str:
    """OGRNIP: 15 digits, starts with 3, check digit = first 14 mod 13 mod 10 (remainders 10–12 are valid)."""
    ogrnip = clean_digits(value)
    if not _is_digits(ogrnip, 15):
        raise ValidationError(_("OGRNIP must consist of 15 digits"), code="ogrnip_length")
    if ogrnip[0] != "3":
        raise ValidationError(_("OGRNIP starts with 3"), code="ogrnip_sign")
    if ogrnip[-1] != ogrn_check_digit(ogrnip[:-1]):
        raise ValidationError(_("OGRNIP: wrong check number"), code="ogrnip_checksum")
    return ogrnip


def validate_ogrn_or_ogrnip(value: str | None) -> str:
    number = clean_digits(value)
    if _is_digits(number, 13):
        return validate_ogrn(number)
    if _is_digits(number, 15):
        return validate_ogrnip(number)
    raise ValidationError(
        _("OGRN must consist of 13 digits (organisation), OGRNIP of 15 digits (individual entrepreneur)"),
        code="ogrn_length",
    )


def validate_bik(value: str | None) -> str:
    bik = clean_digits(value)
    if not _is_digits(bik, 9):
        raise ValidationError(_("BIK must consist of 9 digits"), code="bik_length")
    if not bik.startswith("04"):
        raise ValidationError(_("BIK: the BIK of a Russian bank starts with 04"), code="bik_country")
    return bik


def validate_corr_account(value: str | None, bik: str | None = None) -> str:
    """20 digits; with a valid BIK also the key against "0" + the BIK's 5th and 6th digits."""
    account = clean_digits(value)
    if not _is_digits(account, 20):
        raise ValidationError(_("Correspondent account must consist of 20 digits"), code="corr_length")
    if bik is not None and not account_key_ok("0" + bik[4:6], account):
        raise ValidationError(
            _("Correspondent account: the check key does not match the BIK"), code="corr_checksum"
        )
    return account


def validate_settlement_account(value: str | None, bik: str | None = None) -> str:
    """20 digits; with a valid BIK also the key against the BIK's last three digits."""
    account = clean_digits(value)
    if not _is_digits(account, 20):
        raise ValidationError(_("Settlement account must consist of 20 digits"), code="account_length")
    if bik is not None and not account_key_ok(bik[-3:], account):
        raise ValidationError(
            _("Settlement account: the check key does not match the BIK"), code="account_checksum"
        )
    return account


def validate_snils(value: str | None) -> str:
    snils = clean_digits(value)
    if not _is_digits(snils, 11):
        raise ValidationError(_("SNILS must consist of 11 digits"), code="snils_length")
    if int(snils[:9]) >= SNILS_CHECKED_FROM and snils[9:] != snils_check_number(snils[:9]):
        raise ValidationError(_("SNILS: wrong check number"), code="snils_checksum")
    return snils


def validate_okpo(value: str | None) -> str:
    okpo = clean_digits(value)
    if not _is_digits(okpo, 8, 10):
        raise ValidationError(
            _("OKPO must consist of 8 digits (organisation) or 10 digits (individual entrepreneur)"),
            code="okpo_length",
        )
    if okpo[-1] != okpo_check_digit(okpo[:-1]):
        raise ValidationError(_("OKPO: wrong check number"), code="okpo_checksum")
    return okpo


# --- whole blocks, as forms and services check them ---

Checked = tuple[dict[str, str], dict[str, ValidationError]]


def entity_requisites(*, inn: str, kpp: str = "", ogrn: str = "") -> Checked:
    """Normalised INN/KPP/OGRN of one legal entity and the errors per field, including cross-checks.

    An individual entrepreneur (12-digit INN) has no KPP and an OGRNIP; an organisation has an OGRN.
    Empty KPP and OGRN are allowed (not every entity has them entered).
    """
    values = {"inn": clean_digits(inn), "kpp": clean_digits(kpp).upper(), "ogrn": clean_digits(ogrn)}
    errors: dict[str, ValidationError] = {}
    try:
        values["inn"] = validate_inn(inn)
    except ValidationError as exc:
        errors["inn"] = exc
    if values["kpp"]:
        try:
            values["kpp"] = validate_kpp(kpp)
        except ValidationError as exc:
            errors["kpp"] = exc
    if values["ogrn"]:
        try:
            values["ogrn"] = validate_ogrn_or_ogrnip(ogrn)
        except ValidationError as exc:
            errors["ogrn"] = exc
    if "inn" not in errors:
        person = len(values["inn"]) == 12
        if person and values["kpp"] and "kpp" not in errors:
            errors["kpp"] = ValidationError(
                _("An individual entrepreneur (INN of 12 digits) has no KPP"), code="kpp_person"
            )
        if values["ogrn"] and "ogrn" not in errors:
            if person and len(values["ogrn"]) != 15:
                errors["ogrn"] = ValidationError(
                    _("For an individual entrepreneur (INN of 12 digits) enter the OGRNIP of 15 digits"),
                    code="ogrn_kind",
                )
            elif not person and len(values["ogrn"]) != 13:
                errors["ogrn"] = ValidationError(
                    _("For an organisation (INN of 10 digits) enter the OGRN of 13 digits"), code="ogrn_kind"
                )
    return values, errors


def bank_requisites(*, bik: str, corr_account: str = "", account: str) -> Checked:
    """Normalised BIK and accounts of one bank account, with both account keys checked against the BIK."""
    values = {"bik": clean_digits(bik), "corr_account": clean_digits(corr_account), "account": clean_digits(account)}
    errors: dict[str, ValidationError] = {}
    valid_bik: str | None = None
    try:
        valid_bik = values["bik"] = validate_bik(bik)
    except ValidationError as exc:
        errors["bik"] = exc
    if values["corr_account"]:
        try:
            values["corr_account"] = validate_corr_account(corr_account, valid_bik)
        except ValidationError as exc:
            errors["corr_account"] = exc
    try:
        values["account"] = validate_settlement_account(account, valid_bik)
    except ValidationError as exc:
        errors["account"] = exc
    return values, errors
