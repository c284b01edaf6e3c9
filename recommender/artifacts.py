"""Trained models' artifacts on ``STORAGES["artifacts"]`` (``models/<version id>/``): ``ARTIFACTS_ROOT`` (else
``VAR_DIR``) on this machine's disk, or the object store every worker shares (``STORAGE_BACKEND=s3``). The engine
reads and writes plain directories, so a model is saved into a local scratch directory and stored file by file,
and loaded from the storage's own directory on a local disk, else from this machine's copy (``cache_dir``).
"""

import hashlib
import json
import os
import shutil
import tempfile
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files import File

from courseplatform.storage import delete_tree, local_path, storage_for, walk_files

IDS_FILE = "ids.json"


def cache_dir() -> Path:
    """Where local copies of artifacts live when the artifacts storage is not this machine's disk."""
    return Path(settings.ARTIFACTS_CACHE_DIR or Path(settings.VAR_DIR) / "cache" / "artifacts")


def save(model, version_id: int, data) -> tuple[str, str]:
    """Save into a local temporary directory, then store its files under ``models/<id>/`` of the artifacts storage
    (``metadata.json`` last: a reader finds no half-stored model). Returns (storage key, sha256).

    Besides the engine's ``weights.pt`` + ``metadata.json`` the directory holds ``ids.json`` (learner and course
    ids of the matrix rows and columns, sha256 in the metadata), so a version's feeds can be rebuilt later.
    Files left by a delivery that died half-way are deleted first: the version was never servable.
    """
    storage = storage_for("artifacts")
    key = f"models/{version_id}"
    delete_tree(storage, key)
    with tempfile.TemporaryDirectory(prefix=f"model-{version_id}-") as scratch:
        tmp = Path(scratch) / "model"
        model.save(tmp)
        ids = json.dumps({"user_ids": list(data.user_ids), "item_ids": list(data.item_ids)}).encode()
        (tmp / IDS_FILE).write_bytes(ids)
        meta = json.loads((tmp / "metadata.json").read_text(encoding="utf-8"))
        meta["version_id"] = version_id
        meta["ids_file"], meta["ids_sha256"] = IDS_FILE, hashlib.sha256(ids).hexdigest()
        (tmp / "metadata.json").write_text(json.dumps(meta, indent=2, sort_keys=True), encoding="utf-8")
        for path in sorted(tmp.iterdir(), key=lambda p: p.name == "metadata.json"):
            with path.open("rb") as handle:
                stored = storage.save(f"{key}/{path.name}", File(handle))
            local = local_path(storage, stored)
            if local is not None:
                os.chmod(local, 0o444)  # immutable
    return key, str(meta["sha256"])


def local_dir(version) -> Path:
    """A local directory holding the version's artifact: the artifacts storage's own directory on a local disk,
    else this machine's copy, downloaded on first use and again when the stored ``metadata.json`` differs from
    the copy's (a new sha256 of the weights or of ``ids.json``)."""
    ref = version.artifact_dir
    if os.path.isabs(ref):  # saved before artifacts went through a storage
        return Path(ref)
    storage = storage_for("artifacts")
    local = local_path(storage, ref)
    if local is not None:
        return local
    copy = cache_dir() / ref
    try:
        cached = (copy / "metadata.json").read_bytes()
        meta = json.loads(cached)
        # the weights never change, but ids.json does (a person's erasure blanks their id, and metadata.json
        # records its new sha256): a copy whose metadata differs from the stored one is fetched again
        if (not version.sha256 or meta.get("sha256") == version.sha256) and cached == _stored_metadata(storage, ref):
            return copy
    except (OSError, ValueError):
        pass
    names = list(walk_files(storage, ref))
    if not names:
        return copy  # nothing stored: loading reports the missing artifact
    # metadata.json first, as writers store it last (save, an erasure's rewrite of ids.json): a copy that raced a
    # rewrite then holds the old metadata, differs from the stored one and is fetched again; taken last, it could
    # pair the new metadata with the old ids.json for good (the person still named, every load a sha256 mismatch)
    names.sort(key=lambda name: name != f"{ref.rstrip('/')}/metadata.json")
    tmp = copy.with_name(f".tmp-{copy.name}-{uuid.uuid4().hex[:8]}")
    for name in names:
        target = tmp / name[len(ref):].lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        with storage.open(name, "rb") as source, target.open("wb") as out:
            shutil.copyfileobj(source, out, 1024 * 1024)
    if copy.exists():
        shutil.rmtree(copy, ignore_errors=True)
    try:
        os.rename(tmp, copy)
    except OSError:  # another process on this machine put its copy there first
        shutil.rmtree(tmp, ignore_errors=True)
    return copy


def _stored_metadata(storage, ref: str) -> bytes | None:
    try:
        with storage.open(f"{ref}/metadata.json", "rb") as handle:
            return handle.read()
    except OSError:
        return None


def delete(key: str) -> None:
    """Remove a stored artifact (a half-written version's)."""
    delete_tree(storage_for("artifacts"), key)
