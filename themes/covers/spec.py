"""Cover input (:class:`CoverSpec`), size/format constants, palette role fallback, text cleaning, content hash."""

from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from PIL import Image

from .wcag import RGB, contrast_ratio, mix, parse_hex, to_hex

# 1.1: shipped fonts (font_files/) draw CJK and Arabic everywhere; covers cached by 1.0 may have dropped them.
RENDERER_VERSION = "covers-1.1.0"

CARD_SIZE = (1280, 720)
SOCIAL_SIZE = (1200, 630)
THUMB_SIZE = (480, 270)
SIZES: dict[str, tuple[int, int]] = {"card": CARD_SIZE, "social": SOCIAL_SIZE, "thumb": THUMB_SIZE}
MIN_SIZE = (160, 90)
MAX_SIZE = (4096, 4096)

FORMATS: dict[str, str] = {"webp": "image/webp", "png": "image/png", "jpeg": "image/jpeg"}

TITLE_MAX_CHARS = 200  # longer titles are cut at this many characters and end with "…"
SUBTITLE_MAX_CHARS = 160
META_MAX_CHARS = 80

ROLES = ("background", "surface", "text", "primary", "secondary", "accent")
WHITE: RGB = (255, 255, 255)
BLACK: RGB = (0, 0, 0)
DEFAULT_PRIMARY = "#3355cc"

# Bidi embedding/override/isolate controls and BOM: stripped (they can reorder text unpredictably).
_STRIP = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0xFEFF, 0xFFF9, 0xFFFA, 0xFFFB)}


def clean_text(value: Any, max_chars: int) -> str:
    """NFC-normalise, turn whitespace runs into one space, strip control/bidi-override characters, cap length.

    Text longer than ``max_chars`` characters is cut to ``max_chars - 1`` characters plus "…".
    ``None`` becomes "". Non-strings raise ``ValueError``.
    """
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"text must be a string, got {type(value).__name__}")
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", value):
        cat = unicodedata.category(ch)
        if ch.isspace() or cat in ("Zl", "Zp"):
            out.append(" ")
        elif cat in ("Cc", "Cs", "Co", "Cn") or ch in _STRIP:
            continue
        else:
            out.append(ch)
    text = " ".join("".join(out).split())
    if len(text) > max_chars:
        text = text[: max_chars - 1].rstrip() + "…"
    return text


@dataclass(frozen=True)
class Palette:
    """The six palette roles as RGB tuples, after fallback."""

    background: RGB
    surface: RGB
    text: RGB
    primary: RGB
    secondary: RGB
    accent: RGB

    def as_hex(self) -> dict[str, str]:
        return {r: to_hex(getattr(self, r)) for r in ROLES}


def resolve_palette(roles: dict[str, str] | None) -> Palette:
    """Fill missing roles. Documented fallback:

    - ``primary``: ``accent``, else ``secondary``, else #3355cc;
    - ``secondary``: ``accent``, else ``primary`` mixed 35 % toward black;
    - ``accent``: ``secondary``, else ``primary``;
    - ``background``: white; ``surface``: ``background`` mixed 6 % toward the text side (black on light, white on dark);
    - ``text``: whichever of near-black #111827 / white contrasts more with ``background``.
    Unknown keys are ignored; a malformed colour raises ``ValueError``.
    """
    roles = dict(roles or {})
    if not isinstance(roles, dict):
        raise ValueError("palette must be a mapping of role -> '#rrggbb'")
    got = {k: parse_hex(v) for k, v in roles.items() if k in ROLES and v is not None}
    primary = got.get("primary") or got.get("accent") or got.get("secondary") or parse_hex(DEFAULT_PRIMARY)
    secondary = got.get("secondary") or got.get("accent") or mix(primary, BLACK, 0.35)
    accent = got.get("accent") or got.get("secondary") or primary
    background = got.get("background") or WHITE
    dark_text: RGB = (17, 24, 39)
    if "text" in got:
        text = got["text"]
    else:
        text = dark_text if contrast_ratio(dark_text, background) >= contrast_ratio(WHITE, background) else WHITE
    if "surface" in got:
        surface = got["surface"]
    else:
        toward = BLACK if contrast_ratio(BLACK, background) >= contrast_ratio(WHITE, background) else WHITE
        surface = mix(background, toward, 0.06)
    return Palette(background, surface, text, primary, secondary, accent)


@dataclass(frozen=True)
class CoverSpec:
    """Everything a cover depends on. Text fields are cleaned by :func:`clean_text` when rendered."""

    title: str
    subtitle: str = ""
    creator: str = ""
    category: str = ""
    course_id: int | str = 0
    logo: Image.Image | bytes | None = field(default=None, compare=False)
    palette: dict[str, str] = field(default_factory=dict)
    layout: str = "gradient-band"
    size: tuple[int, int] = CARD_SIZE
    format: str = "webp"

    def validated(self) -> CoverSpec:
        """Check size/format/palette; raise ``ValueError`` with a clear message when wrong."""
        fmt = (self.format or "").lower()
        if fmt == "jpg":
            fmt = "jpeg"
        if fmt not in FORMATS:
            raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {self.format!r}")
        try:
            w, h = (int(self.size[0]), int(self.size[1]))
        except (TypeError, ValueError, IndexError) as exc:
            raise ValueError(f"size must be (width, height), got {self.size!r}") from exc
        if not (MIN_SIZE[0] <= w <= MAX_SIZE[0] and MIN_SIZE[1] <= h <= MAX_SIZE[1]):
            raise ValueError(f"size {w}x{h} outside {MIN_SIZE[0]}x{MIN_SIZE[1]}..{MAX_SIZE[0]}x{MAX_SIZE[1]}")
        resolve_palette(self.palette)
        if fmt == self.format and (w, h) == tuple(self.size):
            return self
        return CoverSpec(self.title, self.subtitle, self.creator, self.category, self.course_id, self.logo,
                         self.palette, self.layout, (w, h), fmt)


def logo_digest(logo: Image.Image | bytes | None) -> str:
    """sha256 of the logo bytes (or of mode/size/pixels for an Image); "" when there is no logo."""
    if logo is None:
        return ""
    h = hashlib.sha256()
    if isinstance(logo, (bytes, bytearray, memoryview)):
        h.update(bytes(logo))
    else:
        h.update(f"{logo.mode}:{logo.size}".encode())
        h.update(logo.tobytes())
    return h.hexdigest()


def cover_hash(spec: CoverSpec) -> str:
    """Content hash (sha256 hex) of every input that changes the cover's bytes, plus ``RENDERER_VERSION``."""
    spec = spec.validated()
    payload = {
        "v": RENDERER_VERSION,
        "title": spec.title,
        "subtitle": spec.subtitle,
        "creator": spec.creator,
        "category": spec.category,
        "course_id": str(spec.course_id),
        "palette": resolve_palette(spec.palette).as_hex(),
        "layout": spec.layout,
        "size": list(spec.size),
        "format": spec.format,
        "logo": logo_digest(spec.logo),
    }
    # surrogatepass: a lone surrogate (e.g. "\ud800" from a JSON escape) is dropped by clean_text when drawing,
    # but must not crash the hash; valid text encodes exactly as plain UTF-8, so existing hashes are unchanged
    raw = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode("utf-8", "surrogatepass")
    return hashlib.sha256(raw).hexdigest()
