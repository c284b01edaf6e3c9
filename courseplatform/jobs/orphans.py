"""Files no row points at any more (a replaced logo whose delete failed, a deleted lesson's video) are removed.

Every model's ``FileField`` is read from the app registry, so an app (core or plugin) that adds one is covered
without naming it here. Only the fixed folder in front of each field's ``upload_to`` is scanned, in that field's
storage (local disk or S3 alike, through Django's storage API): covers, model artifacts and exports live elsewhere
and have their own life cycles. A file younger than the grace period is kept, as its row may not be committed yet.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone

from courseplatform.storage import walk_files

logger = logging.getLogger(__name__)


def _prefix(upload_to) -> str | None:
    """The fixed folder of a string ``upload_to`` ("videos/%Y/%m/" -> "videos/"); None for a callable."""
    if not isinstance(upload_to, str) or not upload_to:
        return None
    fixed = upload_to.split("%", 1)[0]
    return fixed[: fixed.rfind("/") + 1] or None


def _fields() -> list[tuple[type[models.Model], models.FileField]]:
    return [(model, field) for model in apps.get_models() for field in model._meta.get_fields()
            if isinstance(field, models.FileField) and not field.many_to_many]


def orphaned_media_delete(*, grace: timedelta | None = None) -> int:
    """Delete files under the file fields' folders that no row references and that are older than ``grace``
    (default ``MEDIA_ORPHAN_GRACE_HOURS``). Returns how many were deleted."""
    grace = timedelta(hours=settings.MEDIA_ORPHAN_GRACE_HOURS) if grace is None else grace
    cutoff = timezone.now() - grace
    folders: dict[tuple[int, str], tuple] = {}
    referenced: dict[int, set[str]] = defaultdict(set)
    for model, field in _fields():
        storage = field.storage
        prefix = _prefix(field.upload_to)
        if prefix is None:
            continue
        folders[(id(storage), prefix)] = (storage, prefix)
        names = model._base_manager.exclude(**{field.name: ""}).values_list(field.name, flat=True)
        referenced[id(storage)].update(name for name in names.iterator() if name)
    deleted = 0
    for (key, prefix), (storage, _same) in sorted(folders.items(), key=lambda kv: kv[0][1]):
        names = list(walk_files(storage, prefix))  # nothing when nothing was uploaded there yet
        for name in names:
            if name in referenced[key]:
                continue
            try:
                if storage.get_modified_time(name) > cutoff:
                    continue
                storage.delete(name)
                deleted += 1
            except (FileNotFoundError, OSError):
                logger.warning("could not delete orphaned media %s", name, exc_info=True)
    return deleted
