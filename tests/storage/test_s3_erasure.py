"""Erasing a person blanks their id in every saved model's ``ids.json`` also when the artifacts live in the
object store (the bucket keeps names: a second save under a taken name must replace the object, not add one)."""

import json
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from courseplatform.storage import storage_for
from recommender import personal_data

pytestmark = pytest.mark.django_db


def test_erasure_blanks_the_person_in_an_artifact_stored_in_the_bucket(s3_storages_on, s3_server):
    storage = storage_for("artifacts")
    storage.save("models/7/ids.json", ContentFile(json.dumps({"user_ids": [41, 42, 43], "item_ids": [1]}).encode()))
    storage.save("models/7/metadata.json", ContentFile(json.dumps({"ids_file": "ids.json", "sha256": "x"}).encode()))

    assert personal_data.artifact_forget("models/7", 42)

    body = s3_server.client().get_object(Bucket=s3_storages_on, Key="artifacts/models/7/ids.json")["Body"].read()
    assert json.loads(body)["user_ids"] == [41, None, 43]
    assert s3_server.keys(s3_storages_on, "artifacts/models/7/") == ["artifacts/models/7/ids.json",
                                                                      "artifacts/models/7/metadata.json"]
    meta = json.loads(s3_server.client().get_object(Bucket=s3_storages_on,
                                                    Key="artifacts/models/7/metadata.json")["Body"].read())
    assert "ids_sha256" in meta


def test_another_machines_cached_copy_forgets_the_person_too(s3_storages_on, s3_server, settings, tmp_path):
    """A machine that downloaded the artifact before the erasure fetches it again: its copy's metadata no longer
    matches the stored one (the weights did not change, ids.json did)."""
    from recommender import artifacts
    from tests.recommender.factories import ModelVersionFactory

    storage = storage_for("artifacts")
    storage.save("models/8/ids.json", ContentFile(json.dumps({"user_ids": [41, 42], "item_ids": [1]}).encode()))
    storage.save("models/8/weights.pt", ContentFile(b"weights"))
    storage.save("models/8/metadata.json", ContentFile(json.dumps({"ids_file": "ids.json", "sha256": "w"}).encode()))
    version = ModelVersionFactory(artifact_dir="models/8", sha256="w")
    settings.VAR_DIR = tmp_path / "other-machine"
    copy = artifacts.local_dir(version)
    assert json.loads((copy / "ids.json").read_text())["user_ids"] == [41, 42]

    settings.VAR_DIR = tmp_path / "erasing-machine"
    assert personal_data.artifact_forget("models/8", 42)

    settings.VAR_DIR = tmp_path / "other-machine"
    assert json.loads((artifacts.local_dir(version) / "ids.json").read_text())["user_ids"] == [41, None]


def test_a_copy_downloaded_while_the_person_is_erased_is_fetched_again(s3_storages_on, settings, tmp_path):
    """The erasure rewrites ids.json, then metadata.json. A machine downloading the artifact meanwhile that took
    the old ids.json and the new metadata.json must not keep that copy: it names the person, and its ids no
    longer match their sha256 (every later load failed)."""
    from recommender import artifacts
    from recommender.training import _saved_ids
    from tests.recommender.factories import ModelVersionFactory

    storage = storage_for("artifacts")
    storage.save("models/9/ids.json", ContentFile(json.dumps({"user_ids": [41, 42], "item_ids": [1]}).encode()))
    storage.save("models/9/weights.pt", ContentFile(b"weights"))
    storage.save("models/9/metadata.json", ContentFile(json.dumps({"ids_file": "ids.json", "sha256": "w"}).encode()))
    assert personal_data.artifact_forget("models/9", 41)  # a sha256 of ids.json in the metadata, as after a save
    version = ModelVersionFactory(artifact_dir="models/9", sha256="w")
    settings.VAR_DIR = tmp_path / "downloading-machine"
    storage_class = type(storages["artifacts"])
    opened = storage_class.open

    def open_then_erase(self, name, mode="rb"):
        handle = opened(self, name, mode)
        if name == "models/9/ids.json" and not erased:
            erased.append(True)
            handle = ContentFile(handle.read())  # this download's bytes: the ones before the erasure
            settings.VAR_DIR = tmp_path / "erasing-machine"
            assert personal_data.artifact_forget("models/9", 42)
            settings.VAR_DIR = tmp_path / "downloading-machine"
        return handle

    erased: list[bool] = []
    with mock.patch.object(storage_class, "open", open_then_erase):
        artifacts.local_dir(version)
    assert erased
    assert _saved_ids(version)["user_ids"] == [None, None]
