"""Settings read from the environment.

Embedded defaults (no variables set) give a working local app: SQLite in the project folder
and Celery running tasks eagerly in-process. Set DATABASE_URL / REDIS_URL for PostgreSQL,
Redis and real Celery worker + beat processes.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


TRUE_SPELLINGS = {"1", "true", "yes", "on"}
FALSE_SPELLINGS = {"0", "false", "no", "off"}


def env_bool(name: str, default: bool = False) -> bool:
    """Only the documented spellings: a typo such as `ture` must stop the start, not turn a
    security switch off."""
    value = os.environ.get(name, "").strip().lower()
    if value == "":
        return default
    if value in TRUE_SPELLINGS:
        return True
    if value in FALSE_SPELLINGS:
        return False
    spellings = ", ".join(sorted(TRUE_SPELLINGS | FALSE_SPELLINGS))
    raise ImproperlyConfigured(f"{name}={value!r} is not a yes/no value; use one of: {spellings}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number") from None


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    if value == "":
        return default
    try:
        return float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a number") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)
# The fallback key is for development only; `check --deploy` flags it, production sets SECRET_KEY.
SECRET_KEY = env_str("SECRET_KEY", "django-insecure-development-only-set-SECRET_KEY-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "core.admin_apps.WorkbenchAdminConfig",  # Django's admin with the station's workbench as its index
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "core",
    "audit",
    "grids",
    "exports",
    "veterans",
    "visits",
    "replays",
    "maps",
    "assistance",
    "dashboard",
    "merging",
    "appeals",
    "wishes",
    "transfers",
    "offline",
    "confirmations",
    "employment",
    "training",
    "projects",
    "party",
    "pairing",
    "referrals",
    "honours",
    "printing",
    "accounts",
    "demo",
    "backups",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # First of ours: every audit row written below it carries the client's address.
    "audit.middleware.ClientAddressMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Read replicas: whose reads these are, and read-your-writes after a write (core.db.replicas).
    "core.middleware.ReadYourWritesMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionPolicyMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

# `make bench` serves bench.urls (the project plus a do-nothing view to compare against).
ROOT_URLCONF = env_str("ROOT_URLCONF", "config.urls")
WSGI_APPLICATION = "config.wsgi.application"

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
            ],
        },
    },
]

# --- Database --------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Short OLTP queries: JIT compilation costs more (~70 ms) than it ever saves here.
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            # WAL lets the dev server read while a Celery eager task or import writes.
            "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;", "timeout": 20},
        }
    }
# Behind PgBouncer in transaction pooling mode, consecutive statements may run on different server
# sessions: no session state may be relied on (no server-side cursors, no SQL PREPARE, no `options`
# sent at connect; set jit=off on the database instead: ALTER DATABASE ... SET jit = off).
DATABASE_POOLING = env_str("DATABASE_POOLING", "session")
if DATABASE_POOLING not in ("session", "transaction"):
    raise ImproperlyConfigured(f"DATABASE_POOLING={DATABASE_POOLING!r}: use session or transaction")
if DATABASE_POOLING == "transaction" and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    DATABASES["default"].get("OPTIONS", {}).pop("options", None)
# A ledger export of more rows than this is built by a Celery worker (exports queue) with a progress
# bar and an inbox notice, never in the request.
EXPORT_DIRECT_LIMIT = env_int("EXPORT_DIRECT_LIMIT", 5000)
# Read replicas (optional): comma-separated URLs of PostgreSQL streaming replicas. Reads that may
# be a little stale (dashboards, statistics, exports, admin lists, jobs' counting) go to one that is
# up and lags at most REPLICA_MAX_LAG_SECONDS; a user's reads stay on the primary for
# REPLICA_STICKY_SECONDS after they write. Without it every read goes to the primary.
DATABASE_REPLICA_URLS = env_str("DATABASE_REPLICA_URLS")
if DATABASE_REPLICA_URLS and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    from core.db.replicas import replica_databases

    DATABASES |= replica_databases(DATABASE_REPLICA_URLS, DATABASES["default"])
DATABASE_ROUTERS = ["core.db.replicas.ReplicaRouter"]
READ_REPLICAS = env_bool("READ_REPLICAS", True)
REPLICA_MAX_LAG_SECONDS = env_float("REPLICA_MAX_LAG_SECONDS", 5.0)
REPLICA_STICKY_SECONDS = env_int("REPLICA_STICKY_SECONDS", 5)
REPLICA_CHECK_SECONDS = env_float("REPLICA_CHECK_SECONDS", 5.0)
# Besides staff (the admin's lists): who may open a stale-read view, so whose writes are marked.
REPLICA_READER_PERMISSIONS = ["dashboard.view_dashboard"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True  # Django 6 behaviour now: URLs typed without a scheme are https
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "veteran-grid@localhost")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, with each user's permission set cached between requests.
    "accounts.backends.CachedPermissionsBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 10)},
    },
    {"NAME": "accounts.validators.ComplexityValidator"},  # PASSWORD_MIN_CLASSES
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Level-3 session rules (accounts.policy): idle logout, password expiry (0 = never); a new login
# always ends the account's previous session.
SESSION_IDLE_TIMEOUT_MINUTES = env_int("SESSION_IDLE_TIMEOUT_MINUTES", 30)
PASSWORD_MAX_AGE_DAYS = env_int("PASSWORD_MAX_AGE_DAYS", 90)
# How many of the four kinds (upper, lower, digit, symbol) a password needs (accounts.validators).
PASSWORD_MIN_CLASSES = env_int("PASSWORD_MIN_CLASSES", 3)
# Audit rows are kept at least this long (never below 180 days: audit.retention).
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 365)
# PostgreSQL: visits and audit events are partitioned by month (core.db.partitions); a daily job
# keeps this many months ready ahead of the current one.
PARTITION_MONTHS_AHEAD = env_int("PARTITION_MONTHS_AHEAD", 3)
# Personal numbers (ID, phone) are encrypted in the database. Fernet keys, newest first: add a
# new key in front, run `manage.py rotate_field_keys`, then drop the old one. The hash key makes
# the keyed hashes used for exact lookup; changing it also needs `rotate_field_keys`. Without
# them (development only) both are derived from SECRET_KEY; `check --deploy` refuses that.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS")
FIELD_HASH_KEY = env_str("FIELD_HASH_KEY")
# Two-factor authentication (accounts.two_factor): these roles (and superusers) must enrol a
# TOTP authenticator and enter its code after the password; other roles may opt in, and then must
# enter it too. Wrong codes lock the second step for a while.
OTP_REQUIRED_ROLES = env_list("OTP_REQUIRED_ROLES", "bureau_leader,station_staff,system_admin,auditor")
OTP_FAILURE_LIMIT = env_int("OTP_FAILURE_LIMIT", 5)
OTP_LOCKOUT_MINUTES = env_int("OTP_LOCKOUT_MINUTES", 30)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "退役军人网格化服务管理")
OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's back-off is replaced by the lock above
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- Language, time, formats ----------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
# The deployment serves one city; a 全市 (city-level) scope sees all of its districts.
CITY_NAME = env_str("CITY_NAME", "全市")
# An intranet tile server drawn under the dashboard map's boundaries, e.g. a 天地图 service:
# "https://tiles.example.gov.cn/{z}/{x}/{y}.png". Empty: the boundaries alone (no internet needed).
MAP_TILE_URL = env_str("MAP_TILE_URL", "")
USE_I18N = True
USE_TZ = True

# --- Static and media -------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Installed from the npm registry by `make install` (package-lock.json), never from a CDN.
    ("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist"),
]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST")
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Uploads (area trees, ledgers) are bounded; anything larger is refused with a message.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
AREA_UPLOAD_MAX_BYTES = env_int("AREA_UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
VETERAN_IMPORT_MAX_BYTES = env_int("VETERAN_IMPORT_MAX_BYTES", 50 * 1024 * 1024)
# A checked file waits this long for its confirmation; then it is cleared (veterans.tasks).
VETERAN_IMPORT_CONFIRM_HOURS = env_int("VETERAN_IMPORT_CONFIRM_HOURS", 72)
VISIT_PHOTO_MAX_BYTES = env_int("VISIT_PHOTO_MAX_BYTES", 8 * 1024 * 1024)
CASE_ATTACHMENT_MAX_BYTES = env_int("CASE_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
# PDFs (printing): the Chinese TrueType font they embed (default: WenQuanYi Micro Hei, found by
# fontconfig); batches of more people than the limit are made by Celery; batch files are removed
# after this many hours (they hold people's records).
PRINT_FONT_PATH = env_str("PRINT_FONT_PATH")
PRINT_BATCH_DIRECT_LIMIT = env_int("PRINT_BATCH_DIRECT_LIMIT", 50)
PRINT_BATCH_KEEP_HOURS = env_int("PRINT_BATCH_KEEP_HOURS", 24)
# A must-visit event (hospital stay, death in the family...) makes a visit due within this many working days.
MUST_VISIT_WORKING_DAYS = env_int("MUST_VISIT_WORKING_DAYS", 3)

# --- Celery -----------------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
# Eager tasks behave like queued ones: a failure (or a retry) stays inside its task and does
# not break the caller, e.g. one dead group robot never stops the day's other reminders.
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Queues by kind of work, so a slow export or a city's snapshot never delays a reminder. A worker
# started without -Q serves them all (make run, make services); at scale each queue gets its own
# workers (README › Celery queues). Tasks not listed go to "default".
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_QUEUE_NAMES = ("default", "reminders", "imports", "exports", "snapshots", "webhooks")
CELERY_TASK_QUEUES = [Queue(name, routing_key=name) for name in CELERY_QUEUE_NAMES]
CELERY_TASK_ROUTES = {
    # Reminders: the day's due visits, appeal deadlines, confirmations, schedules behind them.
    "visits.tasks.send_daily_reminders": {"queue": "reminders"},
    "visits.tasks.refresh_all_schedules": {"queue": "reminders"},
    "appeals.tasks.remind_appeals": {"queue": "reminders"},
    "confirmations.tasks.confirm_daily": {"queue": "reminders"},
    "*.tasks.remind_*": {"queue": "reminders"},
    # Imports: spreadsheets checked and committed.
    "*.tasks.*_import": {"queue": "imports"},
    "*.tasks.*_import_*": {"queue": "imports"},
    "veterans.tasks.expire_veteran_imports": {"queue": "imports"},
    # Exports and prints: files built for a user who waits with a progress bar.
    "*.tasks.build_*export*": {"queue": "exports"},
    "printing.tasks.*": {"queue": "exports"},
    # Snapshots and dashboards: the city's figures, near-duplicate searches.
    "dashboard.tasks.warm_dashboard": {"queue": "snapshots"},
    "dashboard.tasks.take_daily_snapshot": {"queue": "snapshots"},
    "merging.tasks.*": {"queue": "snapshots"},
    # Webhooks: group robots (WeCom), retried with backoff.
    "*.tasks.deliver_webhook": {"queue": "webhooks"},
}

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Each user's permission set and scope are cached (core.user_cache) and retired on any change.
# The retirement reaches other processes only through a shared cache (Redis): without one,
# entries live a few seconds so that several server processes never disagree for long.
USER_FACTS_CACHE_SECONDS = env_int("USER_FACTS_CACHE_SECONDS", 300 if REDIS_URL else 5)

# --- REST API ---------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        # Basic (password only) for accounts without a second factor; the others use the session.
        "accounts.api.PasswordOnlyBasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "core.schema.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "core.api.Pagination",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "core.api.LenientContentNegotiation",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "退役军人网格化服务管理 API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and Redoc from the sidecar package's static files: no CDN on an intranet.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a field called `kind`; give each choice set its own schema name.
    "ENUM_NAME_OVERRIDES": {
        "VisitKindEnum": "visits.models.VisitKind",
        "EventKindEnum": "visits.models.EventKind",
        "ActivityKindEnum": "visits.models.ActivityKind",
        "HonourKindEnum": "veterans.models.HonourKind",
        "CaseStatusEnum": "assistance.models.CaseStatus",
        "FundEntryKindEnum": "assistance.models.EntryKind",
        "AttachmentKindEnum": "assistance.models.AttachmentKind",
        "EntryDonorKindEnum": "assistance.models.DonorKind",
        "IncomeKindEnum": [("allocation", "财政拨款"), ("donation", "社会捐赠")],
        "AppealStatusEnum": "appeals.models.AppealStatus",
        "WishStatusEnum": "wishes.models.WishStatus",
        "WishDonorKindEnum": "wishes.models.DonorKind",
        "SoldierStatusEnum": "veterans.models.SoldierStatus",
        "ConfirmationMethodEnum": "confirmations.models.ConfirmationMethod",
        "VisitMethodEnum": "visits.models.VisitMethod",
        "SelectionKindEnum": "honours.models.SelectionKind",
        "SelectionLevelEnum": "honours.models.SelectionLevel",
        "SelectionStatusEnum": "honours.models.SelectionStatus",
        "NominationStatusEnum": "honours.models.NominationStatus",
        "EmploymentStatusEnum": "employment.models.EmploymentStatus",
        "PartyOrganisationKindEnum": "party.models.OrganisationKind",
        "VolunteerTeamKindEnum": "referrals.models.TeamKind",
        "ProviderKindEnum": "referrals.models.ProviderKind",
        "ReferralStatusEnum": "referrals.models.ReferralStatus",
        "PartyStepKindEnum": "party.models.StepKind",
        "PartyFollowUpStatusEnum": "party.models.FollowUpStatus",
        "ServiceProjectStatusEnum": "projects.models.ProjectStatus",
        "ServiceCategoryEnum": "projects.models.ServiceCategory",
        "CategoryEnum": "veterans.models.PriorityCategory",  # its name before the service categories came
    },
}

# --- Login lockout (django-axes) ------------------------------------------------------------
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30) / 60  # hours
# Lock the account, not the address: a station's staff often share one NAT address, and an
# IP lock would shut out a whole office after one person's typos.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "audit/locked_out.html"
AXES_VERBOSE = False
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# --- Production hardening (active when DEBUG is off) ----------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY") else None
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Set by CI: a test that needs PostgreSQL, Redis, a Celery worker or Chromium fails instead of
# skipping when the service is missing.
REQUIRE_SERVICES = env_bool("REQUIRE_SERVICES")
