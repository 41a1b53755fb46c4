"""Settings. Everything that differs between machines comes from the environment (README)."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from haidong_policy import env

# Templates, static files and translations ship inside the package (a wheel carries them).
PACKAGE_DIR = Path(__file__).resolve().parent
# The working directory of a checkout: db.sqlite3, media/ and staticfiles/ by default.
BASE_DIR = PACKAGE_DIR.parent

DEBUG = env.get_bool("DEBUG", True)
_DEV_SECRET = "dev-only-insecure-secret-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY") or (_DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
ALLOWED_HOSTS = env.get_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])

try:
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60
        )
    }
except Exception as exc:  # dj_database_url raises several types for a bad URL
    raise ImproperlyConfigured(f"DATABASE_URL is not a usable database URL: {exc}") from exc
if DATABASES["default"]["ENGINE"] not in ("django.db.backends.sqlite3", "django.db.backends.postgresql"):
    raise ImproperlyConfigured("DATABASE_URL must be sqlite:// or postgres://")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "axes",
    "jobs",
    "accounts",
    "audit",
    "inbox",
    "applications",
    "eligibility",
    "determinations",
    "filing",
    "funds",
    "matching",
    "review",
    "notices",
    "operations",
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out usernames and addresses
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "my-applications"
LOGOUT_REDIRECT_URL = "calculator"

# Repeated failed logins (pages, admin and the API token) lock out the username and, separately,
# the client address for a while (django-axes).
AXES_FAILURE_LIMIT = env.get_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env.get_int("LOGIN_COOLOFF_MINUTES", 15, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
# The real client behind NUM_PROXIES trusted proxies, as the throttles and the audit log see it.
AXES_CLIENT_IP_CALLABLE = "kernel.clients.client_address"
AXES_USERNAME_CALLABLE = "accounts.identity.lockout_username"
# A success clears that username's failures only (accounts.receivers), never the address's count
# of other usernames' failures: password spraying from one address still ends in a lockout.
AXES_RESET_ON_SUCCESS = False
AXES_VERBOSE = False

MIDDLEWARE = [
    "haidong_policy.middleware.RequestLogMiddleware",
    "haidong_policy.middleware.SecurityHeadersMiddleware",
    "kernel.limits.BodyLimitMiddleware",  # before anything reads the body
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "haidong_policy.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "audit.middleware.ClientAddressMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "haidong_policy.urls"
WSGI_APPLICATION = "haidong_policy.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "eligibility.context_processors.policy",
                "inbox.context_processors.inbox",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "accounts.passwords.CharacterClassValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Chinese first (the pages default to zh-hans whatever the browser asks; see LanguageMiddleware).
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "media")
# Signing determinations (determinations.signing, README "Signing"): per authority a PKCS#12 from
# SIGNING_P12_<AUTHORITY> (+ SIGNING_P12_PASSWORD_<AUTHORITY>); without it, the test certificates of
# `make_test_certificates` in SIGNING_DIR. Verification trusts the CA certificates in
# SIGNING_TRUST_ROOTS (PEM files, comma-separated; default: the test CA).
SIGNING_DIR = Path(os.environ.get("SIGNING_DIR") or BASE_DIR / "var" / "signing")
TEST_SIGNING_PASSWORD = "test-only"  # noqa: S105 - the test certificates' password: they are not secrets
SIGNING_TRUST_ROOTS = [Path(p) for p in os.environ.get("SIGNING_TRUST_ROOTS", "").split(",") if p.strip()] or [
    SIGNING_DIR / "test-ca.pem"]
DETERMINATION_SIGNER = os.environ.get("DETERMINATION_SIGNER", "determinations.signing.Pkcs12Signer")
# Uploads are never served from MEDIA_URL (no URL pattern serves it); views check who may see them.
MEDIA_URL = "/media/"

STORAGES = {
    # Uploads and determinations: written whole or not at all (kernel.storage), on the file system
    # (MEDIA_ROOT) or, with MEDIA_STORAGE_URL=s3://bucket?endpoint=…, on S3-compatible object storage.
    "default": env.get_media_storage("MEDIA_STORAGE_URL"),
    # Compressed copies, no hashed names: works without collectstatic in development and tests.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG

# Security headers and cookies. Production (DEBUG off) is HTTPS only; behind a proxy that ends TLS,
# set SECURE_PROXY_SSL_HEADER_NAME (e.g. HTTP_X_FORWARDED_PROTO) so Django knows.
SECURE_SSL_REDIRECT = env.get_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env.get_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if os.environ.get("SECURE_PROXY_SSL_HEADER_NAME"):
    SECURE_PROXY_SSL_HEADER = (os.environ["SECURE_PROXY_SSL_HEADER_NAME"], "https")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
# No inline scripts or styles anywhere; images may be data: URIs (QR codes); the review page frames
# its own attachment views.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REST_FRAMEWORK = {
    # Token first: an unauthenticated request then gets 401 with WWW-Authenticate, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "kernel.problems.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "eligibility_anon": env.get_rate("THROTTLE_ELIGIBILITY_ANON", "120/min"),
        "eligibility_user": env.get_rate("THROTTLE_ELIGIBILITY_USER", "600/min"),
        "verify": env.get_rate("THROTTLE_VERIFY", "60/min"),
        "register": env.get_rate("THROTTLE_REGISTER", "5/hour"),
        "objection": env.get_rate("THROTTLE_OBJECTION", "10/hour"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Reverse proxies in front of the app whose X-Forwarded-For to trust. 0: the client is
    # REMOTE_ADDR, so a client cannot dodge throttling by sending its own X-Forwarded-For.
    "NUM_PROXIES": env.get_int("NUM_PROXIES", 0),
}

SPECTACULAR_SETTINGS = {
    "TITLE": "海东市绿色算力产业政策服务 API",
    "DESCRIPTION": (
        "Eligibility and subsidy service for 海东市促进绿色算力产业发展若干措施（试行）, 东政办〔2024〕59号. "
        "Errors are application/problem+json."
    ),
    "VERSION": "1",
    # Swagger UI from the installed sidecar package and its script served separately: no CDN and
    # no inline script, so the docs page keeps the site's CSP.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "OAS_VERSION": "3.1.0",
    "PREPROCESSING_HOOKS": [
        "drf_spectacular.hooks.preprocess_exclude_path_format",
        "haidong_policy.openapi.strip_trailing_slash",
    ],
    # One OpenAPI enum per set of values that several fields named `status` share.
    "ENUM_NAME_OVERRIDES": {
        "MeasureStatusEnum": "eligibility.schemas.MEASURE_STATUSES",
        "CheckStatusEnum": "eligibility.schemas.CHECKS",
        "NoticeStatusEnum": ["open", "closed", "withdrawn"],
        "ObjectionStatusEnum": ["open", "upheld", "dismissed"],
        "ObjectionOutcomeEnum": ["upheld", "dismissed"],
        "PaymentStatusEnum": ["unpaid", "partly_paid", "paid"],
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "haidong_policy.openapi.eligibility_example",
    ],
}

# Who issues determinations, and the prefix of each number series (DESIGN §9): per jurisdiction.
DETERMINATION_AUTHORITIES = {
    "park": ("海东工业园区管理委员会", "东园补决"),
    "630202": ("海东市乐都区人民政府", "乐补决"),
    "630203": ("海东市平安区人民政府", "平补决"),
    "630222": ("民和回族土族自治县人民政府", "民补决"),
    "630223": ("互助土族自治县人民政府", "互补决"),
    "630224": ("化隆回族自治县人民政府", "化补决"),
    "630225": ("循化撒拉族自治县人民政府", "循补决"),
    "city": ("海东市人民政府", "东补决"),
}
# Where a decision is reviewed (行政复议机关), named in the determination: the city government for the
# park committee and the county governments (行政复议法 第二十四条); the province for the city's own.
RECONSIDERATION_BODIES = {key: "海东市人民政府" for key in DETERMINATION_AUTHORITIES} | {"city": "青海省人民政府"}
# Review deadline in working days (Chinese public holidays counted, see applications/workdays.py).
REVIEW_DEADLINE_WORKING_DAYS = env.get_int("REVIEW_DEADLINE_WORKING_DAYS", 10, minimum=1)
# Working days an enterprise has to correct and resubmit a returned application (a warning to the
# reviewer when it comes back later; the application is not refused for it).
CORRECTION_DEADLINE_WORKING_DAYS = env.get_int("CORRECTION_DEADLINE_WORKING_DAYS", 10, minimum=1)
# Full working days a proposed grant is publicly noticed (公示) before it may be approved, from the
# working day after the proposal (DESIGN §11). 0: no notice; grants are approved directly.
PUBLIC_NOTICE_WORKING_DAYS = env.get_int("PUBLIC_NOTICE_WORKING_DAYS", 5, minimum=0)
# Where links in emails point.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Mail: SMTP when EMAIL_HOST is set; else files under var/mail/ while DEBUG is on (never the
# console, which is the request log). In production EMAIL_BACKEND must be chosen explicitly when
# there is no EMAIL_HOST: `check --deploy` fails otherwise (operations.checks).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND_EXPLICIT = bool(os.environ.get("EMAIL_BACKEND"))
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST
    else "django.core.mail.backends.filebased.EmailBackend" if DEBUG
    else "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = Path(os.environ.get("EMAIL_FILE_PATH") or BASE_DIR / "var" / "mail")
EMAIL_PORT = env.get_int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env.get_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@haidong-policy.example")
EMAIL_TIMEOUT = env.get_int("EMAIL_TIMEOUT", 10, minimum=1)  # seconds: a mail server away never holds a job long

# Background jobs (jobs.queue, DESIGN §13): Celery with Redis as broker. With neither CELERY_BROKER_URL
# nor REDIS_URL set (make run, the tests), tasks run in this process when the transaction commits.
CELERY_TASK_ALWAYS_EAGER = not (os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL"))
# (kombu's in-memory transport when none is configured: nothing is sent there, tasks run eagerly)
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL") or "memory://localhost/"
CELERY_TASK_ACKS_LATE = True  # a task is acknowledged once done: a worker killed mid-task leaves it queued
CELERY_TASK_REJECT_ON_WORKER_LOST = True  # and it is delivered again to another worker
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A task not acknowledged within the visibility timeout (its worker died) is delivered again; workers look
# for such tasks every few seconds (kombu's default sweep is 100 s).
CELERY_VISIBILITY_TIMEOUT = env.get_int("CELERY_VISIBILITY_TIMEOUT", 3600, minimum=10)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
                                   "unacked_restore_interval": min(10, CELERY_VISIBILITY_TIMEOUT // 2),
                                   "unacked_restore_throttle": 1, "socket_connect_timeout": 1}
# A request that queues a job never waits long for a broker that is down (jobs.queue.enqueue records
# the job as failed instead, for the operators; the periodic sweeps pick up unsent mail and screening).
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True  # nothing reads results: tasks write what they do to the database
CELERY_TIMEZONE = TIME_ZONE
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # the JSON log lines of LOGGING
# `make worker` runs beat too: screening every night, after a deployment, and the expiry warnings.
CELERY_BEAT_SCHEDULE = {
    "screen-all": {"task": "matching.tasks.screen_all", "schedule": crontab(hour=2, minute=0)},
    "screen-new-rules": {"task": "matching.tasks.screen_new_rules", "schedule": 600.0},
    "expiry-warnings": {"task": "matching.tasks.expiry_warnings", "schedule": crontab(hour=9, minute=0)},
    "mail-unsent": {"task": "inbox.tasks.mail_unsent", "schedule": 600.0},
}

# Uploads: attachments up to 20 MB are checked by content in filing.services. Request bodies are
# capped before anything reads them (kernel.limits): 21 MB where a file is uploaded, 1 MB elsewhere.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
UPLOAD_BODY_MAX_BYTES = 21 * 1024 * 1024
BODY_MAX_BYTES = 1024 * 1024

# Sessions end after SESSION_IDLE_MINUTES without a request and SESSION_MAX_HOURS after signing in
# (accounts.middleware); API tokens API_TOKEN_TTL_HOURS after they were issued (accounts.tokens).
SESSION_IDLE_MINUTES = env.get_int("SESSION_IDLE_MINUTES", 30, minimum=1)
SESSION_MAX_HOURS = env.get_int("SESSION_MAX_HOURS", 12, minimum=1)
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600
API_TOKEN_TTL_HOURS = env.get_int("API_TOKEN_TTL_HOURS", 12, minimum=1)

# Throttle counters live in the cache. One process: memory is enough. Several (gunicorn workers,
# several hosts): set REDIS_URL so the limits hold across them.
# Redis is an accelerator, never a point of failure: short timeouts, and while it is unreachable the
# counters fall back to per-process memory (kernel.cache); /readyz reports it as degraded.
if os.environ.get("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "kernel.cache.ResilientRedisCache", "LOCATION": os.environ["REDIS_URL"],
                          "KEY_PREFIX": "haidong",
                          "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}}}
else:
    CACHES = {"default": {"BACKEND": "kernel.cache.LocalCache", "LOCATION": "haidong"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "haidong_policy.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},  # 4xx are logged once, by RequestLogMiddleware
        "fontTools": {"level": "WARNING"},
    },
}
