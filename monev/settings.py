"""Settings for Monev SPBE: one file, read from the environment through small strict helpers.

Defaults give the embedded mode (SQLite, local files, tasks in-process, DEBUG on).
Production is chosen by environment variables only: DEBUG=false, SECRET_KEY, ALLOWED_HOSTS,
DATABASE_URL, STORAGE=s3 with its S3_* variables, TASKS_BACKEND=database, the e-mail
variables and SITE_URL (see docs/deploy.md).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name, default):
    """A boolean variable; anything but true/false (any case) or 1/0 is a configuration error."""
    value = os.environ.get(name, default).lower()
    if value in ("true", "1", "yes"):
        return True
    if value in ("false", "0", "no"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name, default):
    value = os.environ.get(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def envlist(name, default):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "true")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false")
    SECRET_KEY = "insecure-development-key-only-for-debug"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
# The public address of this installation, printed on generated documents (verification links).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "audit",
    "institutions",
    "frameworks",
    "sops",
    "cycles",
    "documents",
    "letters",
    "notifications",
    "evidence",
    "submissions",
    "assessments",
    "meetings",
    "followups",
    "recap",
    "reports",
    "django_tasks",
    "django_tasks_db",
    "backups",
    "demo",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Compresses the pages (not the files, see the class), in debug too so that what is
    # tested is what runs. Before every middleware that reads or changes the body, as
    # Django's docs ask; WhiteNoise (inserted before it) answers static files already
    # compressed, without reaching it.
    "monev.middleware.TextGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "monev.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "institutions.middleware.LazyOTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "institutions.middleware.InstitutionTimezoneMiddleware",
    "institutions.middleware.IdleSessionMiddleware",
    "institutions.middleware.SecondFactorMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

if not DEBUG:
    # Static files from the app process itself (compressed, hashed names, collected by
    # `collectstatic`): no CDN, and an nginx in front only proxies. DEBUG serves the sources.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "monev.urls"
WSGI_APPLICATION = "monev.wsgi.application"

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
                "institutions.context_processors.membership",
            ],
        },
    },
]

if "DATABASE_URL" not in os.environ:
    # The embedded default keeps its database in var/, which a fresh clone does not have.
    (BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'monev.sqlite3'}"),
        # Persistent connections (checked before reuse) in production: opening a PostgreSQL
        # connection per request halves the throughput.
        conn_max_age=envint("DB_CONN_MAX_AGE", "0" if DEBUG else "60"),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves several people at once: WAL lets readers go on while one
    # writes, BEGIN IMMEDIATE takes the write lock at the start of a transaction (so two
    # writers queue instead of one failing half-way with "database is locked"), and the
    # timeout is how long a writer waits for its turn.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": envint("SQLITE_TIMEOUT", "20"),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif envbool("DB_PREPARED_STATEMENTS", "true"):
    # PostgreSQL: the parameters sent apart from the statement (server-side binding), and
    # a statement a connection has run five times prepared, so that the server parses and
    # plans it once per connection: planning was most of the database's work on every page
    # (docs/benchmarks.md, "third pass": its CPU per request halved). Set
    # DB_PREPARED_STATEMENTS=false behind a pooler that cannot keep prepared statements
    # (PgBouncer in transaction mode before 1.21).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=5
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "institutions.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling by account AND address together, never by address alone: a whole Pemkot
# office goes out through one address, and one person's typos must not lock out the others.
# The first backend only refuses locked-out attempts; UserBackend (Django's ModelBackend that
# reads the user with their institution in one query) does the logging in.
AUTHENTICATION_BACKENDS = [
    "institutions.backends.LockoutBackend",
    "institutions.backends.UserBackend",
]
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "10")
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", "30"))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "institutions.views.lockout"
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# Behind nginx every request comes from 127.0.0.1: the client's address is then the one the
# proxy appends to X-Forwarded-For (PROXY_COUNT = how many proxies are in front).
PROXY_COUNT = envint("PROXY_COUNT", "0")
AXES_CLIENT_IP_CALLABLE = "institutions.backends.client_address"
# Sessions end after this much inactivity; the expiry is pushed forward at most once a minute
# (institutions.middleware.IdleSessionMiddleware), so a page view does not write the session.
SESSION_IDLE_MINUTES = envint("SESSION_IDLE_MINUTES", "60")
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
# Django's database sessions, read by a plain statement (see the class).
SESSION_ENGINE = "institutions.backends"
# Invitation links (set your first password) stay valid this many days and work once.
INVITATION_DAYS = envint("INVITATION_DAYS", "7")
# Roles that must use a second factor (TOTP), e.g. "admin,coordinator,leader"; empty: optional.
OTP_REQUIRED_ROLES = envlist("OTP_REQUIRED_ROLES", "")
OTP_TOTP_ISSUER = "Monev SPBE"

# Bahasa Indonesia by default, English available; dates in Indonesian ("22 November 2026").
# UI strings are written in Bahasa Indonesia in the source (the default language, so a
# missing translation never shows users a foreign word); locale/en holds the English.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
# The installation's default; each institution has its own time zone (WIB unless set).
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Jakarta")

STATIC_URL = "static/"
# Where `collectstatic` puts the files WhiteNoise serves (hashed names) in production.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Stored files (data dukung, generated documents, the evidence package): the local disk, or
# with STORAGE=s3 any S3-compatible object store (MinIO, SeaweedFS, a cloud bucket). Files are
# always served through the app's own download views, which check permission, so the bucket
# stays private and no pre-signed URL is ever handed out.
STORAGE = os.environ.get("STORAGE", "local")
if STORAGE == "local":
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif STORAGE == "s3":
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("S3_BUCKET", ""),
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID", ""),
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY", ""),
            "location": os.environ.get("S3_PREFIX", ""),
            # MinIO and SeaweedFS expect path-style addresses (http://host:9000/bucket/key).
            "addressing_style": os.environ.get("S3_ADDRESSING_STYLE", "path"),
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
    if not _default_storage["OPTIONS"]["bucket_name"]:
        raise ImproperlyConfigured("S3_BUCKET must be set when STORAGE is s3")
else:
    raise ImproperlyConfigured(f"STORAGE must be local or s3, not {STORAGE!r}")
STORAGES = {
    "default": _default_storage,
    # Hashed, compressed names need `collectstatic`: production only; DEBUG serves the sources.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", "25")
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "false")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "monev-spbe@localhost")

# Data dukung uploads: the largest file accepted (scans up to 50 MB are normal), and the
# days before the OPD deadline on which OPDs with open items are reminded.
EVIDENCE_MAX_BYTES = envint("EVIDENCE_MAX_MB", "50") * 1024 * 1024
OPD_REMINDER_DAYS = [int(d) for d in envlist("OPD_REMINDER_DAYS", "7,3,1")]
# Uploads larger than this are streamed to a temporary file, never held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Where those temporary files go (default: the system's temp folder). Django removes them when
# the request ends; documents.tasks.sweep_document_jobs removes what a killed process left there.
FILE_UPLOAD_TEMP_DIR = os.environ.get("FILE_UPLOAD_TEMP_DIR") or None

# Background work (reminders, document generation) goes through Django's tasks API.
# Embedded default: run in-process. At scale: TASKS_BACKEND=database and `manage.py db_worker`.
TASKS_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
_tasks_backend = os.environ.get("TASKS_BACKEND", "immediate")
if _tasks_backend not in TASKS_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {sorted(TASKS_BACKENDS)}")
TASKS = {"default": {"BACKEND": TASKS_BACKENDS[_tasks_backend]}}
# /sehat/ reports an error when a queued task has waited longer than this (worker stopped).
HEALTH_QUEUE_MAX_MINUTES = envint("HEALTH_QUEUE_MAX_MINUTES", "15")
# Background document builds (documents.jobs.sweep_jobs): a job queued this long is enqueued
# again, and one running this long is taken to have lost its worker and is run again.
JOB_REQUEUE_MINUTES = envint("JOB_REQUEUE_MINUTES", "10")
JOB_TIME_LIMIT_MINUTES = envint("JOB_TIME_LIMIT_MINUTES", "30")

# HTTPS: on by default in production (secure cookies, HSTS, redirect to https). An
# HTTP-only intranet installation sets HTTPS=false (docs/deploy.md says what that costs).
HTTPS = envbool("HTTPS", "false" if DEBUG else "true")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
# A monitor (or the compose healthcheck) asks gunicorn for /sehat/ directly, without nginx's
# X-Forwarded-Proto: answer it instead of redirecting to https.
SECURE_REDIRECT_EXEMPT = [r"^sehat/$"]
SECURE_HSTS_SECONDS = envint("HSTS_SECONDS", "31536000") if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
# nginx terminates TLS and says so in this header (docs/deploy.md); only trusted behind it.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# HSTS preloading is a commitment for the whole domain that its owner (the Pemda's network
# team) makes in the browsers' preload list, not an application setting.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

# The REST API (docs/api.md): session or personal-token authentication, problem details
# (RFC 9457) for every error, JSON only, an OpenAPI 3 schema at /api/schema/.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "monev.api_auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "monev.api.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "monev.api.handle_exception",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_THROTTLE_CLASSES": [],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Monev SPBE API",
    "DESCRIPTION": "Monitoring dan Evaluasi SPBE (PermenPANRB 59/2020). See docs/api.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Every operation's error answers as problem details (monev/api.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "monev.api.document_problems",
    ],
    # Choice sets named after their model: several apps have a "status" or a "kind".
    "ENUM_NAME_OVERRIDES": {
        "LetterKindEnum": "letters.models.Letter.Kind",
        "LetterStatusEnum": "letters.models.Letter.Status",
        "LetterSignatureEnum": "letters.models.Letter.Signature",
    },
}

# Logs go to standard error: journald (systemd) or the container runtime keeps them.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {"django": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
