"""The recommender's part of exporting and erasing a person (the core's ``personal_data_*`` hooks).

A person's id lives in the materialised feed rows (``FeedItem``) and in each saved model's ``ids.json`` (the
learner id of every matrix row). Erasure deletes the rows and blanks the id in every saved artifact (the row
becomes nameless: ``materialise`` writes no feed for it), so no artifact or feed row refers to the person; the
next training does not see them at all (their events are detached from them by the core).
"""

import hashlib
import json
import os
import shutil
from pathlib import Path

from django.db import transaction

from courseplatform.storage import local_path, save_replacing, storage_for

from . import artifacts
from . import cache as feed_cache
from .models import FeedItem, ModelVersion


def feed_export(user) -> dict[str, list[dict]]:
    """The courses the recommender picked for ``user``, per model version, with their reasons."""
    rows = (FeedItem.objects.filter(user=user).order_by("version_id", "rank")
            .values("version_id", "rank", "course_id", "course__title", "score", "reason_code"))
    return {"recommender.feed": [dict(row) for row in rows]}


def _rewrite(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.chmod(tmp, 0o444)
    os.replace(tmp, path)


def _artifact_io(ref: str):
    """``(read(name) -> bytes, write(name, bytes))`` for the files of a saved version: a directory on this disk
    (versions saved before the artifacts storage), else its key in ``STORAGES["artifacts"]``; this machine's
    downloaded copy of a changed artifact is dropped (it is fetched again on next use)."""
    if os.path.isabs(ref):
        base = Path(ref)
        return (lambda name: (base / name).read_bytes()), (lambda name, data: _rewrite(base / name, data))
    storage = storage_for("artifacts")

    def read(name: str) -> bytes:
        with storage.open(f"{ref}/{name}", "rb") as handle:
            return handle.read()

    def write(name: str, data: bytes) -> None:
        stored = save_replacing(storage, f"{ref}/{name}", data)  # replaces the object, never adds a copy
        local = local_path(storage, stored)
        if local is not None:
            os.chmod(local, 0o444)
        shutil.rmtree(artifacts.cache_dir() / ref, ignore_errors=True)

    return read, write


def artifact_forget(ref: str, user_id: int) -> bool:
    """Blank ``user_id`` in a saved model's ``ids.json`` (and its sha256 in ``metadata.json``). Returns
    whether it was there."""
    read, write = _artifact_io(ref)
    try:
        meta = json.loads(read("metadata.json"))
        ids_name = meta.get("ids_file", artifacts.IDS_FILE)
        ids = json.loads(read(ids_name))
    except (OSError, ValueError):
        return False
    target = str(user_id)
    users = ids.get("user_ids", [])
    if not any(u is not None and str(u) == target for u in users):
        return False
    ids["user_ids"] = [None if u is not None and str(u) == target else u for u in users]
    raw = json.dumps(ids).encode()
    write(ids_name, raw)
    meta["ids_sha256"] = hashlib.sha256(raw).hexdigest()
    write("metadata.json", json.dumps(meta, indent=2, sort_keys=True).encode())
    return True


def artifacts_forget(user_id: int) -> int:
    """:func:`artifact_forget` over every saved version; returns how many named the person."""
    refs = ModelVersion.objects.exclude(artifact_dir="").values_list("artifact_dir", flat=True)
    return sum(artifact_forget(ref, user_id) for ref in refs)


def person_erase(user) -> dict[str, int]:
    user_id = user.pk
    deleted, _ = FeedItem.objects.filter(user_id=user_id).delete()

    def after_commit() -> None:  # files cannot be rolled back: only once the erasure is final
        artifacts_forget(user_id)
        feed_cache.invalidate_user(user_id)

    transaction.on_commit(after_commit)
    return {"recommender.feed_items": deleted}
