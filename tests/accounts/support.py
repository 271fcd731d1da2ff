"""Helpers of the accounts tests: the first-run wizard's data as an administrator types it (shared by the tests
that set up a base), and signing in from an address."""

from __future__ import annotations

from typing import Any

from django.test import Client

from tests.support.http import PASSWORD

ORGANISATION = {
    "full_name": "Общество с ограниченной ответственностью «Ромашка»",
    "short_name": "ООО «Ромашка»",
    "inn": "7707 083 893",
    "kpp": "773601001",
    "ogrn": "1027700132195",
    "legal_address": "117997, г. Москва, ул. Вавилова, д. 19",
    "actual_same": "on",
    "actual_address": "",
    "director": "Иванов Иван Иванович",
    "chief_accountant": "Петрова Мария Сергеевна",
    "bank_name": "ПАО Сбербанк",
    "bik": "044525225",
    "corr_account": "30101810400000000225",
    "account": "40702810938000000001",
}
FIRST_USER = {"login": "director", "full_name": "Иванов Иван Иванович", "password1": "Ромашка-2025!",
              "password2": "Ромашка-2025!"}


def fill_organisation(page: Any, inn: str) -> None:
    """Step 1 of the wizard in a real browser: the organisation of ORGANISATION with the given INN."""
    page.fill("#id_full_name", ORGANISATION["full_name"])
    page.fill("#id_short_name", ORGANISATION["short_name"])
    page.fill("#id_inn", inn)
    page.fill("#id_kpp", ORGANISATION["kpp"])
    page.fill("#id_ogrn", ORGANISATION["ogrn"])
    page.fill("#id_director", ORGANISATION["director"])
    page.fill("#id_chief_accountant", ORGANISATION["chief_accountant"])
    page.fill("#id_legal_address", ORGANISATION["legal_address"])
    page.check("#id_actual_same")
    page.fill("#id_bank_name", ORGANISATION["bank_name"])
    page.fill("#id_bik", ORGANISATION["bik"])
    page.fill("#id_corr_account", ORGANISATION["corr_account"])
    page.fill("#id_account", ORGANISATION["account"])


def sign_in_from(user: Any, ip: str, password: str = PASSWORD) -> Client:
    """A test client signed in as `user` from the address `ip` (Active users shows it)."""
    client = Client(REMOTE_ADDR=ip)
    response = client.post("/login/", {"login": user.login, "password": password})
    assert response.status_code == 302, response.content[:500]
    return client
