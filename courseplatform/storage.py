"""Files through Django's storage API, so every node of a deployment sees the same media and artifacts.

Three aliases in ``settings.STORAGES`` (README, "Storage"): ``default`` (public media: logos, covers),
``private`` (lesson media: served only by the permission-checked lesson views) and ``artifacts`` (trained
recommender models). Local disk by default; ``STORAGE_BACKEND=s3`` puts all three in an S3 bucket
(django-storages), each under its own prefix.
"""

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty
from storages.utils import clean_name

__all__ = ["clean_name", "delete_tree", "local_path", "save_immutable", "save_replacing", "storage_for",
           "walk_files"]


class VarDirStorage(FileSystemStorage):
    """Local files under ``settings.<setting>``, else ``VAR_DIR``, read on each use (tests move ``VAR_DIR``);
    no public URL."""

    def __init__(self, setting: str = "ARTIFACTS_ROOT", **kwargs) -> None:
        self.setting = setting
        super().__init__(**kwargs)

    @property
    def base_location(self) -> str:
        return str(getattr(settings, self.setting, "") or settings.VAR_DIR)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError(f"files of {self.setting} have no public URL")


class StorageAlias(LazyObject):
    """``storages[alias]``, looked up on first use and again after a test changes ``STORAGES``.

    A model field's callable storage is evaluated once at import; handing it this proxy keeps the field
    on whatever backend the settings name.
    """

    def __init__(self, alias: str) -> None:
        self.__dict__["alias"] = alias
        super().__init__()

    def _setup(self) -> None:
        self._wrapped = storages[self.__dict__["alias"]]


_ALIASES: dict[str, StorageAlias] = {}


def storage_for(alias: str) -> Storage:
    """The (lazy) storage of an alias in ``settings.STORAGES``."""
    if alias not in _ALIASES:
        _ALIASES[alias] = StorageAlias(alias)
    return _ALIASES[alias]  # type: ignore[return-value]


@receiver(setting_changed)
def _forget_storages(setting: str, **kwargs) -> None:
    if setting in {"STORAGES", "MEDIA_ROOT", "VAR_DIR", "ARTIFACTS_ROOT", "LEARNING_MEDIA_ROOT"}:
        for proxy in _ALIASES.values():
            proxy._wrapped = empty


def local_path(storage: Storage, name: str) -> Path | None:
    """The file's path when the storage is on this machine's disk, else ``None`` (an object store)."""
    try:
        return Path(storage.path(name))
    except NotImplementedError:
        return None


def save_immutable(storage: Storage, name: str, data: bytes) -> str:
    """Store bytes under exactly ``name`` (content-addressed names: same name, same bytes).

    On a local disk the file is written beside its name and renamed into place, so a reader on another
    process never sees half a file; an object store's PUT is atomic already.
    """
    path = local_path(storage, name)
    if path is None:
        saved = storage.save(name, ContentFile(data))
        if saved != name:  # another process stored the same name (so the same bytes) first
            storage.delete(saved)
        return name
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return name


def save_replacing(storage: Storage, name: str, data: bytes) -> str:
    """Store bytes under exactly ``name``, replacing the file there (a rewritten file, unlike
    :func:`save_immutable`'s content-addressed ones). ``storage.save`` would keep the old object and store the
    new bytes under another name on an object store that does not overwrite (``file_overwrite=False``)."""
    if local_path(storage, name) is not None:
        return save_immutable(storage, name, data)  # written beside and renamed over: readers see old or new
    with storage.open(name, "wb") as handle:  # one PUT of exactly this key
        handle.write(data)
    return name


def walk_files(storage: Storage, prefix: str) -> Iterator[str]:
    """Every file name under ``prefix`` (recursively); nothing when it does not exist."""
    try:
        dirs, files = storage.listdir(prefix)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        yield f"{prefix.rstrip('/')}/{name}"
    for sub in dirs:
        yield from walk_files(storage, f"{prefix.rstrip('/')}/{sub}")


def delete_tree(storage: Storage, prefix: str) -> None:
    """Delete every file under ``prefix`` (and the emptied directories on a local disk)."""
    for name in list(walk_files(storage, prefix)):
        storage.delete(name)
    path = local_path(storage, prefix)
    if path is not None and path.is_dir():
        for sub in sorted(path.rglob("*"), reverse=True):
            if sub.is_dir():
                sub.rmdir()
        path.rmdir()
