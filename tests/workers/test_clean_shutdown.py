"""`make run`'s processes stop cleanly on Ctrl-C: honcho (the Procfile's worker, gpu and beat lines, on the embedded
filesystem broker) sends SIGTERM to each process group and every process exits 0 before honcho resorts to
SIGKILL, pool processes included; no "No hostname was supplied" warning on the way.

Before: SIGTERM reached the prefork pool processes too; one killed while holding the pool's queue lock
deadlocked the worker at exit, and the filesystem transport's 2 s waits kept even an idle worker past honcho's
5 s, so honcho SIGKILLed the default worker every time.
"""

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, wait_for, worker_env

pytestmark = pytest.mark.worker
PROCESSES = ("worker", "gpu", "beat")


@pytest.fixture
def honcho_log(tmp_path: Path, transactional_db):
    env = worker_env({"DJANGO_SETTINGS_MODULE": "courseplatform.settings.dev", "DEBUG": "false",
                      "VAR_DIR": str(tmp_path / "var")})
    for name in ("REDIS_URL", "CELERY_BROKER_URL", "TEST_CELERY_BROKER_URL"):
        env.pop(name, None)  # the embedded broker, as on a fresh machine
    log = tmp_path / "honcho.log"
    honcho = shutil.which("honcho", path=str(Path(sys.executable).parent)) or "honcho"
    proc = subprocess.Popen([honcho, "start", "-f", str(ROOT / "Procfile"), *PROCESSES], cwd=ROOT, env=env,
                            stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield proc, log
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)


def test_ctrl_c_stops_every_worker_process_cleanly_without_sigkill(honcho_log):
    proc, log = honcho_log
    wait_for(lambda: log.read_text().count(" ready.") >= 2 and "beat: Starting" in log.read_text(), timeout=180)
    os.kill(proc.pid, signal.SIGINT)  # what Ctrl-C in the terminal delivers to honcho
    proc.wait(timeout=120)
    text = log.read_text()
    assert "sending SIGKILL" not in text, text[-4000:]
    for name in PROCESSES:
        assert f"{name}.1 stopped (rc=0)" in text, text[-4000:]
    assert "exited with 'signal 15" not in text, "pool processes were killed instead of stopped"
    assert "No hostname was supplied" not in text
    assert "Warm shutdown" in text
