"""Course covers in an experiment variant's palette: stored exactly like the platform's covers (content-hashed
files under MEDIA_ROOT/covers, never overwritten), only the palette differs."""

from pathlib import Path

from django.conf import settings


def variant_cover_spec(course, size: str, palette):
    from themes import cover_store

    return cover_store.renderable_spec(course, size, roles=dict(palette.colors))


def variant_cover_digest(course, size: str, palette) -> str:
    from themes.covers import cover_hash

    return cover_hash(variant_cover_spec(course, size, palette))


def variant_cover_for(course, size: str, palette):
    from themes import cover_store
    from themes.covers import cover_hash

    spec = variant_cover_spec(course, size, palette)
    digest = cover_hash(spec)
    path = Path(settings.MEDIA_ROOT) / "covers" / digest[:2] / f"{digest}.webp"
    if not path.exists():
        data = cover_store._render(spec)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{id(data)}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    return cover_store.StoredCover(path=path, digest=digest)
