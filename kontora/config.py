"""Configuration read from the environment, with one-line errors instead of tracebacks."""

from __future__ import annotations

import base64
import os
import secrets
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit


class ConfigError(Exception):
    """A configuration problem the operator must fix; the message is one line."""


def home() -> Path:
    path = Path(os.environ.get("KONTORA_HOME", "var")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def _home_secret(home_dir: Path, variable: str, name: str, make: Callable[[], str]) -> str:
    """A key shared by every process of the installation: the environment's `variable` (one for all servers), else
    the file `name` of the home, made once by `make`."""
    key = os.environ.get(variable)
    if key:
        return key
    path = home_dir / name
    if not path.exists():
        # Written once with owner-only permissions; every process of this home shares it. Written whole under a
        # name of its own, then linked into place: a server and a worker starting together on a fresh home both
        # try, the first link wins, and neither fails nor reads a half-written key.
        fd, written = tempfile.mkstemp(dir=home_dir, prefix=f".{name}-")
        try:
            with os.fdopen(fd, "w") as fh:
                fh.write(make())
            os.link(written, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(written)
    return path.read_text().strip()


def secret_key(home_dir: Path) -> str:
    return _home_secret(home_dir, "KONTORA_SECRET_KEY", "secret_key", lambda: secrets.token_urlsafe(50))


def mail_key(home_dir: Path) -> str:
    """The key the mailboxes' and SMS accounts' passwords are sealed with (Fernet: 32 bytes, URL-safe base64)."""
    return _home_secret(home_dir, "KONTORA_MAIL_KEY", "mail_key",
                        lambda: base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())


# Django's engine with a fair wait for SQLite's one writer (core/sqlite).
SQLITE_ENGINE = "kontora.core.sqlite"
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
        "PRAGMA busy_timeout=20000; PRAGMA cache_size=-64000; PRAGMA temp_store=MEMORY;"
    ),
}


def database(home_dir: Path) -> dict[str, Any]:
    url = os.environ.get("KONTORA_DATABASE_URL", "").strip()
    if not url:
        return {
            "ENGINE": SQLITE_ENGINE,
            "NAME": str(home_dir / "kontora.sqlite3"),
            "OPTIONS": dict(SQLITE_OPTIONS),
            "TEST": {"NAME": str(home_dir / "test.sqlite3")},
        }
    import dj_database_url

    scheme = url.split(":", 1)[0].lower()
    if scheme not in {"postgres", "postgresql", "pgsql", "sqlite"}:
        raise ConfigError(
            f"KONTORA_DATABASE_URL: unsupported scheme '{scheme}'; "
            "use postgresql://user:password@host:5432/name or sqlite:////path/to/base.sqlite3"
        )
    try:
        cfg: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    except Exception as exc:
        raise ConfigError(f"KONTORA_DATABASE_URL is not a valid database URL: {exc}") from None
    if cfg["ENGINE"] == "django.db.backends.sqlite3":
        cfg["ENGINE"], cfg["OPTIONS"] = SQLITE_ENGINE, dict(SQLITE_OPTIONS)
        cfg["CONN_MAX_AGE"] = 0
    elif not cfg.get("NAME"):
        raise ConfigError("KONTORA_DATABASE_URL names no database: add /name at the end of the URL")
    return cfg


S3_BACKEND = "storages.backends.s3.S3Storage"
_S3_QUERY = {"endpoint_url": "endpoint_url", "region": "region_name", "addressing_style": "addressing_style"}


def files_storage(home_dir: Path) -> tuple[dict[str, Any], Path]:
    """Where attached files live (KONTORA_FILES_URL): Django's storage entry and the local folder behind it.

    Several servers share one store: a folder every machine mounts (`/srv/kontora-files` or
    `file:///srv/kontora-files`), or S3-compatible object storage (`s3://bucket/prefix?endpoint_url=https://…
    &region=…`, keys from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or `s3://key:secret@bucket/…`). Default: the
    folder `files` of KONTORA_HOME. With S3 the local folder is only a scratch place, never the files' home."""
    url = os.environ.get("KONTORA_FILES_URL", "").strip()
    local = home_dir / "files"
    if not url:
        return _folder_storage(local), local
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in {"", "file"}:
        path = Path(unquote(parts.path if scheme else url))
        if not path.is_absolute():
            raise ConfigError("KONTORA_FILES_URL: a folder must be an absolute path, e.g. /srv/kontora-files")
        return _folder_storage(path), path
    if scheme != "s3":
        raise ConfigError(
            f"KONTORA_FILES_URL: unsupported scheme '{scheme}'; use /path/to/folder or s3://bucket/prefix"
        )
    if not parts.hostname:
        raise ConfigError("KONTORA_FILES_URL names no bucket: use s3://bucket/prefix")
    options: dict[str, Any] = {
        "bucket_name": parts.hostname,
        "location": parts.path.strip("/"),
        "file_overwrite": False,  # two uploads of one name never replace each other
        "default_acl": None,
        "querystring_auth": True,
    }
    query = parse_qs(parts.query)
    unknown = sorted(set(query) - set(_S3_QUERY))
    if unknown:
        raise ConfigError(f"KONTORA_FILES_URL: unknown parameter '{unknown[0]}' (known: {', '.join(_S3_QUERY)})")
    for key, option in _S3_QUERY.items():
        if key in query:
            options[option] = query[key][-1]
    if parts.username:
        options["access_key"] = unquote(parts.username)
        options["secret_key"] = unquote(parts.password or "")
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}, local


def backup_dir(home_dir: Path) -> Path:
    """Where archives are kept (KONTORA_BACKUP_DIR): with several servers a folder they all mount, so an archive
    written by any worker lists and downloads on every server. Default: the folder `backups` of KONTORA_HOME."""
    value = os.environ.get("KONTORA_BACKUP_DIR", "").strip()
    if not value:
        return home_dir / "backups"
    path = Path(value)
    if not path.is_absolute():
        raise ConfigError("KONTORA_BACKUP_DIR must be an absolute path, e.g. /srv/kontora-backups")
    return path


def _folder_storage(path: Path) -> dict[str, Any]:
    return {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": path}}
