"""Uploaded files that no row references are deleted on the beat schedule, once older than the grace period;
referenced files, young files and files outside the file fields' folders (covers, artifacts) stay."""

import os
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from courseplatform.jobs import tasks
from courseplatform.learning.models import Lesson, Section
from workers import app
from workers.routing import beat_schedule

pytestmark = pytest.mark.django_db
DAY = 24 * 3600


def _age(storage, name: str, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(storage.path(name), (then, then))


def test_beat_cleans_orphaned_media_daily_by_default():
    entry = beat_schedule()["clean-orphaned-media"]
    assert entry["task"] == "jobs.clean_orphaned_media" and entry["schedule"] == DAY
    assert "jobs.clean_orphaned_media" in app.tasks


def test_only_old_files_no_row_references_are_deleted(storefront, course, settings, tmp_path):
    settings.MEDIA_ROOT, settings.LEARNING_MEDIA_ROOT = tmp_path / "media", tmp_path / "private"
    storefront.logo.save("brand.png", ContentFile(b"\x89PNG kept"), save=True)
    kept = storefront.logo.name
    orphan = default_storage.save("storefronts/logos/replaced.png", ContentFile(b"old logo"))
    young = default_storage.save("storefronts/logos/uploading.png", ContentFile(b"row not committed yet"))
    cover = default_storage.save("covers/ab/cover.webp", ContentFile(b"content-addressed cover"))
    for name in (kept, orphan, cover):
        _age(default_storage, name, 3 * DAY)

    section = Section.objects.create(course=course, title="S", position=1)
    lesson = Lesson(section=section, title="Clip", kind="attachment", position=1)
    lesson.attachment.save("notes.pdf", ContentFile(b"%PDF-1.4 kept"), save=True)
    private = Lesson._meta.get_field("attachment").storage
    gone = private.save("files/2026/01/deleted-lesson.pdf", ContentFile(b"%PDF-1.4 orphan"))
    for name in (lesson.attachment.name, gone):
        _age(private, name, 3 * DAY)

    assert tasks.clean_orphaned_media() == 2

    assert default_storage.exists(kept) and default_storage.exists(young) and default_storage.exists(cover)
    assert not default_storage.exists(orphan)
    assert private.exists(lesson.attachment.name) and not private.exists(gone)

