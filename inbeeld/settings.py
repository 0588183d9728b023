"""Django settings for InBeeld.

Two modes, chosen with ``INBEELD_MODE``:

* ``embedded`` (default): one machine, SQLite in the git-ignored data folder, a secret key
  generated once and kept there. Meant for a first look, demos and small regions.
* ``production``: PostgreSQL through ``DATABASE_URL``, ``SECRET_KEY`` and ``ALLOWED_HOSTS``
  required, HTTPS-only cookies and HSTS. ``inbeeld check --deploy`` reports nothing.

Every variable is documented in ``docs/configuration.md`` and ``.env.example``.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
import django_stubs_ext
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from inbeeld.lib.env import (
    embedded_key_list,
    embedded_secret_key,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
    private_file,
)

# Lets type annotations such as ModelForm[Region] work at run time (django-stubs).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent

MODE = env_str("INBEELD_MODE", "embedded")
if MODE not in {"embedded", "production"}:
    raise ImproperlyConfigured(f"INBEELD_MODE must be 'embedded' or 'production', not {MODE!r}")
PRODUCTION = MODE == "production"

DATA_DIR = Path(env_str("INBEELD_DATA_DIR", str(PROJECT_DIR / "data"))).resolve()

DEBUG = env_bool("DEBUG", default=False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production mode")

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY is required in production mode")
    SECRET_KEY = embedded_secret_key(DATA_DIR)

# The audit trail's HMAC key. Kept apart from SECRET_KEY so that rotating the one does not
# break verification of the other; never change it without re-anchoring the trail.
AUDIT_KEY = env_str("AUDIT_KEY")
if not AUDIT_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("AUDIT_KEY is required in production mode")
    AUDIT_KEY = embedded_secret_key(DATA_DIR, "audit_key")

# Checkpoints of the audit trail (audit/checkpoint.py): the chain's head, signed with AUDIT_KEY
# and appended outside the database, so that removing the newest entries shows. In production
# point this at storage the application cannot rewrite (docs/configuration.md).
AUDIT_CHECKPOINT_FILE = Path(
    env_str("AUDIT_CHECKPOINT_FILE") or str(DATA_DIR / "audit-checkpoints.jsonl")
)
AUDIT_CHECKPOINT_MINUTES = env_int("AUDIT_CHECKPOINT_MINUTES", 10)
if not 1 <= AUDIT_CHECKPOINT_MINUTES <= 1440:
    raise ImproperlyConfigured(
        f"AUDIT_CHECKPOINT_MINUTES must be between 1 and 1440, not {AUDIT_CHECKPOINT_MINUTES}"
    )

# Keys that encrypt identifying fields at rest (Fernet keys, newest first; older keys only
# decrypt until `inbeeld keys rotate` has re-encrypted everything), and the key of the
# keyed hashes that let InBeeld search encrypted values (blind index).
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS", [])
if not FIELD_ENCRYPTION_KEYS:
    if PRODUCTION:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is required in production mode")
    FIELD_ENCRYPTION_KEYS = embedded_key_list(DATA_DIR, "field_keys")
BLIND_INDEX_KEY = env_str("BLIND_INDEX_KEY")
if not BLIND_INDEX_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("BLIND_INDEX_KEY is required in production mode")
    BLIND_INDEX_KEY = embedded_secret_key(DATA_DIR, "blind_index_key")

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required in production mode")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# The bearer token Prometheus sends to /metrics (docs/operations.md, "Metrics"); unset:
# /metrics does not exist (404).
METRICS_TOKEN = env_str("METRICS_TOKEN")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_htmx",
    "django_q",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # ISO 3166-1 country codes; listed as an app for its Dutch country names.
    "django_countries",
    # django-rules: loads every app's rules.py, the permissions views and the API ask.
    "rules.apps.AutodiscoverRulesConfig",
    # Base floor: imports no other InBeeld app; signals/throttle.py counts on it.
    "inbeeld.ratelimits",
    "inbeeld.regions",
    "inbeeld.accounts",
    "inbeeld.web",
    "inbeeld.insight",
    "inbeeld.audit",
    "inbeeld.privacy",
    "inbeeld.signals",
    "inbeeld.cases",
    "inbeeld.tasks",
    "inbeeld.referrals",
    # Builds on cases (cases/sections.py) and tasks; neither imports it.
    "inbeeld.careplans",
    "inbeeld.casetable",
    # The residence track on a case; builds on cases and tasks like the care plan.
    "inbeeld.residence",
    # The CoMensha registration of a case; builds on cases like the residence track.
    "inbeeld.registration",
    # Organisation API tokens and outbound webhooks: builds on accounts; the apps whose
    # events go out (referrals, signals' tips, the case table) write its outbox.
    "inbeeld.integrations",
    # Shelter places: builds on accounts and regions only.
    "inbeeld.shelter",
    # Placement requests and placements: builds on cases and shelter (neither imports it).
    "inbeeld.placements",
    # The network's activities, registrations, reach and public agenda: builds on accounts.
    "inbeeld.network",
    # Partners' lists of signals and registrations: builds on signals and registration.
    "inbeeld.imports",
]

MIDDLEWARE = [
    "inbeeld.lib.logs.RequestIdMiddleware",  # outermost: its access line covers every answer
    "inbeeld.lib.metrics.MetricsMiddleware",  # Prometheus: counts and times every answer
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "inbeeld.web.middleware.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "inbeeld.accounts.middleware.SecondFactorRequiredMiddleware",
    "inbeeld.accounts.middleware.SessionLifetimeMiddleware",
    "inbeeld.audit.middleware.AuditDeniedMiddleware",
    "inbeeld.accounts.middleware.TokenExpiryHeaderMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "inbeeld.urls"
WSGI_APPLICATION = "inbeeld.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "inbeeld.web.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
_default_database_url = f"sqlite:///{DATA_DIR / 'inbeeld.sqlite3'}"
DATABASE_URL = env_str("DATABASE_URL", "" if PRODUCTION else _default_database_url)
if not DATABASE_URL:
    raise ImproperlyConfigured("DATABASE_URL is required in production mode")
try:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
except (ValueError, KeyError) as error:  # dj-database-url: unknown scheme, or no scheme at all
    raise ImproperlyConfigured(
        "DATABASE_URL must look like postgres://user@host:5432/name or sqlite:///path, "
        f"not {DATABASE_URL!r}"
    ) from error
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] not in {"", ":memory:"}:
        private_file(Path(DATABASES["default"]["NAME"]))
    # WAL lets readers and one writer work at once; IMMEDIATE avoids lock upgrades mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
# Each server process has its own local-memory cache, empty after a restart. That is only
# right for what may differ per process: the meldpunt's drawn empty form (a template
# fragment, signals/public_form.html) and DRF's API rate per user (600/minute counted in
# each worker: a brake on a runaway partner system, not a security limit). Limits that must
# hold across processes, the meldpunt's and the receipt lookups', are counted in the
# database (inbeeld/ratelimits), never here.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "inbeeld-per-process",
    }
}

# --- Authentication -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "rules.permissions.ObjectPermissionBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lock-out on password guessing (accounts/lockout.py; all state in the database, so it holds
# across gunicorn workers and restarts). django-axes locks the pair (user name, address):
# five wrong passwords from one address do not keep the real user out elsewhere. A per-user
# back-off across all addresses slows a botnet, and a device cookie from an earlier complete
# login exempts the real user's browser from that back-off. The beheerder can lift both.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 60) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "inbeeld.accounts.lockout.login_address"
AXES_HANDLER = "inbeeld.accounts.lockout.LockoutHandler"
AXES_LOCKOUT_CALLABLE = "inbeeld.accounts.lockout.lockout_response"
# A refused attempt (no password tried) neither extends a lock nor counts towards the back-off.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
LOGIN_BACKOFF_AFTER = env_int("LOGIN_BACKOFF_AFTER", 10)
LOGIN_BACKOFF_MAX_MINUTES = env_int("LOGIN_BACKOFF_MAX_MINUTES", 15)
for _name, _value in (
    ("AXES_FAILURE_LIMIT", AXES_FAILURE_LIMIT),
    ("AXES_COOLOFF_MINUTES", AXES_COOLOFF_TIME),
    ("LOGIN_BACKOFF_AFTER", LOGIN_BACKOFF_AFTER),
    ("LOGIN_BACKOFF_MAX_MINUTES", LOGIN_BACKOFF_MAX_MINUTES),
):
    if _value <= 0:
        raise ImproperlyConfigured(f"{_name} must be a whole number above 0")

OTP_TOTP_ISSUER = "InBeeld"
OTP_TOTP_THROTTLE_FACTOR = 1

# The public meldpunt: reports accepted per visitor address per hour (signals/throttle.py;
# counted in the database for all server processes together, keyed by a daily-salted hash
# of the address).
MELDPUNT_SUBMISSIONS_PER_HOUR = env_int("MELDPUNT_SUBMISSIONS_PER_HOUR", 10)
# Proxies in front of InBeeld that add X-Forwarded-For (production runs behind a TLS proxy):
# the meldpunt's limit counts the visitor's address, not the proxy's.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if PRODUCTION else 0)

# Attachments to signals (signals/attachments.py: at most 5 files of 5 MB). A whole intake
# form stays in memory, so that a victim's files are never written unencrypted to a
# temporary file on disk; only larger (refused) requests spill over.
FILE_UPLOAD_MAX_MEMORY_SIZE = 26 * 1024 * 1024

# Imports of partners' lists (imports/): the largest file and the most rows taken at once.
# Under FILE_UPLOAD_MAX_MEMORY_SIZE, so that an uploaded list stays in memory and is never
# written to a temporary file on disk.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_MB", 20) * 1024 * 1024
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 100_000)

# --- Sessions and cookies -------------------------------------------------------------------
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60  # idle time-out
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_HOURS", 10) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Strict"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy without inline scripts or styles (django-csp; Django 5.2 has none).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Amsterdam"
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(DATA_DIR / "static"))) if PRODUCTION else None
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
# Embedded mode serves static files straight from the apps, so no collectstatic step is needed.
WHITENOISE_USE_FINDERS = not PRODUCTION

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Organisation tokens (``ibo_…``) first: knox refuses any token it does not know.
        "inbeeld.integrations.authentication.OrganisationTokenAuthentication",
        "inbeeld.accounts.authentication.ExpiringTokenAuthentication",
        "inbeeld.accounts.authentication.VerifiedSessionAuthentication",
    ],
    # Authenticated, and the rule each view names per method (accounts/api.py).
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "inbeeld.accounts.permissions.RulePermission",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.NamespaceVersioning",
    "DEFAULT_VERSION": "v1",
    "ALLOWED_VERSIONS": ["v1"],
    "DEFAULT_PAGINATION_CLASS": "inbeeld.lib.api.Pagination",
    # JSON only: one body format to validate and document (a nested victim object has no
    # sensible form-encoded shape).
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_RATES": {"user": "600/minute"},
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    # A refused record (404) is audited for the API as the middleware does for pages.
    "EXCEPTION_HANDLER": "inbeeld.audit.api_denied.exception_handler",
}
# Every API token expires (`inbeeld token create USERNAME --days N` for another lifetime, at
# most 366 days); owners are warned before (accounts/tokens.py).
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 90)
if not 1 <= API_TOKEN_DAYS <= 366:
    raise ImproperlyConfigured("API_TOKEN_DAYS must be a whole number from 1 to 366")
# Named so that InBeeld's models can refer to knox's (swappable) token model.
KNOX_TOKEN_MODEL = "knox.AuthToken"  # noqa: S105 (a model name, not a secret)
REST_KNOX = {
    "AUTH_HEADER_PREFIX": "Token",
    "TOKEN_TTL": timedelta(days=API_TOKEN_DAYS),
    "AUTO_REFRESH": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "InBeeld API",
    "DESCRIPTION": (
        "Versioned REST API of InBeeld. Authenticate with `Authorization: Token <token>`.\n\n"
        f"Tokens expire (after {API_TOKEN_DAYS} days here); an expired token gets "
        "401. Every response to a token-authenticated request carries the header "
        "`Token-Expires` with the token's expiry as an RFC 3339 date-time in UTC "
        "(`2026-03-01T09:30:00Z`): ask your application administrator for a new token "
        "before then.\n\n"
        "Bodies are JSON. Text fields refuse the NUL character (U+0000)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Two fields are called "role": each keeps a name of its own (RoleEnum was the first).
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": "inbeeld.accounts.models.Role",
        "ContactRoleEnum": "inbeeld.accounts.models.ContactRole",
        "NationalityEnum": "inbeeld.cases.api.COUNTRY_CODES",
        # Named before cases existed; kept, so that clients' generated code stays as it was.
        "StatusEnum": "inbeeld.signals.models.Status",
        "CaseStatusEnum": "inbeeld.cases.models.CaseStatus",
        "EventKindEnum": "inbeeld.cases.models.EventKind",
        "TaskStatusEnum": "inbeeld.tasks.models.TaskStatus",
        "ReferralStatusEnum": "inbeeld.referrals.models.ReferralStatus",
        "ServiceTypeEnum": "inbeeld.referrals.models.ServiceType",
        "LegalBasisEnum": "inbeeld.privacy.legal_bases.LegalBasis",
        "ActivityKindEnum": "inbeeld.network.models.ActivityKind",
    },
    # Every operation documents its error answers too (401, 404, 429, and 400 with input).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "inbeeld.lib.api.document_errors",
    ],
}
API_DOCS_PUBLIC = not PRODUCTION

# --- Background work: django-q2 with the database as broker (SQLite and PostgreSQL alike) ----
# `inbeeld worker` runs the cluster; `inbeeld serve` starts one beside the web server in the
# embedded mode. Retention runs daily from a schedule made by a data migration.
Q_CLUSTER = {
    "name": "inbeeld",
    "orm": "default",
    "workers": 1,
    "timeout": 1800,
    "retry": 3600,
    "max_attempts": 3,
    "catch_up": False,
    "save_limit": 200,
    "poll": 5,
    "label": "Background tasks",
}

# --- CoMensha's API for registrations (registration/transport.py) ---------------------------
# Empty: off, registrations go to CoMensha as a downloaded file. Set to the https address
# CoMensha gives once it offers an API: sent registrations are then delivered from the
# outbox with retries (docs/configuration.md). The token is sent as a Bearer token.
COMENSHA_API_URL = env_str("COMENSHA_API_URL")
COMENSHA_API_TOKEN = env_str("COMENSHA_API_TOKEN")
COMENSHA_API_TIMEOUT = env_int("COMENSHA_API_TIMEOUT", 10)
# Organisation API tokens (integrations/): requests per minute per token; beyond it 429.
ORG_TOKEN_RATE_LIMIT = env_int("ORG_TOKEN_RATE_LIMIT", 120)
# Outbound webhooks: seconds to wait for a receiver's answer to one attempt.
WEBHOOK_TIMEOUT = env_int("WEBHOOK_TIMEOUT", 10)

# --- E-mail: warnings to owners of API tokens (accounts/tokens.py) ---------------------------
# Without EMAIL_HOST, mail is written to the console of the worker (`inbeeld serve` or
# `inbeeld worker`) instead of being sent: right for the embedded mode, to be set in
# production.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)  # implicit TLS, usually port 465
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=not EMAIL_USE_SSL)  # STARTTLS
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be true")
EMAIL_TIMEOUT = 30
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
# The address people open InBeeld at, for links in mails (the daily overdue-tasks mail).
SITE_URL = env_str("SITE_URL", "http://localhost:8000")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "InBeeld <inbeeld@localhost>")

# Figures for people who see no records (the bestuurder's home page, the dashboards, the
# council report and the figures API: insight/release.py): a count from 1 below this number
# is shown as "fewer than N" (insight/figures.py, insight/dashboard.py).
SMALL_CELL_THRESHOLD = env_int("SMALL_CELL_THRESHOLD", 5)

# --- Logging: to stderr, never personal data (inbeeld/lib/logs.py, docs/operations.md) ------
# JSON lines for log collectors in production, readable text on an embedded installation.
LOG_FORMAT = env_choice("LOG_FORMAT", "json" if PRODUCTION else "text", ("json", "text")).lower()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "inbeeld.lib.logs.RequestContextFilter"}},
    "formatters": {
        "json": {"()": "inbeeld.lib.logs.JsonLogFormatter"},
        "text": {"()": "inbeeld.lib.logs.TextLogFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_context"],
        },
        "null": {"class": "logging.NullHandler"},
    },
    "loggers": {
        # Django's defaults add a console handler in DEBUG (raw paths, its own format) and a
        # mail handler that sends the request repr: everything goes to the one handler above.
        "django": {"handlers": [], "level": "NOTSET", "propagate": True},
        # runserver's request lines carry the query string; the access line replaces them.
        "django.server": {"handlers": ["null"], "propagate": False},
    },
    "root": {
        "handlers": ["console"],
        "level": env_choice("LOG_LEVEL", "WARNING", ("DEBUG", "INFO", "WARNING", "ERROR")),
    },
}
