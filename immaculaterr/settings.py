"""Every environment read of Immaculaterr lives here (through immaculaterr.config)."""

from __future__ import annotations

from pathlib import Path

from immaculaterr import config, logconfig

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = config.data_dir("APP_DATA_DIR", str(BASE_DIR / "data"))
VERSION = "0.1.0"

SECRET_KEY = config.persistent_secret("SECRET_KEY", DATA_DIR / "secret_key")
DEBUG = config.flag("DEBUG", False)
PORT = config.integer("PORT", 5454, 1, 65535)
ALLOWED_HOSTS = config.word_list("ALLOWED_HOSTS", ["*"])
CSRF_TRUSTED_ORIGINS = config.origins("CSRF_TRUSTED_ORIGINS")
# Behind a reverse proxy (README "Behind a reverse proxy"): X-Forwarded-Proto and -Host are
# believed when TRUST_X_FORWARDED_PROTO is on or the peer is one of TRUSTED_PROXIES (headers
# from any other peer are dropped); X-Forwarded-For only ever from TRUSTED_PROXIES.
TRUSTED_PROXIES = config.networks("TRUSTED_PROXIES")
if config.flag("TRUST_X_FORWARDED_PROTO", False) or TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
# Sent only on requests that arrived over HTTPS (through the proxy); 0 turns it off.
SECURE_HSTS_SECONDS = config.integer("SECURE_HSTS_SECONDS", 365 * 24 * 3600, 0, 2 * 365 * 24 * 3600)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = config.flag("SECURE_COOKIES", False)
# A sub-path install (https://host/immaculaterr/): every URL, cookie and static file under it.
APP_BASE_PATH = config.base_path("APP_BASE_PATH")
FORCE_SCRIPT_NAME = APP_BASE_PATH or None
SESSION_COOKIE_PATH = CSRF_COOKIE_PATH = APP_BASE_PATH or "/"
DEFAULT_EXCEPTION_REPORTER_FILTER = "immaculaterr.errorfilter.CredentialFilter"
TIME_ZONE = config.time_zone("TZ", "UTC")
LOG_LEVEL = config.choice("LOG_LEVEL", "INFO", {"DEBUG", "INFO", "WARNING", "ERROR"})

# Secrets in the vault are encrypted under this key (see vault/crypto.py).
APP_MASTER_KEY = config.text("APP_MASTER_KEY", "")
APP_MASTER_KEY_FILE = config.text("APP_MASTER_KEY_FILE", "")

DATABASES = {"default": config.database("DATABASE_URL", DATA_DIR / "immaculaterr.sqlite3")}
DATABASES["default"].setdefault("CONN_MAX_AGE", 0)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL + a busy timeout let web, worker and beat share one SQLite file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

DB_PRE_MIGRATE_BACKUP = config.flag("DB_PRE_MIGRATE_BACKUP", True)
DB_PRE_MIGRATE_BACKUP_KEEP = config.integer("DB_PRE_MIGRATE_BACKUP_KEEP", 10, 1, 1000)
DB_PRE_MIGRATE_BACKUP_DIR = Path(
    config.text("DB_PRE_MIGRATE_BACKUP_DIR", str(DATA_DIR / "backups"))
).expanduser()
DB_PRE_MIGRATE_BACKUP_STRICT = config.flag("DB_PRE_MIGRATE_BACKUP_STRICT", False)

REDIS_URL = config.url("REDIS_URL", "", ("redis", "rediss", "unix"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "django_celery_beat",
    "immaculaterr",
    "vault",
    "recommendations",
    "observatory",
    "jobs",
]

MIDDLEWARE = [
    "immaculaterr.proxy.ReverseProxyMiddleware",
    "immaculaterr.middleware.AllowedMethodsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "immaculaterr.middleware.ContentSecurityPolicyMiddleware",
    "immaculaterr.middleware.LoginRequiredMiddleware",
    "immaculaterr.middleware.AdminEmptyToFieldMiddleware",
]

ROOT_URLCONF = "immaculaterr.urls"
WSGI_APPLICATION = "immaculaterr.wsgi.application"
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
                "immaculaterr.navigation.nav",
            ],
        },
    }
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 30
LOGIN_LOCK_ATTEMPTS = 5
LOGIN_LOCK_MINUTES = 15
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

