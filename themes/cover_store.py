"""Covers in the platform: content-hashed files under ``covers/`` of the default storage (MEDIA_ROOT, or the
object store every node shares), rendered on first use.

The file name is the renderer's ``cover_hash`` of (title, subtitle, palette, layout, size, format, logo, renderer
version), so a changed input yields a new file and a new URL; old files are never overwritten.

Layouts with a logo box ("Split with logo") get the storefront's uploaded logo: its bytes, checked once with the
renderer's safe loader (``load_logo``: PNG/JPEG/WebP only, bomb and truncation checks, EXIF orientation applied,
alpha kept), which the renderer decodes the same way. The hash covers the logo bytes, so a new logo yields a new
cover URL; a logo that cannot be read or decoded is left out (the layout draws its monogram) rather than failing
the cover. Other layouts never see the logo, so uploading one leaves their URLs alone.
"""

import logging
from collections import OrderedDict
from dataclasses import dataclass, replace
from pathlib import Path
from threading import Lock

from django.core.files.storage import default_storage
from django.urls import reverse

from courseplatform.storage import save_immutable

from .plugins import COVER_LAYOUTS
from .selectors import active_palette_roles, visitor_palette

logger = logging.getLogger(__name__)

SIZES = {"card": (1280, 720), "social": (1200, 630), "thumb": (480, 270)}
DEFAULT_ROLES = {
    "background": "#ffffff", "surface": "#f4f6f8", "text": "#1b1f24",
    "primary": "#1e63c4", "secondary": "#4b5563", "accent": "#b4235a",
}


@dataclass(frozen=True)
class StoredCover:
    name: str  # in the default storage
    digest: str
    content_type: str = "image/webp"

    @property
    def path(self) -> Path:
        """The file on this machine's disk (local storage only)."""
        return Path(default_storage.path(self.name))

    def read(self) -> bytes:
        with default_storage.open(self.name, "rb") as handle:
            return handle.read()


def default_layout(storefront) -> str:
    """The storefront's default cover layout when it is registered, else the first registered one."""
    name = storefront.default_cover_layout
    return name if name and name in COVER_LAYOUTS else COVER_LAYOUTS.keys()[0]


def layout_for(course) -> str:
    if course.cover_layout and course.cover_layout in COVER_LAYOUTS:
        return course.cover_layout
    return default_layout(course.storefront)


def cover_text(course) -> dict:
    """What a saved course contributes to its cover besides the storefront: the keyword arguments of
    :func:`render_preview` (so the preview of a saved course and its stored cover are the same bytes). The category
    label is the category's name in the active language (a Chinese page's covers say 设计, not Design); it is part
    of the cover hash, so each language has its own cover URL."""
    return {"title": course.title, "subtitle": course.subtitle, "category": str(course.category),
            "course_id": course.pk or 0}


def layout_uses_logo(layout: str) -> bool:
    """Whether the registered layout draws a logo (it has a logo box)."""
    return getattr(COVER_LAYOUTS.get(layout), "logo_box", None) is not None


#: (storefront pk, logo file name) -> the logo's bytes when ``load_logo`` accepts them, else ``None``: a small
#: per-process memo, so a page of course cards reads (and decodes) a storefront's logo once, not once per card
#: (each card's storefront is its own instance). An upload gets a new file name, so it is a new key.
_LOGOS: OrderedDict[tuple[int, str], bytes | None] = OrderedDict()
_LOGOS_MAX = 16  # logos are at most MAX_LOGO_BYTES each
_LOGO_LOCK = Lock()


def _logo_decodes(data: bytes) -> bool:
    from themes.covers import LogoError, load_logo

    try:
        load_logo(data).close()
    except LogoError as error:
        logger.warning("storefront logo refused for covers: %s", error)
        return False
    return True


