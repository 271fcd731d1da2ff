"""The first-run wizard's data, as an administrator types it (shared by the tests that set up a base)."""

from __future__ import annotations

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
