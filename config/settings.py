"""Settings for the credit-information portal, read from the environment.

Environment variables: DATABASE_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS,
ID_HASH_KEY. Without DATABASE_URL the project runs its own embedded
PostgreSQL (see config/embedded_db.py). With DEBUG off, the project refuses
to start on a missing or development secret.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.embedded_db import data_dir_from_env, embedded_database_settings
from config.inline_styles import allowed_inline_style_hashes

BASE_DIR = Path(__file__).resolve().parent.parent

DEV_SECRET_KEY = "dev-only-secret-key-not-for-production"  # noqa: S105
DEV_ID_HASH_KEY = "dev-only-id-hash-key-not-for-production"


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY if DEBUG else "")
ID_HASH_KEY = os.environ.get("ID_HASH_KEY", DEV_ID_HASH_KEY if DEBUG else "")

if not DEBUG:
    for name, value, dev_value in (
        ("SECRET_KEY", SECRET_KEY, DEV_SECRET_KEY),
        ("ID_HASH_KEY", ID_HASH_KEY, DEV_ID_HASH_KEY),
    ):
        if not value or value == dev_value or len(value) < 32:
            raise ImproperlyConfigured(
                f"{name} must be set to a random secret of at least 32 characters when DEBUG is off."
            )

ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "").split(",")
    if host.strip()
]

INSTALLED_APPS = [
    "config.apps.ClerkAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "search",
    "registry",
    "accounts",
    "imports",
    "filings",
    "blacklists",
    "casework",
    "government",
    "scoring",
    "inspections",
    "opendata",
    "portal",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # API answers: rate-limit headers outermost, so the 304s of the ETag check carry them too.
    "opendata.middleware.RateLimitHeadersMiddleware",
    "opendata.middleware.ApiConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so the 400 page it returns is translated and carries the CSRF cookie of its language form.
    "portal.middleware.QueryStringGuardMiddleware",
    "core.api.contract.ApiContractMiddleware",
    # A database outage met by a view: a 503 page or JSON error (config/unavailable.py).
    "config.unavailable.DatabaseUnavailableMiddleware",
]

# Content-Security-Policy (django-csp; docs/security.md): scripts and styles from this site's own
# static files only. No inline script anywhere; the only inline styles allowed are the two named by
# hash in config/inline_styles.py. No plugins, no framing, forms post to this site only. The API's
# documentation pages and browsable API (third-party templates under /api/) may also use inline
# styles, never inline scripts (config/csp.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", *allowed_inline_style_hashes(BASE_DIR)],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

# Public pages refuse a query string longer than this (characters, as sent) with HTTP 400.
QUERY_STRING_MAX_LENGTH = 2048

ROOT_URLCONF = "config.urls"

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
                "django.template.context_processors.i18n",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"])}
else:
    DATABASES = {
        "default": embedded_database_settings(
            data_dir_from_env(BASE_DIR),
            throwaway=env_bool("EMBEDDED_PG_THROWAWAY", False),
        )
    }

# When the database restarts or fails over, requests fail fast and the next ones reconnect (see
# config/unavailable.py and docs/performance.md): each process keeps its connection for a minute,
# checks it before a request reuses it (a connection the server closed is dropped and reopened,
# no restart of the web server), and gives up connecting after DATABASE_CONNECT_TIMEOUT seconds
# instead of the minutes a silent host would take. DATABASE_STATEMENT_TIMEOUT (milliseconds, 0 for
# none) cancels a statement that runs longer: config/gunicorn.py sets 30 s for the web workers;
# management commands and the job worker (imports, rebuilds) run without a limit.
DATABASES["default"].update(CONN_MAX_AGE=60, CONN_HEALTH_CHECKS=True)
_database_options = DATABASES["default"].setdefault("OPTIONS", {})
_database_options.setdefault("connect_timeout", int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "3")))
_statement_timeout_ms = int(os.environ.get("DATABASE_STATEMENT_TIMEOUT", "0"))
if _statement_timeout_ms:
    _database_options["options"] = (
        f"{_database_options.get('options', '')} -c statement_timeout={_statement_timeout_ms}".strip()
    )

# A streaming replica for the public pages and the public API (config/db_routing.py,
# docs/scaling.md). Writes, the admin, account pages and a client that has just written read the
# primary, so nobody sees their own change missing.
REPLICA_PRIMARY_PATHS = ["/admin/", "/account/", "/i18n/"]
REPLICA_PIN_SECONDS = int(os.environ.get("REPLICA_PIN_SECONDS", "30"))
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=60, conn_health_checks=True
    )
    DATABASES["replica"].setdefault("OPTIONS", {}).update(
        connect_timeout=_database_options["connect_timeout"]
    )
    DATABASE_ROUTERS = ["config.db_routing.PrimaryReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
        "config.db_routing.ReplicaReadsMiddleware",
    )

# The search's statements of fixed text (an identifier lookup, a page of court cases) are prepared
# on the server once per database connection instead of parsed and planned on every request
# (search.query.statement_cursor); all other statements keep Django's client-side
# binding. Set to 0 behind a connection pooler in transaction mode that does not keep prepared
# statements (PgBouncer before 1.21, or without max_prepared_statements): a transaction may then
# run on a server connection where the statement was never prepared.
SEARCH_PREPARED_STATEMENTS = env_bool("SEARCH_PREPARED_STATEMENTS", True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Company accounts (portal): the e-mail address is the login; see docs/self-service/accounts.md.
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:account"
LOGOUT_REDIRECT_URL = "portal:home"
# The site's address as mailed in notices (jobs have no request to take it from).
SITE_BASE_URL = os.environ.get("SITE_BASE_URL", "http://127.0.0.1:8000")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# Dates and numbers per language: config/formats/<locale>/formats.py, then Django's own. Amounts and
# counts are grouped where shown (|money, |grouped); not globally, which would print years and
# primary keys as "2,024" in the admin and in hidden form fields.
FORMAT_MODULE_PATH = ["config.formats"]
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

REST_FRAMEWORK = {
    "DEFAULT_PAGINATION_CLASS": "registry.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # No HTTP Basic: a password sent to the API would bypass the sign-in lockout. Developers use
    # keys; agency and platform clients bearer tokens, declared by the views that accept them.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "opendata.api.auth.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["opendata.api.throttling.TieredRateThrottle"],
    "EXCEPTION_HANDLER": "opendata.api.errors.json_exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}

# API rate limits per tier, "<requests>/<window>" (docs/open-data-limits.md): anonymous callers per
# IP address, developer keys per key (Companies House's 600 per 5 minutes), agency clients per client.
API_RATE_LIMITS = {
    "anonymous": os.environ.get("API_ANON_RATE", "120/minute"),
    "key": os.environ.get("API_KEY_RATE", "600/300s"),
    "agency": os.environ.get("API_AGENCY_RATE", "6000/300s"),
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Public credit-information portal API",
    "DESCRIPTION": (
        "Enterprise registry, credit records, lists and restriction checks. Every public dataset is "
        "also published in bulk: [open data snapshots](/open-data/).\n\n"
        "**Keys and limits** (requests/window; docs/open-data-limits.md). Without a key: "
        f"{API_RATE_LIMITS['anonymous']} per IP address. With a developer key (create one at "
        "/account/api-keys/, send it as `X-Api-Key` or `Authorization: Bearer`): "
        f"{API_RATE_LIMITS['key']} per key. Agency clients: {API_RATE_LIMITS['agency']}. "
        "Every answer carries `RateLimit-Policy` and `RateLimit` (draft-ietf-httpapi-ratelimit-headers-11) "
        "and `X-Ratelimit-Limit`, `X-Ratelimit-Remaining`, `X-Ratelimit-Reset`; a 429 carries "
        "`Retry-After` and names the limit and its reset. An unknown or revoked key is a 401.\n\n"
        "**Pagination.** `/enterprises/`, `/list-entries/` and `/evaluations/` page by signed cursor: "
        "follow `next`/`previous`; `estimated_count` is an estimate, not a count. Detail answers carry "
        "an `ETag`; send it as `If-None-Match` for a 304."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Every error status each operation can return, with the one error body (core/api/schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.document_errors",
    ],
    # One name for each choice set that several fields share, so the schema (and the deployment
    # check, which generates it) has no name guessed from a collision.
    "ENUM_NAME_OVERRIDES": {
        "RegistrationStatusEnum": "registry.models.subjects.Enterprise.Status",
        "SeverityEnum": "blacklists.models.lists.Severity",
        "FeedOperationEnum": "opendata.models.feed.FeedEvent.Op",
    },
}

# The open-data change feed (docs/open-data-feed.md): days an event stays replayable (at least 90),
# and how long one Server-Sent Events connection stays open before the client reconnects.
OPEN_DATA_FEED_RETENTION_DAYS = max(90, int(os.environ.get("OPEN_DATA_FEED_RETENTION_DAYS", "90")))
OPEN_DATA_FEED_STREAM_SECONDS = int(os.environ.get("OPEN_DATA_FEED_STREAM_SECONDS", "300"))

# Uploaded evidence (objections, credit repair, annual reports): outside the static root and never
# served by URL; the portal streams a document only to those allowed to see it.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media"))
MAX_UPLOAD_BYTES = int(os.environ.get("MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))

# Open-data bulk snapshots (opendata.snapshots): written by `manage.py export_open_data` and served
# as files under /open-data/files/ (portal.views.open_data, in DEBUG and production alike, with
# their SHA-256 as ETag); the newest OPEN_DATA_KEEP_SNAPSHOTS are kept. Public by definition.
OPEN_DATA_ROOT = Path(os.environ.get("OPEN_DATA_ROOT") or BASE_DIR / "public-data" / "open-data")
OPEN_DATA_KEEP_SNAPSHOTS = int(os.environ.get("OPEN_DATA_KEEP_SNAPSHOTS", "3"))

# Public holidays and make-up working days live in the database (registry.models.calendar), kept
# by the central credit office in admin; see docs/working-days.md.

# Credit repair (casework.services.repair): working days the deciding agency has to decide.
REPAIR_DECISION_WORKING_DAYS = int(os.environ.get("REPAIR_DECISION_WORKING_DAYS", "15"))

# Objections (casework.services.objections): working days the owning agency has to decide.
OBJECTION_DECISION_WORKING_DAYS = int(os.environ.get("OBJECTION_DECISION_WORKING_DAYS", "10"))

# Removal from the abnormal-operations list (casework.services.removal): working days the listing
# agency has to decide (企业经营异常名录管理暂行办法, art. 11: five working days).
ABNORMAL_REMOVAL_DECISION_WORKING_DAYS = int(os.environ.get("ABNORMAL_REMOVAL_DECISION_WORKING_DAYS", "5"))

# Public pages: searches, profiles and report downloads per client and minute (portal.ratelimit).
PUBLIC_SEARCH_PER_MINUTE = int(os.environ.get("PUBLIC_SEARCH_PER_MINUTE", "60"))

# Mail: an SMTP relay in production; in development mail is printed to the console. Every mail
# passes through the outbox (registry.services.mail), so a failed send is retried.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@credit-portal.invalid")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# The cache holds the public rate limits and the sign-in and claiming lockouts. Process memory is
# right for one process (development, tests); under gunicorn every worker would count on its own,
# so production sets CACHE_BACKEND=database: one table in PostgreSQL shared by all workers, created
# by `manage.py createcachetable` (the deployment check portal.W001 warns otherwise).
CACHE_BACKEND = os.environ.get("CACHE_BACKEND", "memory").strip().lower()
if CACHE_BACKEND == "memory":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif CACHE_BACKEND == "database":
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "portal_cache"}
    }
else:
    raise ImproperlyConfigured(f"CACHE_BACKEND must be 'memory' or 'database', not {CACHE_BACKEND!r}.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Transport security (docs/security.md). With DEBUG off the site is reached over HTTPS only: plain
# HTTP is redirected, browsers are told to use HTTPS for a year (HSTS, subdomains included) and the
# session and CSRF cookies never travel in clear. HTTPS_ONLY=0 (or its older name SECURE_COOKIES=0)
# only where the site is reached over plain HTTP on the loopback interface, as in a test.
HTTPS_ONLY = env_bool("HTTPS_ONLY", env_bool("SECURE_COOKIES", True))
if not DEBUG:
    SESSION_COOKIE_SECURE = HTTPS_ONLY
    CSRF_COOKIE_SECURE = HTTPS_ONLY
    SECURE_SSL_REDIRECT = HTTPS_ONLY
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000")) if HTTPS_ONLY else 0
    SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS_ONLY
    SECURE_HSTS_PRELOAD = HTTPS_ONLY
    SECURE_CONTENT_TYPE_NOSNIFF = True
    # The HTTPS proxy in front of gunicorn ends TLS, so Django sees plain HTTP; the proxy says the
    # client's scheme in this header, which it must always set itself (overwriting whatever the
    # client sent), and gunicorn listens on the loopback interface only, so no one else can set it.
    # Empty where there is no proxy.
    PROXY_SSL_HEADER = os.environ.get("PROXY_SSL_HEADER", "X-Forwarded-Proto").strip()
    if PROXY_SSL_HEADER:
        SECURE_PROXY_SSL_HEADER = ("HTTP_" + PROXY_SSL_HEADER.upper().replace("-", "_"), "https")
