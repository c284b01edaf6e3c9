import os
import subprocess
import sys
from pathlib import Path

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
             "ALLOWED_HOSTS": "courses.example.com"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


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
    assert out == "filesystem:// True"
