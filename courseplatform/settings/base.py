"""Settings shared by every environment; every deploy-specific value comes from the environment.

See README.md ("Configuration") for the variables. django-environ parses them.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .object_storage import s3_storages

BASE_DIR = Path(__file__).resolve().parents[2]
env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

VAR_DIR = Path(env("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = env("SECRET_KEY", default="insecure-dev-key-only-for-local-use-change-me-0123456789abcdef")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served by us (no CDN: CSP 'self')
    "csp",
    "courseplatform.hooks",  # the core's extension points: must come before every app implementing them
    "courseplatform.accounts",
    "courseplatform.catalog",
    "courseplatform.jobs",
    "courseplatform.pages",
    "courseplatform.commerce",  # orders, payments (django-payments), coupons, refunds, earnings
    "courseplatform.events",  # the interaction log: its one writer
    "courseplatform.search",  # full-text search, wishlists
    "courseplatform.learning",  # curriculum, lessons, progress, quizzes, certificates
    "courseplatform.privacy",  # tracking consent, data export, account erasure
    "courseplatform.moderation",  # reports on content, the staff queue, hide/restore
    "courseplatform.engagement",  # polls, challenges, points, badges, rewards
    "themes",
    "recommender",
    "courseplatform.experiments",
    "courseplatform.notifications",  # notification centre, e-mail outbox, digests, follows
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "courseplatform.middleware.RejectControlCharactersMiddleware",
    "courseplatform.middleware.PreferredLanguageRedirectMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "courseplatform.middleware.PrivateForSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "courseplatform.events.middleware.PendingEventsMiddleware",  # impressions noted while rendering
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "courseplatform.urls"
WSGI_APPLICATION = "courseplatform.wsgi.application"
ASGI_APPLICATION = "courseplatform.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "courseplatform" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "courseplatform.privacy.context_processors.privacy",  # the consent banner
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL + a busy timeout let the web process and worker processes share one SQLite file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        # IMMEDIATE: a transaction takes the write lock up front, so the busy timeout applies instead of an
        # instant "database is locked" when a reader later tries to write (Django 5.1+ option).
        {"timeout": 20, "transaction_mode": "IMMEDIATE",
         "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
# ModelBackend with the per-request user lookup cached (sessions signed in through ModelBackend sign in again)
AUTHENTICATION_BACKENDS = ["courseplatform.accounts.backends.CachedModelBackend"]
LOGIN_REDIRECT_URL = "catalog:home"
LOGOUT_REDIRECT_URL = "catalog:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "courseplatform" / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# The application serves MEDIA_ROOT itself unless a reverse proxy does (README: "Serving media").
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)

# Request-size limits: the JSON API caps bodies at 256 KiB; uploads are checked per field.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=256 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
LOGO_MAX_BYTES = 5 * 1024 * 1024
LOGO_MAX_SIDE = 4096
# Lesson media (videos, captions, downloads): private, served only by the permission-checked lesson views.
LEARNING_MEDIA_ROOT = Path(env("LEARNING_MEDIA_ROOT", default=str(VAR_DIR / "private")))
LEARNING_VIDEO_MAX_BYTES = env.int("LEARNING_VIDEO_MAX_BYTES", default=500 * 1024 * 1024)
LEARNING_ATTACHMENT_MAX_BYTES = env.int("LEARNING_ATTACHMENT_MAX_BYTES", default=50 * 1024 * 1024)
# Interaction log (courseplatform/events/retention.py, beat task events.maintain): events older than
# EVENTS_RETENTION_DAYS (0: kept forever) are anonymised (detached from the person) or, with
# EVENTS_RETENTION_ACTION=drop, deleted (whole month partitions dropped on PostgreSQL); month partitions are
# created EVENTS_PARTITIONS_AHEAD months ahead.
EVENTS_RETENTION_DAYS = env.int("EVENTS_RETENTION_DAYS", default=365)
EVENTS_RETENTION_ACTION = env("EVENTS_RETENTION_ACTION", default="anonymise")
EVENTS_PARTITIONS_AHEAD = env.int("EVENTS_PARTITIONS_AHEAD", default=3)
# Searches (and their clicks) older than this are deleted by the beat task search.prune_logs; the blend weight
# is fitted on what is left, so keep at least a few months.
SEARCH_LOG_RETENTION_DAYS = env.int("SEARCH_LOG_RETENTION_DAYS", default=180)
# Uploaded files no row references (under the file fields' folders) are deleted by jobs.clean_orphaned_media
# once they are this old (a younger file may belong to an upload whose row is not committed yet).
MEDIA_ORPHAN_GRACE_HOURS = env.int("MEDIA_ORPHAN_GRACE_HOURS", default=24)
LEARNING_CAPTIONS_MAX_BYTES = 512 * 1024
# Privacy (courseplatform/privacy): non-essential tracking (impressions, client clicks and views, exposures)
# only with the visitor's consent; False where the operator may measure without asking (no banner then).
PRIVACY_REQUIRE_CONSENT = env.bool("PRIVACY_REQUIRE_CONSENT", default=True)
PRIVACY_EXPORT_TTL_HOURS = env.float("PRIVACY_EXPORT_TTL_HOURS", default=48)  # data archive download links

# --- File storage (README "Storage"): every file goes through Django's storage API. Local disk by default;
# STORAGE_BACKEND=s3 puts public media, lesson media and model artifacts in one S3 bucket (django-storages), so
# every web node and worker sees the same files. AWS_* as django-storages and boto3 read them.
ARTIFACTS_ROOT = env("ARTIFACTS_ROOT", default="")  # local artifacts: ARTIFACTS_ROOT (else VAR_DIR)/models/<id>/
# this machine's copies of artifacts downloaded from an object store (else VAR_DIR/cache/artifacts)
ARTIFACTS_CACHE_DIR = env("ARTIFACTS_CACHE_DIR", default="")
STORAGE_BACKEND = env("STORAGE_BACKEND", default="local")
# Lesson media on an object store: "stream" (through this app, ranged reads) or "redirect" (a presigned URL
# valid LEARNING_MEDIA_URL_EXPIRE_S seconds, handed out after the permission check).
LEARNING_MEDIA_DELIVERY = env("LEARNING_MEDIA_DELIVERY", default="stream")
LEARNING_MEDIA_URL_EXPIRE_S = env.int("LEARNING_MEDIA_URL_EXPIRE_S", default=60)
if STORAGE_BACKEND == "s3":
    STORAGES = s3_storages(
        env("AWS_STORAGE_BUCKET_NAME"), endpoint_url=env("AWS_S3_ENDPOINT_URL", default=None),
        region_name=env("AWS_S3_REGION_NAME", default=None),
        custom_domain=env("AWS_S3_CUSTOM_DOMAIN", default=None),  # a CDN in front of the public media
        media_prefix=env("AWS_MEDIA_PREFIX", default="media"),
        querystring_auth=env.bool("AWS_QUERYSTRING_AUTH", default=True), private_expire=LEARNING_MEDIA_URL_EXPIRE_S)
elif STORAGE_BACKEND == "local":
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},  # MEDIA_ROOT
        "private": {"BACKEND": "courseplatform.learning.storage.PrivateStorage"},  # LEARNING_MEDIA_ROOT
        "artifacts": {"BACKEND": "courseplatform.storage.VarDirStorage", "OPTIONS": {"setting": "ARTIFACTS_ROOT"}},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
else:
    raise ImproperlyConfigured(f"STORAGE_BACKEND must be local or s3, not {STORAGE_BACKEND!r}")

# --- Cache: Redis when configured, else the database (shared by every process, unlike LocMem).
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    # reliability fix: a Redis outage degrades to cache misses instead of 500s (resilient_cache.py)
    CACHES = {"default": {"BACKEND": "courseplatform.settings.resilient_cache.ResilientRedisCache",
                          "LOCATION": REDIS_URL,
                          "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2}}}
    # Sessions read from Redis, written through to the database: a Redis restart loses no log-in, and an
    # API request no longer pays a database query for its session (bench/load.py).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    # the signed-in user read from Redis too, dropped on every save (accounts.backends); 0 turns it off
    ACCOUNTS_USER_CACHE_S = env.int("ACCOUNTS_USER_CACHE_S", default=60)
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "cache_table"}}
# Impressions and exposures leave the request path through a durable Redis stream written in batches by the
# events.flush_buffer worker task (courseplatform/events/buffer.py); empty: written by the request itself.
EVENTS_BUFFER_URL = env("EVENTS_BUFFER_URL", default=REDIS_URL)
EVENTS_BUFFER_CLAIM_S = env.float("EVENTS_BUFFER_CLAIM_S", default=30.0)  # a dead flusher's entries: taken over
EVENTS_BUFFER_BATCH = env.int("EVENTS_BUFFER_BATCH", default=200)  # stream entries (impression lists) per insert
# a web process freezes what it holds after this many requests (courseplatform/web_gc.py; gunicorn.conf.py; <0: off)
WEB_GC_FREEZE_AFTER_REQUESTS = env.int("WEB_GC_FREEZE_AFTER_REQUESTS", default=200)

# --- Celery (namespace CELERY_ in workers/app.py). See workers/README.md for every choice.
BROKER_DIR = VAR_DIR / "broker"
# The embedded broker's URL names a host: kombu warned "No hostname was supplied" at every connection without one.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://localhost//")
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=45)
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT = "workers.broker:Transport"  # kombu's, stopping promptly on a shutdown signal
    for _sub in ("queue", "control"):
        (BROKER_DIR / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
elif CELERY_BROKER_URL.startswith(("amqp://", "amqps://", "pyamqp://")):
    # RabbitMQ (README "Which broker"): durable queues, persistent messages, an unacknowledged message goes back
    # to its queue the moment the worker's connection drops (no visibility timeout); publisher confirms: a send
    # returns once the broker has taken the message.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"confirm_publish": True}
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
        # reliability fix (tests/reliability/test_worker_killed.py): kombu scans for unacknowledged messages
        # of dead workers every interval x throttle seconds, 10 x 10 = 100 s by default; scan every 10 s so a
        # whole-worker crash is redelivered within VT + 10 s.
        "unacked_restore_interval": 10,
        "unacked_restore_throttle": 1,
        "socket_timeout": 5,
        "socket_connect_timeout": 5,
        "max_retries": 3,
    }
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=330)
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("CELERY_WORKER_MAX_TASKS_PER_CHILD", default=200)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=1_500_000)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TIMEZONE = TIME_ZONE
# Sweeper thresholds: queued rows older than this are re-dispatched; running rows past their
# job's time limit are failed with a reason (the database row is the source of truth).
JOBS_REQUEUE_AFTER_S = env.int("JOBS_REQUEUE_AFTER_S", default=120)
JOBS_SWEEP_EVERY_S = env.int("JOBS_SWEEP_EVERY_S", default=30)
JOBS_MAX_ATTEMPTS = env.int("JOBS_MAX_ATTEMPTS", default=3)
# reliability fix: a running palette job writes its heartbeat at least every third of this; a redelivered
# message finding an older heartbeat takes the job over (its worker died). Keep it below the visibility timeout.
JOBS_HEARTBEAT_STALE_S = env.int("JOBS_HEARTBEAT_STALE_S", default=30)
# Quotas per creator (issue 22): palette jobs waiting or running at once, and requested per hour; cover previews
# rendered per minute (per user).
PALETTE_JOBS_MAX_CONCURRENT = env.int("PALETTE_JOBS_MAX_CONCURRENT", default=2)
PALETTE_JOBS_PER_HOUR = env.int("PALETTE_JOBS_PER_HOUR", default=12)
COVER_PREVIEWS_PER_MINUTE = env.int("COVER_PREVIEWS_PER_MINUTE", default=60)
#: reports on content one account may send per hour (courseplatform.moderation)
MODERATION_REPORTS_PER_HOUR = env.int("MODERATION_REPORTS_PER_HOUR", default=20)
# nudges: an enrolled learner with no lesson completed for this many days counts as stalled (engagement.nudges)
NUDGE_STALL_DAYS = env.int("NUDGE_STALL_DAYS", default=7)

# --- API
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    # events: per account (or address when anonymous); events_ip: per address whoever is logged in, so many
    # self-registered accounts behind one address share one budget (issue 22)
    "DEFAULT_THROTTLE_RATES": {"events": env("EVENTS_RATE", default="600/min"),
                               "events_ip": env("EVENTS_IP_RATE", default="3000/min"), "feed": "600/min"},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["courseplatform.api.base.SafeJSONParser"],  # size and nesting limits as JSON errors
    "NUM_PROXIES": env.int("TRUSTED_PROXY_COUNT", default=0) or None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Course platform API",
    "DESCRIPTION": "Interaction logging and personal course feeds.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Content-Security-Policy (django-csp 4): no inline styles; scripts only from us, with a nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Log-in throttling (courseplatform/accounts/throttle.py): exponential back-off per (username, client) and
# per client, a site-wide anomaly slow-down; nobody is locked out by someone else's failures.
LOGIN_FREE_FAILURES = env.int("LOGIN_FREE_FAILURES", default=5)
LOGIN_FREE_FAILURES_PER_CLIENT = env.int("LOGIN_FREE_FAILURES_PER_CLIENT", default=50)
LOGIN_BACKOFF_BASE_S = env.float("LOGIN_BACKOFF_BASE_S", default=30.0)
LOGIN_BACKOFF_MAX_S = env.float("LOGIN_BACKOFF_MAX_S", default=15 * 60.0)
LOGIN_FAILURE_MEMORY_S = env.int("LOGIN_FAILURE_MEMORY_S", default=60 * 60)
LOGIN_ANOMALY_FAILURES_PER_MIN = env.int("LOGIN_ANOMALY_FAILURES_PER_MIN", default=300)
LOGIN_ANOMALY_DELAY_S = env.float("LOGIN_ANOMALY_DELAY_S", default=0.5)
SIGNUP_MAX_PER_HOUR_PER_CLIENT = env.int("SIGNUP_MAX_PER_HOUR_PER_CLIENT", default=20)
# How many reverse proxies in front of the site append to X-Forwarded-For (0: trust REMOTE_ADDR only).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_errors_without_traceback": {"()": "courseplatform.log_filters.ClientErrorsWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["client_errors_without_traceback"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Django's default config gives "django" its own console handler under DEBUG; with the root's, every
        # django.request record (each 403 and its traceback) was printed twice. One handler: the root's.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
    },
}

# Theme plugins: modules implementing hooks from themes/plugins/hookspecs.py, in order.
THEMES_PLUGINS = env.list("THEMES_PLUGINS", default=[
    "themes.builtin.presets",
    "themes.builtin.covers",
    "themes.builtin.tokens",
])

# Recommender: the activation gate (a new version must not be worse on this holdout metric), how many
# versions keep materialised feeds, optional time decay of interactions (days; unset = none).
RECOMMENDER_GATE_METRIC = env("RECOMMENDER_GATE_METRIC", default="ndcg@10")
RECOMMENDER_GATE_TOLERANCE = env.float("RECOMMENDER_GATE_TOLERANCE", default=0.0)
RECOMMENDER_KEEP_FEEDS = env.int("RECOMMENDER_KEEP_FEEDS", default=3)
# Client-reported events (view, click) and wishlist saves of accounts younger than TRUST_AFTER_DAYS or without
# a server-verified enrolment count UNVERIFIED_WEIGHT times their weight in training (issue 22: poisoning).
RECOMMENDER_TRUST_AFTER_DAYS = env.float("RECOMMENDER_TRUST_AFTER_DAYS", default=3.0)
RECOMMENDER_UNVERIFIED_WEIGHT = env.float("RECOMMENDER_UNVERIFIED_WEIGHT", default=0.05)
RECOMMENDER_HALF_LIFE_DAYS = env.float("RECOMMENDER_HALF_LIFE_DAYS", default=None)

# --- Commerce (courseplatform/commerce; README "Payments"). django-payments providers by variant name: the dummy
# provider ("test payments", a banner says so) unless Stripe keys are in the environment.
PAYMENT_MODEL = "commerce.Payment"
# return URLs and mail links when no request is at hand; `PORT=8765 make run` serves (and links) on PORT
PAYMENT_HOST = env("PAYMENT_HOST", default=f"localhost:{env('PORT', default='8000')}")
PAYMENT_USES_SSL = env.bool("PAYMENT_USES_SSL", default=False)
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
PAYMENT_VARIANTS = {"dummy": ("payments.dummy.DummyProvider", {})}
if STRIPE_SECRET_KEY:
    PAYMENT_VARIANTS["stripe"] = ("payments.stripe.StripeProviderV3", {
        "api_key": STRIPE_SECRET_KEY, "endpoint_secret": STRIPE_WEBHOOK_SECRET})
COMMERCE_PAYMENT_VARIANT = env("COMMERCE_PAYMENT_VARIANT", default="stripe" if STRIPE_SECRET_KEY else "dummy")
COMMERCE_PLATFORM_FEE_PERCENT = env.float("COMMERCE_PLATFORM_FEE_PERCENT", default=10.0)
COMMERCE_ORDER_TTL_MINUTES = env.int("COMMERCE_ORDER_TTL_MINUTES", default=60)
# Production refuses the dummy provider (a deploy check) unless this says test payments are wanted.
COMMERCE_ALLOW_TEST_PAYMENTS = env.bool("COMMERCE_ALLOW_TEST_PAYMENTS", default=False)

# --- E-mail (receipts): the console in development; SMTP from EMAIL_URL, e.g. smtp+tls://user:pass@host:587
globals().update({k: v for k, v in env.email_url("EMAIL_URL", default="consolemail://").items() if v not in (None, "")})
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Course platform <no-reply@localhost>")
# Absolute links in mails (unsubscribe, confirmations) when no request is at hand.
SITE_URL = env("SITE_URL", default=f"http{'s' if PAYMENT_USES_SSL else ''}://{PAYMENT_HOST}").rstrip("/")
# Newsletter sign-ups count once confirmed from the mailed link, which expires after this many seconds.
NEWSLETTER_CONFIRM_MAX_AGE_S = env.int("NEWSLETTER_CONFIRM_MAX_AGE_S", default=3 * 24 * 3600)
# Deliveries of one notification mail before it is marked failed (a transient SMTP error retries).
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=5)
