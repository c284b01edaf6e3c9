"""The console stays readable: a refused request is one line (no traceback, printed once), a server error keeps
its traceback (printed once), and the embedded broker's URL names its host (kombu warned "No hostname was
supplied" each time a connection was made)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, worker_env
from tests.factories import UserFactory

REQUESTS = """
import django
django.setup()
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.utils.log import log_response

client = Client()
client.force_login(get_user_model().objects.get(pk={pk}))
assert client.get("/staff/palettes/", HTTP_HOST="127.0.0.1").status_code == 403  # a learner on the review queue
try:
    raise RuntimeError("boom")
except RuntimeError as exc:  # what Django's handler logs for an unhandled exception
    log_response("Internal Server Error: %s", "/boom", response=HttpResponse(status=500),
                 request=RequestFactory().get("/boom"), exception=exc)
"""


@pytest.mark.django_db(transaction=True)
def test_a_403_is_one_line_without_traceback_and_a_500_keeps_one_traceback():
    learner = UserFactory()
    env = worker_env({"DJANGO_SETTINGS_MODULE": "courseplatform.settings.dev", "DEBUG": "true"})  # as `make run`
    result = subprocess.run([sys.executable, "-c", REQUESTS.format(pk=learner.pk)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    log = result.stderr
    assert log.count("Forbidden (Permission denied): /staff/palettes/") == 1, log
    assert "PermissionDenied" not in log, log
    assert log.count("Internal Server Error: /boom") == 1 and log.count("Traceback") == 1, log
    assert "RuntimeError: boom" in log


BROKER = """
import logging
logging.basicConfig()
from workers import app
connection = app.connection_for_write()
print(type(connection.transport).__module__, connection.as_uri())
connection._info()  # what the worker banner, beat and every producer call
"""


def test_the_default_embedded_broker_url_names_its_host(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CELERY_BROKER_URL", "DATABASE_URL")}
    env.update({"DJANGO_SETTINGS_MODULE": "courseplatform.settings.dev", "VAR_DIR": str(tmp_path),
                "PYTHONPATH": str(ROOT)})
    result = subprocess.run([sys.executable, "-c", BROKER], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    module, uri = result.stdout.split()
    assert module == "workers.broker" and uri.endswith("@localhost//")  # the embedded filesystem transport
    assert "No hostname was supplied" not in result.stderr, result.stderr
