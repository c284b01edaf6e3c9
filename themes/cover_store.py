"""Covers in the platform: content-hashed files under MEDIA_ROOT/covers, rendered on first use.

The file name is the renderer's ``cover_hash`` of (title, subtitle, palette, layout, size, format, renderer
version), so a changed input yields a new file and a new URL; old files are never overwritten.
"""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

SIZES = {"card": (1280, 720), "social": (1200, 630), "thumb": (480, 270)}
DEFAULT_ROLES = {
    "background": "#ffffff", "surface": "#f4f6f8", "text": "#1b1f24",
    "primary": "#1e63c4", "secondary": "#4b5563", "accent": "#b4235a",
}


@dataclass(frozen=True)
class StoredCover:
    path: Path
    digest: str
    content_type: str = "image/webp"


def layout_for(course) -> str:
    from .plugins import COVER_LAYOUTS

    for name in (course.cover_layout, course.storefront.default_cover_layout):
        if name and name in COVER_LAYOUTS:
            return name
    return COVER_LAYOUTS.keys()[0]


def cover_spec(course, size: str, *, layout: str | None = None, roles: dict | None = None):
    from themes.covers import CoverSpec

    from .selectors import active_palette_roles

    return CoverSpec(
        title=course.title,
        subtitle=course.subtitle,
        creator=str(course.storefront.name),
        category=str(course.category.name),
        course_id=course.pk or 0,
        palette=roles or active_palette_roles(course.storefront) or DEFAULT_ROLES,
        layout=layout or layout_for(course),
        size=SIZES[size],
        format="webp",
    )


def renderable_spec(course, size: str, **kwargs):
    """The cover spec, falling back to the storefront name when the title cannot be drawn (e.g. empty)."""
    from dataclasses import replace

    spec = cover_spec(course, size, **kwargs)
    try:
        spec.validated()
    except ValueError:
        spec = replace(spec, title=str(course.storefront.name) or "—", subtitle="")
    return spec


def cover_digest(course, size: str) -> str:
    from themes.covers import cover_hash

    return cover_hash(renderable_spec(course, size))


def _render(spec) -> bytes:
    from themes.covers import get_layout, register_layout, render_cover_bytes

    from .plugins import COVER_LAYOUTS

    try:
        get_layout(spec.layout)
    except (KeyError, ValueError):  # a plugin layout the renderer has not seen yet
        register_layout(COVER_LAYOUTS[spec.layout])
    return render_cover_bytes(spec).data


def render_preview(course, layout: str, size: str = "thumb") -> bytes:
    """Render (not store) a cover for the layout picker's preview."""
    return _render(renderable_spec(course, size, layout=layout))


def cover_for(course, size: str) -> StoredCover:
    from themes.covers import cover_hash

    spec = renderable_spec(course, size)
    digest = cover_hash(spec)
    path = Path(settings.MEDIA_ROOT) / "covers" / digest[:2] / f"{digest}.webp"
    if not path.exists():
        data = _render(spec)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{id(data)}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)  # atomic: a reader never sees half a file
    return StoredCover(path=path, digest=digest)