LANGUAGE_CODE = "en-us"
USE_I18N = False
USE_TZ = True

STATIC_URL = f"{APP_BASE_PATH}/static/"
WHITENOISE_STATIC_PREFIX = "/static/"  # matched against the path after APP_BASE_PATH
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True  # serve straight from the app folders: no collectstatic step
MEDIA_ROOT = DATA_DIR / "media"

if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": REDIS_URL}}
else:
    # Locks and debounce keys live here too: Django's default of 300 entries would cull them.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                          "LOCATION": "immaculaterr_cache",
                          "OPTIONS": {"MAX_ENTRIES": 100_000}}}

# Celery: Redis when REDIS_URL is set, else kombu's filesystem transport inside APP_DATA_DIR,
# so a user with nothing but Python still gets a worker and beat.
BROKER_DIR = DATA_DIR / "broker"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    for sub in ("queue", "processed", "control"):
        (BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
# Triggers (session poll, sweeper, heartbeat) have their own queue and consumer, so a poll never
# waits behind 15-minute jobs or a rows-lock wait: `serve` and compose run a worker on each.
# A worker started without -Q consumes both.
from kombu import Exchange, Queue  # noqa: E402

CELERY_TASK_DEFAULT_QUEUE = "celery"
TRIGGERS_QUEUE = "triggers"
CELERY_TASK_QUEUES = (Queue("celery", Exchange("celery"), routing_key="celery"),
                      Queue(TRIGGERS_QUEUE, Exchange(TRIGGERS_QUEUE), routing_key=TRIGGERS_QUEUE))
CELERY_TASK_ROUTES = {name: {"queue": TRIGGERS_QUEUE} for name in (
    "immaculaterr.jobs.poll_sessions", "immaculaterr.jobs.sweep", "immaculaterr.heartbeat",
    "immaculaterr.jobs.recently_added")}
CELERY_RESULT_BACKEND = None
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 15 * 60
CELERY_TASK_TIME_LIMIT = 16 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE
HEARTBEAT_SECONDS = 15

LOG_DIR = DATA_DIR / "logs"
LOG_DIR.mkdir(parents=True, exist_ok=True)
LOGGING = logconfig.build(LOG_DIR, LOG_LEVEL)

# The Observatory's poster cache under DATA_DIR/posters; the oldest shown go past this size.
POSTER_CACHE_MAX_MB = config.integer("POSTER_CACHE_MAX_MB", 200, 10, 100_000)
# Seconds after the last swipe before the Observatory sends and syncs rows (one batch).
OBSERVATORY_DEBOUNCE_SECONDS = config.integer("OBSERVATORY_DEBOUNCE_SECONDS", 20, 1, 3600)
# Search Monitored asks each of Radarr and Sonarr for at most this many titles a run.
ARR_SEARCH_MAX = config.integer("ARR_SEARCH_MAX", 100, 1, 10_000)
# Import Plex History: the newest watched titles per viewer and library that become seeds.
HISTORY_IMPORT_TITLES = config.integer("HISTORY_IMPORT_TITLES", 10, 1, 200)

# The update check on Help and in the nav: the latest release in GitHub's releases API shape,
# cached for an hour; UPDATE_CHECK_ENABLED=false sends no request at all.
UPDATE_CHECK_ENABLED = config.flag("UPDATE_CHECK_ENABLED", True)
UPDATE_CHECK_URL = config.url(
    "UPDATE_CHECK_URL", "https://api.github.com/repos/immaculaterr/immaculaterr/releases/latest",
    ("http", "https"))
UPDATE_CHECK_TOKEN = config.text("UPDATE_CHECK_TOKEN", "")
UPDATE_CHECK_TIMEOUT = 6

# Service base URLs: the real ones by default; tests point them at the loopback doubles.
TMDB_BASE_URL = config.url("TMDB_BASE_URL", "https://api.themoviedb.org/3", ("http", "https"))
PLEX_TV_URL = config.url("PLEX_TV_URL", "https://plex.tv", ("http", "https"))
GOOGLE_SEARCH_URL = config.url(
    "GOOGLE_SEARCH_URL", "https://www.googleapis.com/customsearch/v1", ("http", "https")
)
