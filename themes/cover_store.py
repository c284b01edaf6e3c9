"""Covers in the platform: content-hashed files under MEDIA_ROOT/covers, rendered on first use."""

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
    content_type: str


def cover_spec(course, size: str, roles: dict[str, str] | None = None):
    from themes.covers import CoverSpec

    from .selectors import active_palette_roles

    roles = roles or active_palette_roles(course.storefront) or DEFAULT_ROLES
    return CoverSpec(
        title=course.title,
        subtitle=course.subtitle,
        creator=str(course.storefront.name),
        category=course.category.name,
        course_id=course.pk,
        palette=roles,
        layout=getattr(course, "cover_layout", "") or "gradient-band",
        size=SIZES[size],
        format="webp",
    )


def cover_for(course, size: str) -> StoredCover:
    from themes.covers import cover_hash, render_cover_bytes

    spec = cover_spec(course, size)
    digest = cover_hash(spec)
    path = Path(settings.MEDIA_ROOT) / "covers" / digest[:2] / f"{digest}.webp"
    if not path.exists():
        data = render_cover_bytes(spec)
        if isinstance(data, tuple):
            data = data[0]
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)  # atomic: a reader never sees half a file
    return StoredCover(path=path, digest=digest, content_type="image/webp")
