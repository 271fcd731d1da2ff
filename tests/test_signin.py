from __future__ import annotations

import pytest
from django.test import Client

from kontora.accounts.models import UserSession
from tests.support.http import PASSWORD


@pytest.mark.feature("ACC-01")
def test_sign_in_with_right_password_opens_main_window(manager_user, admin_user):
    # given
    client = Client()
    # when
    response = client.post("/login/", {"login": "MANAGER", "password": PASSWORD})
    # then
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert UserSession.objects.filter(user=manager_user).count() == 1


@pytest.mark.feature("ACC-01")
def test_wrong_password_and_unknown_login_give_the_same_message(manager_user):
    client = Client(HTTP_ACCEPT_LANGUAGE="ru")
    wrong = client.post("/login/", {"login": "manager", "password": "nope-nope"})
    unknown = client.post("/login/", {"login": "nobody", "password": "nope-nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert "Неверный логин или пароль." in wrong.content.decode()
    assert "Неверный логин или пароль." in unknown.content.decode()


@pytest.mark.feature("ACC-01")
def test_cyrillic_login_is_case_insensitive(db):
    # given: SQLite's LOWER() would not fold these letters; the login key does
    from tests.accounts.factories import UserFactory

    UserFactory(login="Иванов", full_name="Иван Иванов")
    # when
    response = Client().post("/login/", {"login": "ИВАНОВ", "password": PASSWORD})
    # then
    assert response.status_code == 302


def test_product_hashes_passwords_with_argon2():
    from django.conf import settings as django_settings

    from kontora import settings as product_settings

    assert product_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert django_settings.PASSWORD_HASHERS[0].endswith("MD5PasswordHasher")  # only inside tests
