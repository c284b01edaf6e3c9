"""Lesson media live outside MEDIA_ROOT: nothing serves them but the permission-checked view (``views_media``),
so guessing a file name gets nobody a byte. Stored on ``STORAGES["private"]``: this local directory by default,
a private prefix of the S3 bucket with ``STORAGE_BACKEND=s3``."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage

from courseplatform.storage import storage_for


class PrivateStorage(FileSystemStorage):
    """``settings.LEARNING_MEDIA_ROOT``, read on each use (tests move it); no URL."""

    @property
    def base_location(self) -> str:
        return str(settings.LEARNING_MEDIA_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("lesson media have no public URL: use the lesson media views")


def private_storage_callable() -> Storage:
    """The fields' storage: ``STORAGES["private"]``, looked up lazily (settings may change in tests)."""
    return storage_for("private")


#: the same storage, for code that reads lesson media (exports)
private_storage = storage_for("private")
