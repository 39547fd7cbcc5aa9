"""Qorgau settings: everything that varies comes from the environment and is validated here.

Variables (all optional):

- ``DATABASE_URL``        PostgreSQL in production (``postgres://user@host:5432/qorgau``); SQLite otherwise.
- ``QORGAU_DEBUG``        ``true``/``false`` (default ``false``).
- ``QORGAU_SECRET_KEY``   required when not set a random key is generated once into ``var/secret_key``.
- ``QORGAU_ALLOWED_HOSTS`` comma-separated (default ``127.0.0.1,localhost``).
- ``QORGAU_SECURE_COOKIES`` ``true`` behind HTTPS (default: the opposite of ``QORGAU_DEBUG``... see below).
- ``QORGAU_EMAIL_URL``    ``console:`` (default) or ``smtp://host:port``.
- ``QORGAU_VAR_DIR``      where the SQLite database, secret key and uploaded files live (default ``var/``).
- ``QORGAU_SEEDS_DIR``    the official source documents (default ``seeds/`` in the repository).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent  # the qorgau/ source directory
REPO_DIR = BASE_DIR.parent


def envbool(name: str, default: bool) -> bool:
    """Read a boolean variable; anything but true/false is a configuration error."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"true", "1", "yes"}:
        return True
    if value in {"false", "0", "no"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


VAR_DIR = Path(os.environ.get("QORGAU_VAR_DIR", REPO_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

# The official source documents (a copy of the specification's seeds/, kept in the repository so that a
# fresh clone imports and tests them), read by the plan importer, load_seed002 and seed_demo.
QORGAU_SEEDS_DIR = Path(os.environ.get("QORGAU_SEEDS_DIR", REPO_DIR / "seeds"))

DEBUG = envbool("QORGAU_DEBUG", False)


def _secret_key() -> str:
    key = os.environ.get("QORGAU_SECRET_KEY")
    if key:
        if len(key) < 40:
            raise ImproperlyConfigured("QORGAU_SECRET_KEY must be at least 40 characters long")
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = envlist("QORGAU_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "core",
    "api",
    "screening",
    "cases",
    "plans",
    "indicators",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "qorgau.middleware.AuditContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "qorgau.urls"
WSGI_APPLICATION = "qorgau.wsgi.application"

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
                "core.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
_database_url = os.environ.get("DATABASE_URL", "").strip()
if _database_url:
    if not _database_url.startswith(("postgres://", "postgresql://")):
        raise ImproperlyConfigured("DATABASE_URL must be a PostgreSQL URL (postgres://...)")
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "qorgau.sqlite3"),
            "OPTIONS": {
                # WAL lets readers work while one writer writes; IMMEDIATE avoids upgrade deadlocks.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # Tests use a file too, not Django's shared-cache in-memory database: its per-table locks fail a
            # concurrent writer half-way through its transaction, which the production file (WAL, BEGIN
            # IMMEDIATE) never does; the concurrency tests must see the locking production has.
            "TEST": {"NAME": str(VAR_DIR / "test_qorgau.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Users and security ---------------------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lock an account+IP pair out for 15 minutes after 5 failed log-ins (django-axes).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

SECURE_COOKIES = envbool("QORGAU_SECURE_COOKIES", not DEBUG and bool(_database_url))
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if SECURE_COOKIES:
    SECURE_HSTS_SECONDS = 31536000
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp 4): no inline scripts, no third-party origins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Languages and time -----------------------------------------------------------------------------
LANGUAGE_CODE = "kk"
LANGUAGES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]
# locale: our own strings (makemessages writes here); locale_django: Kazakh for the Django and DRF
# messages their own catalogues leave untranslated.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_django"]
USE_I18N = True
TIME_ZONE = "Asia/Almaty"
USE_TZ = True

# --- Static and uploaded files -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = REPO_DIR / "staticfiles"
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # plotly.min.js straight from the installed plotly package (never a CDN: the CSP forbids it)
    "indicators.report.staticfiles.PlotlyBundleFinder",
]
MEDIA_ROOT = VAR_DIR / "files"  # served only through permission-checked views, never directly

# --- E-mail -------------------------------------------------------------------------------------------
_email_url = os.environ.get("QORGAU_EMAIL_URL", "console:")
if _email_url.startswith("console:"):
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
elif _email_url.startswith("smtp://"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    _host, _sep, _port = _email_url.removeprefix("smtp://").partition(":")
    EMAIL_HOST, EMAIL_PORT = _host, int(_port or 25)
else:
    raise ImproperlyConfigured("QORGAU_EMAIL_URL must be console: or smtp://host:port")
DEFAULT_FROM_EMAIL = os.environ.get("QORGAU_FROM_EMAIL", "qorgau@localhost")

# --- REST API ------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": os.environ.get("QORGAU_API_RATE", "6000/hour")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Qorgau API",
    "DESCRIPTION": "Child-protection information system. Every endpoint is scoped to the caller's "
    "organisations; out-of-scope objects answer 404.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Choice sets that share a field name across modules get explicit component names.
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "cases.models.cases.Case.Status",
        "CaseRiskLevelEnum": "cases.models.cases.RiskLevel",
        "ParticipantRiskLevelEnum": "screening.models.campaigns.Participant.RiskLevel",
        "ParticipantStatusEnum": "screening.models.campaigns.Participant.Status",
        "ReferralKindEnum": "cases.models.referrals.Referral.Kind",
        "ReferralStatusEnum": "cases.models.referrals.Referral.Status",
        "RiskAlertStatusEnum": "screening.models.responses.RiskAlert.Status",
        "CampaignStatusEnum": "screening.models.campaigns.Campaign.Status",
        "MeasureReportStateEnum": "plans.models.reports.MeasureReport.State",
        "ImportBatchStateEnum": "indicators.models.imports.ImportBatch.State",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("QORGAU_LOG_LEVEL", "WARNING")},
}
