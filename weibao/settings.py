"""Django settings for Weibao, configured by environment variables (see README)."""

import datetime as dt
import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("WEIBAO_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    """WEIBAO_SECRET_KEY, or a random key kept in var/ so sessions survive restarts."""
    if key := os.environ.get("WEIBAO_SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_bool("WEIBAO_DEBUG")
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("WEIBAO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("WEIBAO_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "weibao.core",
    "weibao.accounts",
    "weibao.tenancy",
    "weibao.calendars",
    "weibao.catalog",
    "weibao.contracts",
    "weibao.sites",
    "weibao.assets",
    "weibao.notifications",
    "weibao.tickets",
    "weibao.alarms",
    "weibao.incidents",
    "weibao.sla",
    "weibao.escalations",
    "weibao.documents",
    "weibao.fieldservice",
    "weibao.billing",
    "weibao.feedback",
    "weibao.repairs",
    "weibao.spares",
    "weibao.inspections",
    "weibao.emergency",
    "weibao.reporting",
    "weibao.library",
    "weibao.api",
    "weibao.web",
    "weibao.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "weibao.api.middleware.ApiErrorMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "weibao.web.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "weibao.accounts.middleware.UserLanguageMiddleware",  # a signed-in user's own language
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "weibao.core.middleware.ActorMiddleware",
    "weibao.core.middleware.PermissionRefusedMiddleware",
]

ROOT_URLCONF = "weibao.urls"
WSGI_APPLICATION = "weibao.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "weibao.web.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("WEIBAO_DATABASE_URL") or f"sqlite:///{VAR_DIR / 'weibao.sqlite3'}",
        conn_max_age=int(os.environ.get("WEIBAO_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the embedded worker read while one of them writes.
    # synchronous=FULL: every commit is fsynced to the WAL before the request is answered, so
    # an answered request survives a killed process *and* a power cut or kernel crash. (NORMAL
    # survives a killed process too, but may lose the last commits on power loss; a service
    # desk writes little, one fsync per commit costs less than a lost 2xx ticket.)
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: the desk's statements answer a page or a count in milliseconds,
    # and compiling them (triggered by row estimates on large tables) cost tens of ms to
    # seconds a statement (docs/adr/queue-search-trigram.md).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "weibao.demo.validators.NotTheDemoPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "weibao" / "locale"]
TIME_ZONE = os.environ.get("WEIBAO_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"

# Optional message broker for Celery workers (several machines). Empty: the embedded
# worker inside `weibao serve` processes due work, no broker needed.
WEIBAO_BROKER_URL = os.environ.get("WEIBAO_BROKER_URL", "")
# How often the embedded worker of `weibao serve` and the Celery beat run the tick (seconds).
WEIBAO_TICK_SECONDS = float(os.environ.get("WEIBAO_TICK_SECONDS", "1"))
# Delivery attempts of a notification before it is marked failed.
WEIBAO_NOTIFY_MAX_ATTEMPTS = int(os.environ.get("WEIBAO_NOTIFY_MAX_ATTEMPTS") or 8)
# Days raw alarm deliveries are kept once applied (0: kept forever).
WEIBAO_ALARM_RAW_RETENTION_DAYS = int(os.environ.get("WEIBAO_ALARM_RAW_RETENTION_DAYS") or 180)
# How often the ticket queue refreshes its rows in the browser (keeping filters and scroll).
WEIBAO_QUEUE_REFRESH_SECONDS = int(os.environ.get("WEIBAO_QUEUE_REFRESH_SECONDS", "30"))

# Outgoing e-mail (notification channel). Other channels (SMS gateway, DingTalk, WeCom, Feishu,
# webhooks) are configured as data in the admin.
# Without WEIBAO_SMTP_HOST (a laptop, the demo) e-mails are written to var/mail/ instead of
# being sent, so nothing is lost and nothing fails for want of a mail server.
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("WEIBAO_SMTP_HOST")
    else "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = os.environ.get("WEIBAO_SMTP_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("WEIBAO_SMTP_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("WEIBAO_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("WEIBAO_SMTP_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("WEIBAO_SMTP_TLS")
EMAIL_TIMEOUT = 15
DEFAULT_FROM_EMAIL = os.environ.get("WEIBAO_MAIL_FROM", "weibao@localhost")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "weibao.accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
        "rest_framework.filters.SearchFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "weibao.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "weibao.api.viewsets.ConditionalSchema",
    "EXCEPTION_HANDLER": "weibao.api.errors.exception_handler",
    "DATETIME_FORMAT": "iso-8601",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Weibao API",
    "DESCRIPTION": "Weibao (维保) service desk API. Authenticate with `Authorization: Token <key>` "
    "(create a key with `weibao createtoken USER`) or a browser session.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "weibao.alarms.schema.add_alarm_intake",
        "weibao.api.schema.add_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "FaultLevelEnum": "weibao.tickets.choices.Level",
        "LevelKeyEnum": "weibao.contracts.policy.LevelKey",
        "ConsentMethodEnum": "weibao.tickets.choices.ConsentMethod",
        "StageEnum": "weibao.tickets.choices.Stage",
        "ClockKindEnum": "weibao.sla.models.ClockKind",
        "StatementStateEnum": "weibao.billing.choices.StatementState",
        "CostLineKindEnum": "weibao.billing.choices.LineKind",
        "ComplaintChannelEnum": "weibao.feedback.choices.ComplaintChannel",
        "ComplaintStateEnum": "weibao.feedback.choices.ComplaintState",
        "CallbackMethodEnum": "weibao.feedback.choices.AGENT_CALLBACK_METHODS",
        "CallbackRecordMethodEnum": "weibao.feedback.choices.CallbackMethod",
        "ConfirmationMethodEnum": "weibao.feedback.choices.ConfirmationMethod",
        "OwnerEnum": "weibao.assets.models.Owner",
        "MovementKindEnum": "weibao.spares.choices.MovementKind",
        "LoanKindEnum": "weibao.spares.choices.LoanKind",
    },
}

# Security (issue 11 #5, #9) -------------------------------------------------------------------
# Behind TLS: a reverse proxy terminates HTTPS and says so with `X-Forwarded-Proto: https` (and
# appends the client's address to X-Forwarded-For). Then cookies are sent over HTTPS only and
# browsers are told to use HTTPS for a year (HSTS).
WEIBAO_HTTPS = _env_bool("WEIBAO_HTTPS")
if WEIBAO_HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("WEIBAO_HSTS_SECONDS", str(365 * 24 * 3600)))
# Content-Security-Policy of every answer (weibao.web.middleware.SecurityHeadersMiddleware):
# scripts only from our own static files (no inline <script>, no on…= attributes, no eval);
# styles from our files, and inline style attributes are tolerated (templates, the admin and
# Swagger UI use a few; they cannot run code).
WEIBAO_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# Whether the Demo's public password may stay on accounts without a warning (a demo machine).
WEIBAO_DEMO = _env_bool("WEIBAO_DEMO")
# The OpenAPI schema and Swagger UI (/api/schema/, /api/docs/) need a login unless opened.
WEIBAO_API_DOCS_PUBLIC = _env_bool("WEIBAO_API_DOCS_PUBLIC")
SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"] = ["weibao.api.access.ApiDocsPermission"]
# API throttles per client (an address for anonymous calls, the account otherwise): 429 beyond.
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = [
    "weibao.api.access.AnonRateThrottle",
    "weibao.api.access.UserRateThrottle",
]
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {
    "anon": os.environ.get("WEIBAO_API_RATE_ANON", "60/minute"),
    "user": os.environ.get("WEIBAO_API_RATE_USER", "1200/minute"),
}
# Login lockout (django-axes) for the web login and the admin login: after 5 wrong passwords
# for one account from one address, that account is refused from that address for 15 minutes;
# an address that fails 4 times as often (any accounts) is refused altogether for that time.
# An administrator lifts a lockout early in the admin (Axes › access attempts) or with
# `weibao axes_reset` / `weibao axes_reset_username USER`.
INSTALLED_APPS += ["axes"]
MIDDLEWARE += ["weibao.web.middleware.SecurityHeadersMiddleware", "axes.middleware.AxesMiddleware"]
AUTHENTICATION_BACKENDS = [
    "weibao.accounts.lockout.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "weibao.accounts.lockout.LockoutHandler"
AXES_FAILURE_LIMIT = int(os.environ.get("WEIBAO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("WEIBAO_LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
WEIBAO_LOGIN_ADDRESS_FAILURE_FACTOR = 4
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "weibao.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "weibao.accounts.lockout.client_address"
AXES_VERBOSE = False  # no banner on every command; lockouts are still logged

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("WEIBAO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Operations (issue 11 #10): /healthz, /readyz, /metrics and the runner's heartbeat (weibao.ops).
INSTALLED_APPS += ["weibao.ops"]
MIDDLEWARE.insert(0, "weibao.ops.middleware.RequestMetricsMiddleware")  # request latency
# /metrics answers `Authorization: Bearer <WEIBAO_METRICS_TOKEN>`; without a token it is
# refused (403), except with WEIBAO_DEBUG on.
WEIBAO_METRICS_TOKEN = os.environ.get("WEIBAO_METRICS_TOKEN", "").strip()
