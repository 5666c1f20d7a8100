"""CivicBridge settings: every value that differs between machines comes from the environment."""

import contextlib
import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
HOME = Path(os.environ.get("CIVICBRIDGE_HOME", Path.cwd() / "var")).resolve()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("CIVICBRIDGE_DEBUG", False)
PRODUCTION = env_bool("CIVICBRIDGE_PRODUCTION", False)

_secret = os.environ.get("CIVICBRIDGE_SECRET_KEY")
if not _secret:
    if PRODUCTION:
        raise RuntimeError("CIVICBRIDGE_SECRET_KEY must be set in production")
    # A development key, generated once per CIVICBRIDGE_HOME and never committed.
    _key_file = HOME / "secret_key"
    try:
        HOME.mkdir(parents=True, exist_ok=True)
        if not _key_file.exists():
            import secrets

            _key_file.write_text(secrets.token_urlsafe(50))
        _secret = _key_file.read_text().strip()
    except OSError:
        _secret = "insecure-development-key-not-for-production"  # noqa: S105
SECRET_KEY = _secret

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("CIVICBRIDGE_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip()
    for o in os.environ.get("CIVICBRIDGE_CSRF_TRUSTED_ORIGINS", "").split(",")
    if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "ninja",
    "civicbridge.core",
    "civicbridge.directory",
    "civicbridge.accounts",
    "civicbridge.exchanges",
    "civicbridge.programmes",
    "civicbridge.forums",
    "civicbridge.pairings",
    "civicbridge.logistics",
    "civicbridge.approvals",
    "civicbridge.releases",
    "civicbridge.attendance",
    "civicbridge.reports",
    "civicbridge.statistics",
    "civicbridge.documents",
    "civicbridge.api",
    "civicbridge.pages",
    "civicbridge.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Errors under /api/ are JSON, also those Django answers itself (404, 405, 413, 500).
    "civicbridge.api.middleware.JsonErrorsMiddleware",
    "civicbridge.core.middleware.RefuseNulMiddleware",
    "civicbridge.accounts.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Cache-Control: private, no-store on API answers and signed-in pages (personal data).
    "civicbridge.core.middleware.NoStoreMiddleware",
    "civicbridge.accounts.middleware.AuditContextMiddleware",
    "civicbridge.core.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "civicbridge.urls"

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
                "civicbridge.core.context_processors.site",
            ],
            "builtins": ["civicbridge.core.templatetags.script"],
        },
    }
]

WSGI_APPLICATION = "civicbridge.wsgi.application"

# Database: SQLite file under CIVICBRIDGE_HOME by default, or whatever DATABASE_URL names.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": HOME / "civicbridge.sqlite3",
            # Keep each worker's connection: opening one (and its PRAGMAs) per request
            # costs more than most of our queries.
            "CONN_MAX_AGE": None,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("TEST", {})
    DATABASES["default"]["TEST"].update({"CHARSET": "UTF8", "TEMPLATE": "template0"})

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# accounts.RoleAssignment's unique constraint treats NULL scopes as equal; PostgreSQL 15
# enforces it, SQLite cannot (accounts.services.assign_role checks for duplicates itself).
SILENCED_SYSTEM_CHECKS = ["models.W047"]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Languages: Simplified, Traditional, English. Content is converted to the reader's script.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", "简体中文"),
    ("zh-hant", "繁體中文"),
    ("en", "English"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Shanghai"

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = HOME / "static"
# WhiteNoise warns (an error under pytest) when STATIC_ROOT does not exist yet.
with contextlib.suppress(OSError):
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Uploads are stored under MEDIA_ROOT with generated names and sent only by our views, which
# check the permission of their record (core/uploads.py). Nothing serves MEDIA_URL: no web
# server may serve MEDIA_ROOT by path.
MEDIA_URL = "/media/"
MEDIA_ROOT = HOME / "media"
# Upload limits: an image's pixels (a decompression bomb is refused before it is decoded),
# a channel attachment's bytes, a roster spreadsheet's bytes, rows, columns, cells and the
# uncompressed size of the .xlsx archive.
CIVICBRIDGE_MAX_IMAGE_PIXELS = int(os.environ.get("CIVICBRIDGE_MAX_IMAGE_PIXELS", "40000000"))
CIVICBRIDGE_ATTACHMENT_MAX_BYTES = int(
    os.environ.get("CIVICBRIDGE_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024))
)
CIVICBRIDGE_SPREADSHEET_MAX_BYTES = int(
    os.environ.get("CIVICBRIDGE_SPREADSHEET_MAX_BYTES", str(5 * 1024 * 1024))
)
CIVICBRIDGE_SPREADSHEET_MAX_ROWS = int(os.environ.get("CIVICBRIDGE_SPREADSHEET_MAX_ROWS", "5000"))
CIVICBRIDGE_SPREADSHEET_MAX_COLUMNS = int(
    os.environ.get("CIVICBRIDGE_SPREADSHEET_MAX_COLUMNS", "50")
)
CIVICBRIDGE_SPREADSHEET_MAX_CELLS = int(
    os.environ.get("CIVICBRIDGE_SPREADSHEET_MAX_CELLS", "100000")
)
CIVICBRIDGE_SPREADSHEET_MAX_UNCOMPRESSED = int(
    os.environ.get("CIVICBRIDGE_SPREADSHEET_MAX_UNCOMPRESSED", str(20 * 1024 * 1024))
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

EMAIL_BACKEND = os.environ.get(
    "CIVICBRIDGE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("CIVICBRIDGE_FROM_EMAIL", "civicbridge@localhost")

AUTHENTICATION_BACKENDS = [
    # Refuses sign-ins after repeated failures (accounts.throttling); authenticates nobody.
    "civicbridge.accounts.throttling.ThrottlingBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Where the reference data lives (Beijing divisions, Taipei li and li chiefs).
CIVICBRIDGE_DATA_DIR = Path(
    os.environ.get("CIVICBRIDGE_DATA_DIR", Path(__file__).resolve().parents[3] / "shared" / "data")
)
# A pairing with no contact for this many months is marked quiet.
CIVICBRIDGE_QUIET_MONTHS = int(os.environ.get("CIVICBRIDGE_QUIET_MONTHS", "12"))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(os.environ.get("CIVICBRIDGE_SESSION_HOURS", "12")) * 3600
CSRF_COOKIE_HTTPONLY = False
CSRF_COOKIE_SAMESITE = "Lax"
PASSWORD_RESET_TIMEOUT = 24 * 3600
# Failed sign-ins per user name and address before refusing for the window (minutes).
CIVICBRIDGE_LOGIN_FAILURE_LIMIT = 5
CIVICBRIDGE_LOGIN_FAILURE_MINUTES = 15
# Addresses or networks of our own reverse proxies (comma-separated, e.g. "127.0.0.1,10.0.0.0/8").
# Only a request from one of them has its X-Forwarded-For read; by default none is trusted.
CIVICBRIDGE_TRUSTED_PROXIES = [
    p.strip() for p in os.environ.get("CIVICBRIDGE_TRUSTED_PROXIES", "").split(",") if p.strip()
]
for _proxy in CIVICBRIDGE_TRUSTED_PROXIES:  # a typo fails at start, not at each sign-in
    ipaddress.ip_network(_proxy, strict=False)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    DEBUG = False
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("CIVICBRIDGE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Calendar subscription tokens never reach a log (documents.redaction).
    "filters": {"redact_tokens": {"()": "civicbridge.documents.redaction.RedactTokens"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_tokens"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("CIVICBRIDGE_LOG_LEVEL", "WARNING")},
}

NAV_LABELS = {"home": _("Home")}
