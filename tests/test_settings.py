import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def manage(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
                               **(env or {})}, timeout=120)


def test_production_settings_pass_check_deploy_without_warnings():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING",
        env={"DJANGO_SETTINGS_MODULE": "courseplatform.settings.production",
             "SECRET_KEY": "p" * 10 + "Zq8#rT!x2$Lm9@Wv4^Nb7&Kc1*Hy6(Gs3)Fd0-Ja5+Ue",
             "ALLOWED_HOSTS": "courses.example.com", "STRIPE_SECRET_KEY": "sk_live_x", "STRIPE_WEBHOOK_SECRET": "whsec_x"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_refuses_the_dummy_payment_provider_unless_test_payments_are_allowed():
    env = {"DJANGO_SETTINGS_MODULE": "courseplatform.settings.production",
           "SECRET_KEY": "p" * 10 + "Zq8#rT!x2$Lm9@Wv4^Nb7&Kc1*Hy6(Gs3)Fd0-Ja5+Ue", "ALLOWED_HOSTS": "courses.example.com"}
    refused = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert refused.returncode != 0 and "commerce.E002" in refused.stderr + refused.stdout
    allowed = manage("check", "--deploy", "--fail-level", "WARNING", env={**env, "COMMERCE_ALLOW_TEST_PAYMENTS": "true"})
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr


def test_migrations_are_complete():
    result = manage("makemigrations", "--check", "--dry-run", env={"DJANGO_SETTINGS_MODULE": "courseplatform.settings.test"})
    assert result.returncode == 0, result.stdout + result.stderr


def test_database_url_comes_from_the_environment():
    code = ("import os; os.environ['DATABASE_URL']='postgres://u@db.example:5433/shop'; "
            "os.environ['DJANGO_SETTINGS_MODULE']='courseplatform.settings.dev'; "
            "from django.conf import settings; d=settings.DATABASES['default']; print(d['HOST'], d['PORT'], d['NAME'])")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    assert out == "db.example 5433 shop"


def test_without_redis_the_broker_is_the_embedded_filesystem_transport():
    code = ("import os; [os.environ.pop(k, None) for k in ('REDIS_URL','CELERY_BROKER_URL')]; "
            "os.environ['DJANGO_SETTINGS_MODULE']='courseplatform.settings.dev'; "
            "from django.conf import settings; print(settings.CELERY_BROKER_URL, settings.CELERY_TASK_ACKS_LATE)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    assert out == "filesystem://localhost// True"


REDELIVERY_BOUND_S = 60
REDELIVERY_PROBE = """
import json
from kombu.transport.redis import Channel
from django.conf import settings
from workers import app
o = app.conf.broker_transport_options or {}
print(json.dumps({
    "broker": app.conf.broker_url,
    "visibility_timeout": o.get("visibility_timeout", Channel.visibility_timeout),
    "interval": o.get("unacked_restore_interval", Channel.unacked_restore_interval),
    "throttle": o.get("unacked_restore_throttle", Channel.unacked_restore_throttle),
    "limit": o.get("unacked_restore_limit", Channel.unacked_restore_limit),
    "acks_late": app.conf.task_acks_late, "reject_on_worker_lost": app.conf.task_reject_on_worker_lost,
    "heartbeat_stale": settings.JOBS_HEARTBEAT_STALE_S,
}))
"""


@pytest.mark.parametrize("module", ["production", "dev"])
def test_with_redis_a_killed_workers_task_is_redelivered_within_a_minute(module):
    """Settings as deployed (REDIS_URL set, no CELERY_* overrides), read through the Celery app in a fresh
    interpreter. kombu restores an unacknowledged message once it is older than the visibility timeout, on a
    scan that runs every ``unacked_restore_interval`` x ``unacked_restore_throttle`` seconds (kombu's defaults
    where a key is missing: 3600 s and 10 x 10 s), so the worst case is their sum."""
    env = {k: v for k, v in os.environ.items()
           if k != "DJANGO_ALLOW_ASYNC_UNSAFE" and not k.startswith(("CELERY_", "JOBS_")) and k != "REDIS_URL"}
    env.update({"DJANGO_SETTINGS_MODULE": f"courseplatform.settings.{module}",
                "REDIS_URL": "redis://redis.internal:6379/0", "SECRET_KEY": "s" * 60,
                "ALLOWED_HOSTS": "courses.example.com"})
    result = subprocess.run([sys.executable, "-c", REDELIVERY_PROBE], cwd=ROOT, capture_output=True, text=True,
                            env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    conf = json.loads(result.stdout.strip().splitlines()[-1])
    assert conf["broker"] == "redis://redis.internal:6379/0", "REDIS_URL is the broker"
    assert conf["acks_late"] and conf["reject_on_worker_lost"]
    scan_every = conf["interval"] * conf["throttle"]
    assert conf["visibility_timeout"] + scan_every <= REDELIVERY_BOUND_S, conf
    assert conf["limit"] is None, "every expired message is restored by one scan"
    assert conf["heartbeat_stale"] < conf["visibility_timeout"], (
        "a redelivered job must find its dead owner's heartbeat stale (courseplatform/settings/base.py)")


def test_mail_links_follow_the_port_make_run_serves_on():
    code = ("import os; os.environ.pop('PAYMENT_HOST', None); os.environ.pop('SITE_URL', None); "
            "os.environ['PORT']='8765'; os.environ['DJANGO_SETTINGS_MODULE']='courseplatform.settings.dev'; "
            "from django.conf import settings; print(settings.PAYMENT_HOST, settings.SITE_URL)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    assert out == "localhost:8765 http://localhost:8765"
