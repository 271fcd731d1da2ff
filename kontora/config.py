"""Configuration read from the environment, with one-line errors instead of tracebacks."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any


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


def secret_key(home_dir: Path) -> str:
    key = os.environ.get("KONTORA_SECRET_KEY")
    if key:
        return key
    path = home_dir / "secret_key"
    if not path.exists():
        # Written once with owner-only permissions; every process of this home shares it.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


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
            "ENGINE": "django.db.backends.sqlite3",
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
        cfg["OPTIONS"] = dict(SQLITE_OPTIONS)
        cfg["CONN_MAX_AGE"] = 0
    elif not cfg.get("NAME"):
        raise ConfigError("KONTORA_DATABASE_URL names no database: add /name at the end of the URL")
    return cfg
