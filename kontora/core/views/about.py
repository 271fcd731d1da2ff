"""Help → About (SYS-04, SYS-08): versions for everyone; the technical settings, without secrets, for admins."""

from __future__ import annotations

import platform
import sqlite3
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import django
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

import kontora
from kontora.core import schema
from kontora.core.permissions import is_administrator
from kontora.core.services.storage import storage_describe, storage_folder


def mask_url_password(url: str) -> str:
    """The URL as an operator wrote it, with any password replaced by asterisks."""
    if not url:
        return ""
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        return "***"  # unparsable: it may hold a password anywhere, show none of it
    if not password:
        return url
    userinfo, _at, hostinfo = parts.netloc.rpartition("@")
    user = userinfo.split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{hostinfo}"))


def _database_server_version() -> str:
    if connection.vendor == "sqlite":
        return sqlite3.sqlite_version
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        row = cursor.fetchone()
    return str(row[0]) if row else ""


def _database_engine() -> str:
    return {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(connection.vendor, connection.vendor)


def _job_queue() -> tuple[str, str]:
    huey = settings.HUEY
    if "Redis" in str(huey.get("huey_class", "")):
        return "Redis", mask_url_password(str(huey.get("url", "")))
    return "SQLite", str(huey.get("filename", ""))


def _technical_rows(request: HttpRequest) -> list[tuple[str, str]]:
    db = connection.settings_dict
    queue_engine, queue_location = _job_queue()
    yes, no = _("yes"), _("no")
    return [
        (_("Server address"), f"{request.get_host()} ({'HTTPS' if request.is_secure() else 'HTTP'})"),
        (_("Database engine"), f"{_database_engine()} {_database_server_version()}"),
        (_("Database host"), str(db.get("HOST") or "—")),
        (_("Database port"), str(db.get("PORT") or "—")),
        (_("Database name"), str(db.get("NAME") or "")),
        (_("Python version"), platform.python_version()),
        (_("Django version"), django.get_version()),
        (_("Program folder (KONTORA_HOME)"), str(settings.HOME)),
        # The store every server shares: a folder, or "S3: bucket/prefix at endpoint" (never a key).
        (_("Files folder") if storage_folder() is not None else _("Files storage"), storage_describe()),
        (_("Backups folder"), str(settings.BACKUP_DIR)),
        (_("Nightly backup hour"), f"{settings.BACKUP_HOUR:02d}:00"),
        (_("Backups kept"), str(settings.BACKUP_KEEP)),
        (_("Job queue"), queue_engine),
        (_("Job queue location"), queue_location),
        (_("Debug mode (DEBUG)"), yes if settings.DEBUG else no),
        (_("Allowed host names (ALLOWED_HOSTS)"), ", ".join(settings.ALLOWED_HOSTS) or "—"),
        (_("Trusted proxies"), ", ".join(settings.TRUSTED_PROXIES) or "—"),
        (_("Time zone"), settings.TIME_ZONE),
        (_("Default interface language"), settings.LANGUAGE_CODE),
    ]


@login_required
@require_GET
def about(request: HttpRequest) -> HttpResponse:
    program_schema = schema.program_version()
    database_schema = schema.database_version()
    now = timezone.localtime()
    is_admin = is_administrator(request.user)
    context: dict[str, Any] = {
        "version": kontora.__version__,
        "program_schema": program_schema,
        "database_schema": database_schema,
        "schema_current": program_schema == database_schema,
        "server_time": now,
        "time_zone": timezone.get_current_timezone_name(),
        "show_technical": is_admin,
        "technical": _technical_rows(request) if is_admin else [],
    }
    return render(request, "core/about.html", context)
