"""A real S3-compatible server for the storage tests: moto's server mode (``moto_server``, from PyPI), started
once per test session on a free loopback port; every test gets its own bucket."""

import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from courseplatform.settings.object_storage import s3_storages
from tests.learning.conftest import course, enrolled, lessons  # noqa: F401  (a curriculum with video)

CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class S3Server:
    def __init__(self) -> None:
        binary = shutil.which("moto_server", path=str(Path(sys.executable).parent))
        if binary is None:  # a Python dependency, not a Debian package: `make test` installs requirements/dev.txt
            pytest.fail("moto_server is missing: pip install -r requirements/dev.txt (moto[server])", pytrace=False)
        self.port = _free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen([binary, "-H", "127.0.0.1", "-p", str(self.port)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, env={**os.environ, **CREDENTIALS},
                                     start_new_session=True)
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("moto_server did not start") from None
                time.sleep(0.1)

    def client(self):
        import boto3

        return boto3.client("s3", endpoint_url=self.endpoint, aws_access_key_id="testing",
                            aws_secret_access_key="testing", region_name="us-east-1")

    def new_bucket(self) -> str:
        name = f"cp-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name)
        return name

    def keys(self, bucket: str, prefix: str = "") -> list[str]:
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", []))

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture(scope="session")
def s3_server():
    server = S3Server()
    yield server
    server.stop()


@pytest.fixture
def s3_env(s3_server, monkeypatch) -> dict:
    """A fresh bucket; the environment (for this process's boto3 and for subprocesses) that selects it."""
    for key, value in CREDENTIALS.items():
        monkeypatch.setenv(key, value)
    bucket = s3_server.new_bucket()
    return {**CREDENTIALS, "STORAGE_BACKEND": "s3", "AWS_STORAGE_BUCKET_NAME": bucket,
            "AWS_S3_ENDPOINT_URL": s3_server.endpoint}


@pytest.fixture
def s3_storages_on(settings, s3_env) -> str:
    """This process's ``STORAGES`` on the bucket (what ``STORAGE_BACKEND=s3`` gives). Returns the bucket."""
    settings.STORAGES = s3_storages(s3_env["AWS_STORAGE_BUCKET_NAME"], endpoint_url=s3_env["AWS_S3_ENDPOINT_URL"],
                                    private_expire=settings.LEARNING_MEDIA_URL_EXPIRE_S)
    return s3_env["AWS_STORAGE_BUCKET_NAME"]
