"""Django settings; everything operators change comes from KONTORA_* environment variables."""

from __future__ import annotations

import os
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from kontora import config

BASE_DIR = Path(__file__).resolve().parent
HOME = config.home()
try:
    FILES_STORAGE, FILES_DIR = config.files_storage(HOME)
except config.ConfigError:
    # The CLI reports the problem in one line before Django starts (cli.database.checked_home).
    FILES_DIR = HOME / "files"
    FILES_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": FILES_DIR}}
    KONTORA_CONFIG_ERROR = True
try:
    BACKUP_DIR = config.backup_dir(HOME)
except config.ConfigError:  # reported by the CLI in one line
    BACKUP_DIR = HOME / "backups"

SECRET_KEY = config.secret_key(HOME)
# An office's own certificate authority for its mail server (GRP-03), besides the system's.
MAIL_CA_FILE = os.environ.get("KONTORA_MAIL_CA_FILE", "")
# The address the server is reached at from outside (https://crm.example.ru): marketing letters carry unsubscribe
# links to it, and without it they are not sent (GRP-07).
PUBLIC_URL = os.environ.get("KONTORA_PUBLIC_URL", "").strip().rstrip("/")
DEBUG = config.env_bool("KONTORA_DEBUG")
ALLOWED_HOSTS = config.env_list("KONTORA_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
# Addresses of reverse proxies whose X-Forwarded-For / X-Forwarded-Proto headers are believed.
TRUSTED_PROXIES = config.env_list("KONTORA_TRUSTED_PROXIES", [])

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "huey.contrib.djhuey",
    "kontora.core",
    "kontora.accounts",
    "kontora.directories",
    "kontora.targeting",
    "kontora.clients",
    "kontora.messaging",
    "kontora.activity",
    "kontora.billing",
    "kontora.processes",
    "kontora.pipeline",
    "kontora.bulk",
    "kontora.imports",
    "kontora.reports",
]

MIDDLEWARE = [
    "kontora.core.middleware.ContentSecurityPolicyMiddleware",  # outermost: every answer, errors included
    "kontora.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "kontora.core.middleware.TrustedProxyMiddleware",
    "kontora.core.middleware.SecureCookiesMiddleware",  # outside sessions/CSRF: sees their cookies
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kontora.core.middleware.PrivateAnswersMiddleware",  # signed-in answers: Cache-Control no-store
    "kontora.core.permissions.DecisionsMiddleware",  # the request's memo of access decisions
    "kontora.accounts.middleware.AccountStateMiddleware",
    "kontora.accounts.middleware.UserLanguageMiddleware",
    "kontora.accounts.middleware.UserClockMiddleware",  # after the memo of decisions: the zone is one of them
    "kontora.core.middleware.NoNulMiddleware",  # after the language: its refusal is in the user's language
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "kontora.accounts.middleware.SetupRequiredMiddleware",
    "kontora.core.budget.BudgetMiddleware",  # innermost: the view's queries run within the time budget
]

ROOT_URLCONF = "kontora.urls"
WSGI_APPLICATION = "kontora.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kontora.core.context_processors.main_window",
            ],
        },
    },
]

try:
    DATABASES = {"default": config.database(HOME)}
