"""Test settings: the base settings with fast password hashing and isolated media."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, env

DEBUG = False
INSTALLED_APPS = [*INSTALLED_APPS, "courseplatform.demo"]  # seed_demo
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=tempfile.mkdtemp(prefix="cp-media-")))
REST_FRAMEWORK = {**REST_FRAMEWORK}  # noqa: F405
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {"events": "1000/min", "events_ip": "5000/min", "feed": "1000/min"}
# quotas generous enough for suites that queue many jobs; tests/themes/test_quotas.py sets its own
PALETTE_JOBS_MAX_CONCURRENT, PALETTE_JOBS_PER_HOUR, COVER_PREVIEWS_PER_MINUTE = 50, 1000, 1000
# tests of impressions and exposures run as a consenting visitor; tests/privacy and the e2e banner test turn it on
PRIVACY_REQUIRE_CONSENT = False

# Worker processes started by tests must see the test database, so SQLite's test DB is a file; one per test
# run, so two runs on one checkout do not destroy each other's database (workers get its path explicitly).
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test_db_{os.getpid()}.sqlite3")}  # noqa: F405
# Tests talk to a real Redis broker (database 15, kept apart from development data).
CELERY_BROKER_URL = env("TEST_CELERY_BROKER_URL", default="redis://127.0.0.1:6379/15")
CELERY_BROKER_TRANSPORT = None  # base.py's embedded-broker transport (workers.broker) is for filesystem:// only
CELERY_BROKER_TRANSPORT_OPTIONS = {  # noqa: F405
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=10),
    "unacked_restore_interval": 1,  # reliability fix: scan for a dead worker's messages every second
    "unacked_restore_throttle": 1,
    "socket_timeout": 5,
    "socket_connect_timeout": 2,
    "max_retries": 1,
}
if CELERY_BROKER_URL.startswith("amqp://"):  # RabbitMQ (tests/reliability run on both): base.py's options
    CELERY_BROKER_TRANSPORT_OPTIONS = {"confirm_publish": True}
# A dead worker's palette job is taken over once its heartbeat is this old (tests/reliability).
JOBS_HEARTBEAT_STALE_S = env.int("JOBS_HEARTBEAT_STALE_S", default=4)
