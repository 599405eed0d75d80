"""Settings for IPS Case Manager.

One module, driven by environment variables (each one is documented in README.md).
The embedded defaults need nothing installed: SQLite and Celery tasks run in process.
Production switches on PostgreSQL with DATABASE_URL and a real Celery broker with
CELERY_BROKER_URL. Nothing insecure is defaulted outside DEBUG.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Development only: DEBUG=1 is never set in production.
    SECRET_KEY = "dev-only-insecure-key-never-used-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Our reverse proxies (addresses or networks): only their X-Forwarded-For is believed (audit.services.client_ip).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "axes",
    "core",  # the bottom floor: submission keys (core.idempotency)
    "benchmarks",
    "programs",
    "accounts",
    "audit",
    "clients",
    "jobs",
    "caseload",
    "outcomes",
    "fidelity",
    "reports",
    "notifications",
    "api",
    "imports",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "accounts.middleware.QueryStringGuardMiddleware",  # 400 for NUL bytes in the query string
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ips_site.observability.RequestIdMiddleware",  # a request id (and user id) in every log line
    "accounts.middleware.SessionLifetimeMiddleware",
    "accounts.middleware.ExpiredSessionMiddleware",  # 401, not a login page, for htmx and the outbox
    "accounts.middleware.NoStoreMiddleware",  # no cached copies of what a signed-in user sees
    "audit.middleware.RequestContextMiddleware",  # path and address for audit events written by services
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out login into the lock-out page
]

ROOT_URLCONF = "ips_site.urls"

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
                "programs.context_processors.access",
            ],
        },
    },
]

WSGI_APPLICATION = "ips_site.wsgi.application"

# Database: SQLite by default; DATABASE_URL (postgres://...) for production and CI.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}

# SQLite is shared by several connections as soon as a real worker runs beside the web process (and in
# the tests: the live server's request threads, a real Celery worker). WAL: readers and the one writer no
# longer block each other (synchronous=NORMAL is WAL's usual pairing: no fsync per commit). IMMEDIATE: a
# transaction takes the write lock when it begins, so a second writer waits (the busy timeout) instead of
# failing at once with "database is locked" when its reads turn into a write. 30 s outlasts the longest
# write transaction (seed_demo) on a busy machine.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        }
    )

# Short reporting queries: PostgreSQL's JIT compilation cost more than it saved (measured with
# `manage.py benchmark_metrics`). DB_JIT=1 turns it back on.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env_bool("DB_JIT"):
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

AUTH_USER_MODEL = "programs.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Argon2 for new and re-hashed passwords; the others still verify existing hashes (upgraded at log-in).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login lock-out (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username, or from one
# address, that username or address is refused until the cool-off has passed or an administrator
# unlocks it (admin: Axes → Access attempts, or `manage.py axes_reset_username NAME`).
AUTHENTICATION_BACKENDS = [
    "accounts.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one locks
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The address the audit trail trusts (X-Forwarded-For only from TRUSTED_PROXIES): behind a proxy,
# REMOTE_ADDR alone would put every user on one address and let anyone lock everyone out.
AXES_CLIENT_IP_CALLABLE = "audit.services.client_ip"
AXES_VERBOSE = False

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or not env_bool("STATIC_MANIFEST", True)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Tests and `runserver` without collectstatic still find files through the finders.
WHITENOISE_USE_FINDERS = True
WHITENOISE_MANIFEST_STRICT = False

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Health information: sessions end with the browser, after SESSION_IDLE_MINUTES without a request (requests
# renew the expiry, at most once a minute) and SESSION_MAX_HOURS after log-in however active (accounts.middleware).
SESSION_COOKIE_AGE = 60 * int(os.environ.get("SESSION_IDLE_MINUTES", "15"))
SESSION_RENEW_SECONDS = 60
SESSION_MAX_AGE = 60 * 60 * int(os.environ.get("SESSION_MAX_HOURS", "12"))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): scripts and styles only from our own static files, nothing
# inline (handlers live in static/js, htmx's indicator styles in app.css); Bootstrap's icons are data: URIs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "worker-src": ["'self'"],  # the service worker (core/pwa.py)
        "manifest-src": ["'self'"],
    }
}
# No page uses the browser's sensors, payment or devices: deny them all (django-permissions-policy).
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "serial",
        "xr-spatial-tracking",
    )
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # load-balancer checks over plain HTTP
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# E-mail: console by default; EMAIL_HOST switches to SMTP.
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ips-case-manager@localhost")

# Celery: with no broker configured, tasks run in process (the embedded default).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# A broker that is down or slow must not hang a web request: fail fast, the caller
# keeps the request in the database and dispatches it later.
CELERY_BROKER_CONNECTION_TIMEOUT = float(os.environ.get("CELERY_BROKER_CONNECTION_TIMEOUT", "3"))
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Time limits of a report task (the worker kills it at the hard limit), all below Redis's visibility
# timeout (set here, not left at Redis's one hour): a killed worker's message is redelivered after it,
# and the reaper (reports.reap_stuck_reports) requeues or fails a report running past the limit.
REPORT_TASK_TIME_LIMIT = int(os.environ.get("REPORT_TASK_TIME_LIMIT", "600"))
CELERY_TASK_TIME_LIMIT = REPORT_TASK_TIME_LIMIT
CELERY_TASK_SOFT_TIME_LIMIT = REPORT_TASK_TIME_LIMIT - 60
# Retries on a database error (reports/quarterly/tasks.py): the first after about BACKOFF s, each wait
# doubling (jitter, at most 600 s): 6 and 5 s retry for 2.6–5.3 min; then the task gives up to the reaper.
REPORT_TASK_MAX_RETRIES = int(os.environ.get("REPORT_TASK_MAX_RETRIES", "6"))
REPORT_TASK_RETRY_BACKOFF = float(os.environ.get("REPORT_TASK_RETRY_BACKOFF", "5"))
# Program reports of a quarter close per task, their figures computed together (reports/quarterly/batches.py).
REPORT_CHUNK_SIZE = int(os.environ.get("REPORT_CHUNK_SIZE", "100"))
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_timeout": 3,
    "socket_connect_timeout": 3,
    "max_retries": 1,
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "1800")),
}
# Separate queues let several test runs share one Redis (the real-worker test sets its own).
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "celery")
# The worker logs through LOGGING below (request ids included), not Celery's own root handler.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Beat's schedule is static: a daily task checks whether the configured day after a quarter ended
# (BenchmarkSettings.report_day_after_quarter) has come and then closes it (idempotent);
# another sends the report requests that a broker outage left queued.
QUARTER_CLOSE_CHECK_HOUR = int(os.environ.get("QUARTER_CLOSE_CHECK_HOUR", "2"))
CELERY_BEAT_SCHEDULE = {
    "quarterly-reports-check-quarter-close": {
        "task": "reports.check_quarter_close",
        "schedule": crontab(hour=QUARTER_CLOSE_CHECK_HOUR, minute=15),
    },
    "quarterly-reports-dispatch-pending": {
        "task": "reports.dispatch_pending_reports",
        "schedule": crontab(minute="*/5"),
    },
    "quarterly-reports-reap-stuck": {
        "task": "reports.reap_stuck_reports",
        "schedule": crontab(minute="2-59/5"),
    },
}
# Notification digests (notifications.tasks): specialists daily, supervisors on Monday mornings.
CELERY_BEAT_SCHEDULE |= {
    "notifications-daily-digests": {
        "task": "notifications.send_daily_digests",
        "schedule": crontab(hour=int(os.environ.get("DIGEST_HOUR", "7")), minute=0),
    },
    "notifications-weekly-digests": {
        "task": "notifications.send_weekly_digests",
        "schedule": crontab(hour=int(os.environ.get("DIGEST_HOUR", "7")), minute=5, day_of_week="mon"),
    },
}
# Absolute links in e-mails sent by tasks (no request to build them from).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

REST_FRAMEWORK = {
    # Tokens first: a request carrying one is judged by it even if a browser session is open too.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.StableCursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": os.environ.get("API_RATE", "2000/hour")},
    "EXCEPTION_HANDLER": "api.exceptions.handle",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "IPS Case Manager API",
    "DESCRIPTION": "Clients, jobs, employer contacts, outcomes and quarterly reports, scoped like the pages.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # The documentation page loads Swagger UI from static/ (drf-spectacular-sidecar), never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# Logs never carry client data: only ids, paths without query strings and status codes.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # One line per record: time, level, logger, request id, user id (ips_site/observability.py), message.
    "filters": {"context": {"()": "ips_site.observability.ContextFilter"}},
    "formatters": {
        "line": {
            "format": "%(asctime)s level=%(levelname)s logger=%(name)s request_id=%(request_id)s "
            "user_id=%(user_id)s %(message)s"
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["context"], "formatter": "line"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Operations (issue #18): error reporting, admins, database connection names -------------------------
# Error reporting (ips_site/error_reporting.py): off unless SENTRY_DSN is set; no client data is sent.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    from ips_site import error_reporting

    error_reporting.init(
        SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        release=os.environ.get("SENTRY_RELEASE") or None,
    )
# Who gets the operators' e-mails (a stuck quarterly report): ADMINS="Ops <ops@example.org>, b@example.org".
from email.utils import getaddresses  # noqa: E402 (this block is appended as a whole)

ADMINS = [(name or address, address) for name, address in getaddresses([os.environ.get("ADMINS", "")]) if address]
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# PostgreSQL connections are named in pg_stat_activity: "ips-web" here; the Celery worker and beat rename
# theirs "ips-worker" when they start (ips_site/celery.py). DB_APPLICATION_NAME overrides both.
DB_APPLICATION_NAME = os.environ.get("DB_APPLICATION_NAME", "")
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["application_name"] = DB_APPLICATION_NAME or "ips-web"

# Database error details out of the logs (ips_site/logfilters.py): PostgreSQL's "DETAIL: Failing row
# contains (...)" and "Key (...)=(...)" would put a client's row in a 500's or a failed task's log line.
LOGGING["filters"]["redact_db_details"] = {"()": "ips_site.logfilters.RedactDatabaseDetails"}
LOGGING["handlers"]["console"]["filters"].append("redact_db_details")
for _logger in (
    "django.request",
    "django.db.backends",
    "django.server",
    "celery",
    "celery.app.trace",
    "celery.worker.request",
    "celery.worker.job",
    "celery.task",
):
    LOGGING["loggers"].setdefault(_logger, {}).setdefault("filters", []).append("redact_db_details")

# Two-factor authentication (django-otp, accounts/mfa.py): TOTP from an authenticator app plus ten
# recovery codes. Required for the roles in MFA_REQUIRED_ROLES (comma-separated; default supervisors,
# trainers and administrators), available to everyone. An explicit empty MFA_REQUIRED_ROLES= turns
# the requirement off (the local demo); `check --deploy` then warns, so production cannot pass with it.
# Before accounts: its admin module removes django-otp's device admins once they are registered.
INSTALLED_APPS[INSTALLED_APPS.index("accounts") : INSTALLED_APPS.index("accounts")] = [
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "django_otp.middleware.OTPMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("accounts.middleware.SessionLifetimeMiddleware") + 1, "accounts.middleware.TwoFactorMiddleware"
)
MFA_REQUIRED_ROLES = tuple(
    role.strip() for role in os.environ.get("MFA_REQUIRED_ROLES", "supervisor,trainer,admin").split(",") if role.strip()
)
OTP_TOTP_ISSUER = "IPS Case Manager"
OTP_TOTP_THROTTLE_FACTOR = 1  # waits of 1, 2, 4, 8 ... seconds after each wrong code
OTP_STATIC_THROTTLE_FACTOR = 1


# Data in transit. PostgreSQL: TLS options go in DATABASE_URL's query string, which dj-database-url passes
# to libpq (`?sslmode=verify-full&sslrootcert=/etc/ips/pg-ca.pem`). Redis: a `rediss://` broker or result
# backend URL turns on TLS with the server's certificate verified, against REDIS_CA_CERTS (a PEM file;
# the system's CA store when unset); REDIS_CLIENT_CERT and REDIS_CLIENT_KEY add a client certificate.
def _redis_tls() -> dict:
    import ssl

    options = {"ssl_cert_reqs": ssl.CERT_REQUIRED}
    for option, variable in (
        ("ssl_ca_certs", "REDIS_CA_CERTS"),
        ("ssl_certfile", "REDIS_CLIENT_CERT"),
        ("ssl_keyfile", "REDIS_CLIENT_KEY"),
    ):
        if os.environ.get(variable):
            options[option] = os.environ[variable]
    return options


if CELERY_BROKER_URL.startswith("rediss://"):
    CELERY_BROKER_USE_SSL = _redis_tls()
if (CELERY_RESULT_BACKEND or "").startswith("rediss://"):
    CELERY_REDIS_BACKEND_USE_SSL = _redis_tls()

# Submission (idempotency) keys older than core.idempotency.KEEP_DAYS are deleted nightly.
CELERY_BEAT_SCHEDULE["core-forget-submission-keys"] = {
    "task": "core.forget_submission_keys",
    "schedule": crontab(hour=3, minute=40),
}

# Paper of every PDF (core/pdf.py): "letter" (US programs, the default), "A4" or "legal".
PDF_PAPER_SIZE = os.environ.get("PDF_PAPER_SIZE", "letter")

# Rows per page of the caseload (the whole program's runs to hundreds of clients; a specialist's fits one page).
CASELOAD_PAGE_SIZE = 50