except config.ConfigError:
    # The CLI reports the problem in one line before Django starts; here keep importing possible.
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
    KONTORA_CONFIG_ERROR = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["kontora.accounts.backends.LoginBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 60 * 60 * 12
# Administration → Active users shows a session without a request for longer than this as idle (a browser closed
# without signing out keeps its session until it expires).
SESSION_IDLE_MINUTES = int(os.environ.get("KONTORA_SESSION_IDLE_MINUTES", "15"))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "kontora.core.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("KONTORA_TIME_ZONE", "Europe/Moscow")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = HOME / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# The user guide (Help → Guide, F1): Russian Markdown pages and their pictures, shipped in the program's folder next
# to the package (the program runs from its checkout: `make run` installs it editable).
GUIDE_DIR = BASE_DIR.parent / "docs" / "guide"
# The shared layout's files (vendored Bootstrap/htmx, kontora.css, scripts) live outside any app.
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": FILES_STORAGE,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Client files (FIL-01): uploads over 2.5 MB stream to a temporary file, never held in memory whole.
FILE_UPLOAD_MAX_BYTES = int(os.environ.get("KONTORA_MAX_UPLOAD_MB", "100")) * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# A client list to import (imports): larger files are refused before they are read (100,000 rows are ~10 MB).
IMPORT_MAX_FILE_BYTES = int(os.environ.get("KONTORA_IMPORT_MAX_MB", "50")) * 1024 * 1024
# Rows an import writes per transaction: another user's save waits at most one batch (imports.services.writing).
IMPORT_BATCH_ROWS = int(os.environ.get("KONTORA_IMPORT_BATCH_ROWS", "500"))
# An import loaded or checked but left untouched this many days loses its kept upload (imports.tasks).
IMPORT_UPLOAD_KEEP_DAYS = int(os.environ.get("KONTORA_IMPORT_UPLOAD_KEEP_DAYS", "7"))
# Static files are served straight from the package: no collectstatic step on a fresh machine.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

REDIS_URL = os.environ.get("KONTORA_REDIS_URL", "").strip()
HUEY_IMMEDIATE = config.env_bool("KONTORA_HUEY_IMMEDIATE")
if REDIS_URL:
    HUEY = {"huey_class": "huey.RedisHuey", "name": "kontora", "url": REDIS_URL, "immediate": HUEY_IMMEDIATE}
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "kontora",
        "filename": str(HOME / "jobs.sqlite3"),
        "immediate": HUEY_IMMEDIATE,
    }

# A running job holds a lease that its worker renews every JOB_HEARTBEAT_SECONDS; a job whose lease ran out (its
# worker died) is queued again by any worker's reaper, at most JOB_MAX_ATTEMPTS runs in all, then marked failed.
JOB_LEASE_SECONDS = float(os.environ.get("KONTORA_JOB_LEASE_SECONDS", "60"))
JOB_HEARTBEAT_SECONDS = float(os.environ.get("KONTORA_JOB_HEARTBEAT_SECONDS", str(JOB_LEASE_SECONDS / 4)))
JOB_MAX_ATTEMPTS = int(os.environ.get("KONTORA_JOB_MAX_ATTEMPTS", "3"))

BACKUP_KEEP = int(os.environ.get("KONTORA_BACKUP_KEEP", "7"))
BACKUP_HOUR = int(os.environ.get("KONTORA_BACKUP_HOUR", "3"))

# One request must not stall everyone (kontora.core.budget): the time a request's queries may take in all, and how
# many heavy requests (the registry, the Flexi-filter, the search) one user may run at once.
REQUEST_BUDGET_MS = int(os.environ.get("KONTORA_REQUEST_BUDGET_MS", "5000"))
HEAVY_REQUESTS_PER_USER = int(os.environ.get("KONTORA_HEAVY_REQUESTS_PER_USER", "2"))
HEAVY_SLOT_STALE_SECONDS = 120  # a slot left by a process that died is taken over after this
HEAVY_WAIT_SECONDS = 3  # a view the page asks for many times at once (template counts) waits this long for a slot

LOGIN_FAILURE_LIMIT = 5
LOGIN_LOCKOUT_SECONDS = 15 * 60
# Failed sign-ins from one address, whatever the logins: this many within the window slow the address down — each
# further attempt waits DELAY seconds after the last failure, doubled with every failure more, up to DELAY_MAX.
SIGNIN_ADDRESS_FAILURE_LIMIT = 10
SIGNIN_ADDRESS_WINDOW_SECONDS = 60 * 60
SIGNIN_ADDRESS_DELAY_SECONDS = 5
SIGNIN_ADDRESS_DELAY_MAX_SECONDS = 5 * 60
# The client card's duplicate check answers about the whole base: at most this many checks per user per minute.
DUPLICATE_CHECKS_PER_MINUTE = 20

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "kontora.core.middleware.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]},
        "file": {
            "class": "logging.handlers.RotatingFileHandler",
            "filename": str(HOME / "kontora.log"),
            "maxBytes": 10 * 1024 * 1024,
            "backupCount": 5,
            "formatter": "plain",
            "filters": ["request_id"],
        },
    },
    "root": {"handlers": ["console", "file"], "level": "WARNING"},
    "loggers": {
        "kontora": {"level": "INFO"},
        "django.request": {"level": "ERROR"},
    },
}