def storefront_logo(storefront) -> bytes | None:
    """The storefront's uploaded logo as bytes the renderer's safe loader accepts, or ``None`` (no logo, a missing
    file, or one ``load_logo`` refuses). Memoised per process per (storefront, stored file name): an upload gets a
    new file name, so it is read afresh; a file that cannot be read is not memoised (tried again next time)."""
    field = storefront.logo
    if not (field and field.name):
        return None
    key = (storefront.pk, field.name)
    with _LOGO_LOCK:
        if storefront.pk is not None and key in _LOGOS:
            _LOGOS.move_to_end(key)
            return _LOGOS[key]
    from themes.covers import MAX_LOGO_BYTES

    try:
        with field.storage.open(field.name, "rb") as handle:
            data = handle.read(MAX_LOGO_BYTES + 1)
    except (OSError, ValueError) as error:
        logger.warning("storefront %s: logo %r unreadable for covers: %s", storefront.pk, field.name, error)
        return None
    data = data if data and _logo_decodes(data) else None
    if storefront.pk is not None:
        with _LOGO_LOCK:
            _LOGOS[key] = data
            while len(_LOGOS) > _LOGOS_MAX:
                _LOGOS.popitem(last=False)
    return data


def _spec(storefront, size: str, *, title: str, subtitle: str, category: str, course_id: int, layout: str,
          roles: dict | None = None):
    from themes.covers import CoverSpec

    return CoverSpec(
        title=title,
        subtitle=subtitle,
        creator=str(storefront.name),
        category=category,
        course_id=course_id,
        logo=storefront_logo(storefront) if layout_uses_logo(layout) else None,
        palette=roles or active_palette_roles(storefront) or DEFAULT_ROLES,
        layout=layout,
        size=SIZES[size],
        format="webp",
    )


def _drawable(spec, storefront):
    """The spec, falling back to the storefront name when the title cannot be drawn (e.g. empty)."""
    try:
        spec.validated()
    except ValueError:
        spec = replace(spec, title=str(storefront.name) or "—", subtitle="")
    return spec


def cover_spec(course, size: str, *, layout: str | None = None, roles: dict | None = None):
    return _spec(course.storefront, size, layout=layout or layout_for(course), roles=roles, **cover_text(course))


def renderable_spec(course, size: str, **kwargs):
    """The cover spec, falling back to the storefront name when the title cannot be drawn (e.g. empty)."""
    return _drawable(cover_spec(course, size, **kwargs), course.storefront)


def cover_digest(course, size: str, roles: dict | None = None) -> str:
    from themes.covers import cover_hash

    return cover_hash(renderable_spec(course, size, roles=roles))


def _render(spec) -> bytes:
    from themes.covers import get_layout, register_layout, render_cover_bytes

    try:
        get_layout(spec.layout)
    except (KeyError, ValueError):  # a plugin layout the renderer has not seen yet
        register_layout(COVER_LAYOUTS[spec.layout])
    return render_cover_bytes(spec).data


def render_preview(storefront, layout: str, *, title: str, subtitle: str = "", category: str = "",
                   course_id: int = 0, size: str = "thumb") -> bytes:
    """Render (not store) a cover for the layout picker's preview, in the storefront's active palette.

    One function for both previews: a saved course's (``**cover_text(course)``, the same bytes as its stored
    cover in that layout) and the live preview of a title and subtitle typed into the course form (not saved;
    ``course_id`` 0 for a course that has none yet). ``layout`` must be registered (checked by the caller).
    """
    spec = _spec(storefront, size, title=title, subtitle=subtitle, category=category, course_id=course_id,
                 layout=layout)
    return _render(_drawable(spec, storefront))


def cover_for(course, size: str, roles: dict | None = None) -> StoredCover:
    """The course's stored cover (rendered on first use): in the storefront's active palette, or in ``roles``
    (an experiment variant's palette). Same content-hashed store either way; files are never overwritten."""
    from themes.covers import cover_hash

    spec = renderable_spec(course, size, roles=roles)
    digest = cover_hash(spec)
    name = f"covers/{digest[:2]}/{digest}.webp"
    if not default_storage.exists(name):
        save_immutable(default_storage, name, _render(spec))  # a reader never sees half a file
    return StoredCover(name=name, digest=digest)


def cover_url(course, size: str = "card", request=None) -> str:
    """The cover's URL; in the visitor's experiment variant palette when a palette A/B test runs on its
    storefront (``request`` given)."""
    variant = visitor_palette(request, course.storefront)
    if variant is not None:
        digest = cover_digest(course, size, roles=dict(variant.colors))
        return (reverse("themes:palette_variant_asset", args=[variant.pk, "cover.webp"])
                + f"?course={course.pk}&size={size}&v={digest[:16]}")
    digest = cover_digest(course, size)
    return reverse("themes:course_cover", args=[course.pk]) + f"?size={size}&v={digest[:16]}"
