from __future__ import annotations

import platform
import sqlite3

import django
import pytest
from django.db import connection

import kontora
from kontora.core import schema
from kontora.core.views.about import mask_url_password
from tests.support.http import signed_in

SECRET = "kontora-very-secret-key-4f9a2c"
DB_PASSWORD = "db-pass-7Hq2"
REDIS_PASSWORD = "redis-pass-9Lm3"


def _engine_version() -> str:
    if connection.vendor == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


@pytest.mark.feature("SYS-04", "SYS-08")
def test_about_shows_program_and_schema_versions_to_everyone(manager_client):
    # when
    response = manager_client.get("/help/about/")
    html = response.content.decode()
    # then
    assert response.status_code == 200
    assert f'<td data-testid="program-version">{kontora.__version__}</td>' in html
    assert f'<td data-testid="database-schema">{schema.database_version()}</td>' in html
    assert f'<td data-testid="program-schema">{schema.program_version()}</td>' in html
    assert schema.program_version() > 0
    assert "Версия базы данных, которую ожидает программа" in html
    assert "Europe/Moscow" in html
    assert "Версия базы данных отличается" not in html


@pytest.mark.feature("SYS-08")
def test_technical_information_is_only_for_administrators(manager_client, admin_client):
    # when
    html = manager_client.get("/help/about/").content.decode()
    admins = admin_client.get("/help/about/").content.decode()
    # then: the markers the manager's page lacks are on the administrator's, so their absence means something
    assert "Техническая информация" not in html
    assert 'data-testid="about-technical"' not in html
    assert "KONTORA_HOME" not in html
    assert "Техническая информация" in admins
    assert 'data-testid="about-technical"' in admins
    assert "KONTORA_HOME" in admins


@pytest.mark.feature("SYS-08")
def test_administrator_sees_engine_versions_and_active_settings(admin_client, settings):
    # when
    html = admin_client.get("/help/about/").content.decode()
    # then
    assert "Техническая информация" in html
    assert f'<code class="text-body">{_engine_version()}</code>' in html
    assert f'<code class="text-body">{platform.python_version()}</code>' in html
    assert f'<code class="text-body">{django.get_version()}</code>' in html
    assert f'<code class="text-body">{settings.HOME}</code>' in html
    assert f'<code class="text-body">{settings.FILES_DIR}</code>' in html
    assert f'<code class="text-body">{settings.BACKUP_HOUR:02d}:00</code>' in html
    assert "Очередь заданий" in html
    assert "Режим отладки (DEBUG)" in html and "Доверенные прокси-серверы" in html


@pytest.mark.feature("SYS-08")
def test_about_never_shows_secrets(admin_user, settings, monkeypatch):
    # given: a secret key, a database password and a Redis password in the configuration
    monkeypatch.setenv("KONTORA_SECRET_KEY", SECRET)
    settings.SECRET_KEY = SECRET
    settings.HUEY = {"huey_class": "huey.RedisHuey", "name": "kontora",
                     "url": f"redis://:{REDIS_PASSWORD}@redis.office.local:6379/0"}
    monkeypatch.setitem(connection.settings_dict, "PASSWORD", DB_PASSWORD)
    monkeypatch.setitem(connection.settings_dict, "HOST", "db.office.local")
    monkeypatch.setitem(connection.settings_dict, "PORT", "5432")
    client = signed_in(admin_user)
    # when
    html = client.get("/help/about/").content.decode()
    # then
    assert SECRET not in html
    assert DB_PASSWORD not in html
    assert REDIS_PASSWORD not in html
    assert '<code class="text-body">redis://:***@redis.office.local:6379/0</code>' in html
    assert '<code class="text-body">db.office.local</code>' in html
    assert '<code class="text-body">5432</code>' in html


def test_mask_url_password_hides_only_the_password():
    assert mask_url_password("redis://:s3cret@host:6379/0") == "redis://:***@host:6379/0"
    assert mask_url_password("redis://kontora:s3cret@host:6379/1") == "redis://kontora:***@host:6379/1"
    assert mask_url_password("redis://host:6379/0") == "redis://host:6379/0"
    assert mask_url_password("redis://u:p@ss@host:6379") == "redis://u:***@host:6379"
    assert mask_url_password("redis://:x@[::1:6379") == "***"
    assert mask_url_password("") == ""


def test_about_needs_sign_in(admin_user, client):
    response = client.get("/help/about/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/help/about/"


@pytest.mark.feature("SYS-08", "SYS-10")
def test_about_shows_the_s3_storage_of_files_without_its_keys(admin_client, s3_files):
    # when: attached files live in S3-compatible object storage
    html = admin_client.get("/help/about/").content.decode()
    # then: the bucket, prefix and endpoint are shown, the keys never
    assert "Хранилище файлов" in html
    assert (f'<code class="text-body">S3: {s3_files.bucket}/office at {s3_files.server.endpoint}</code>'
            in html)
    assert "kontora-test-secret" not in html and "kontora-test-key" not in html
