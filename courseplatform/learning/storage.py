"""Lesson media live outside MEDIA_ROOT: nothing serves them but the permission-checked view (``views_media``),
so guessing a file name gets nobody a byte."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


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


private_storage = PrivateStorage()


def private_storage_callable() -> PrivateStorage:
    return private_storage
