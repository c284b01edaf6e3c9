"""Font lookup, per-script font chains and glyph-coverage checks.

Lookup order (first hit wins, per font role):

1. every directory in ``COVER_FONT_DIRS`` (``os.pathsep``-separated, searched recursively);
2. system fonts, when present: ``/usr/share/fonts/opentype/noto`` (Debian ``fonts-noto-cjk``:
   ``NotoSansCJK-{Bold,Regular}.ttc``), ``/usr/share/fonts/truetype/dejavu`` (``fonts-dejavu-core``), then the rest
   of ``/usr/share/fonts``;
3. the fonts shipped in ``font_files/`` beside this module (SIL OFL 1.1, licences beside them): Noto Sans SC
   (all 20,902 URO ideographs plus extension A, Latin, Greek, Cyrillic), Noto Sans Arabic and Noto Sans, each
   bold and regular, so a machine with no fonts at all still draws every script the platform speaks;
4. Pillow's bundled default font (Latin only).

Roles: ``cjk`` (Noto Sans CJK / Source Han Sans / Noto Sans SC; in a ``.ttc`` the face index is picked per script:
SC for Han, JP when kana is present, KR for Hangul), ``arabic`` (Noto Sans Arabic) and ``latin`` (DejaVu Sans or
Noto Sans). A text is drawn with a *chain* of faces: every character goes to the first face in the chain that has
a real glyph for it (one that differs from the face's ``.notdef`` rendering). Characters no face covers are
dropped and logged as a warning, so covers never show tofu boxes silently.
"""

from __future__ import annotations

import logging
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont, features

log = logging.getLogger(__name__)

ENV_VAR = "COVER_FONT_DIRS"
DEBIAN_DIRS = (
    "/usr/share/fonts/opentype/noto",
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/opentype",
    "/usr/share/fonts/truetype",
    "/usr/share/fonts",
)
SHIPPED_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "font_files")
FILENAMES: dict[tuple[str, str], tuple[str, ...]] = {
    ("cjk", "bold"): ("NotoSansCJK-Bold.ttc", "NotoSansCJKsc-Bold.otf", "NotoSansSC-Bold.otf",
                      "NotoSansSC-Bold.ttf", "SourceHanSans-Bold.ttc", "SourceHanSansSC-Bold.otf"),
    ("cjk", "regular"): ("NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular.otf", "NotoSansSC-Regular.otf",
                         "NotoSansSC-Regular.ttf", "SourceHanSans-Regular.ttc", "SourceHanSansSC-Regular.otf"),
    ("arabic", "bold"): ("NotoSansArabic-Bold.ttf", "NotoSansArabicUI-Bold.ttf", "NotoNaskhArabic-Bold.ttf"),
    ("arabic", "regular"): ("NotoSansArabic-Regular.ttf", "NotoSansArabicUI-Regular.ttf",
                            "NotoNaskhArabic-Regular.ttf"),
    ("latin", "bold"): ("DejaVuSans-Bold.ttf", "NotoSans-Bold.ttf", "LiberationSans-Bold.ttf"),
    ("latin", "regular"): ("DejaVuSans.ttf", "NotoSans-Regular.ttf", "LiberationSans-Regular.ttf"),
}
# Face index inside the Noto/Source Han CJK collections (fc-list ... index).
TTC_INDEX = {"jp": 0, "kr": 1, "sc": 2, "tc": 3}
LAYOUT = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC
_PROBE_SIZE = 32


@dataclass(frozen=True)
class Face:
    """One font face: a file, a face index in it (``.ttc``), or ``path == ""`` for Pillow's default font."""

    path: str
    index: int = 0

    @property
    def is_default(self) -> bool:
        return not self.path


def _search_dirs() -> list[str]:
    env = [d for d in os.environ.get(ENV_VAR, "").split(os.pathsep) if d]
    return [*env, *DEBIAN_DIRS, SHIPPED_DIR]


@lru_cache(maxsize=64)
def _find(role: str, weight: str, dirs: tuple[str, ...]) -> str | None:
    names = FILENAMES[(role, weight)]
    for d in dirs:
        if not os.path.isdir(d):
            continue
        for name in names:  # direct hit first (cheap), then a bounded recursive walk
            if os.path.isfile(os.path.join(d, name)):
                return os.path.join(d, name)
        for root, _dirs, files in sorted(os.walk(d)):
            for name in names:
                if name in files:
                    return os.path.join(root, name)
    return None


def find_font(role: str, weight: str = "bold") -> str | None:
    """Path of the font file for ``role`` ("cjk" | "arabic" | "latin") and ``weight`` ("bold" | "regular"), or
    None (only when the shipped ``font_files/`` are missing too)."""
    return _find(role, weight, tuple(_search_dirs()))


def is_cjk(ch: str) -> bool:
    o = ord(ch)
    return (0x2E80 <= o <= 0x9FFF or 0xAC00 <= o <= 0xD7AF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFFEF
            or 0x20000 <= o <= 0x3FFFF or 0x1100 <= o <= 0x11FF or 0xFE30 <= o <= 0xFE4F)


def is_rtl(ch: str) -> bool:
    return unicodedata.bidirectional(ch) in ("R", "AL", "AN")


def _variant(text: str) -> str:
    if any(0x3040 <= ord(c) <= 0x30FF for c in text):
        return "jp"
    if any(0xAC00 <= ord(c) <= 0xD7AF or 0x1100 <= ord(c) <= 0x11FF for c in text):
        return "kr"
    return "sc"


_warned: set[str] = set()


def chain_for(text: str, weight: str = "bold") -> tuple[Face, ...]:
    """Ordered faces for ``text``: the CJK face first (its Latin is used for Latin titles too), then Latin, then
    Arabic; the Arabic face first when the text holds right-to-left script (so one face shapes the whole bidi run:
    Noto Sans Arabic has Latin letters and digits too); Pillow's default last."""
    cjk_path = find_font("cjk", weight)
    latin_path = find_font("latin", weight)
    arabic_path = find_font("arabic", weight)
    cjk = None
    if cjk_path:
        cjk = Face(cjk_path, TTC_INDEX[_variant(text)] if cjk_path.endswith(".ttc") else 0)
    elif any(is_cjk(c) for c in text) and "cjk" not in _warned:
        _warned.add("cjk")
        log.warning("no CJK font found (the shipped %s is missing; or set %s); CJK characters will be dropped",
                    SHIPPED_DIR, ENV_VAR)
    latin = Face(latin_path) if latin_path else None
    arabic = Face(arabic_path) if arabic_path else None
    order = (arabic, latin, cjk) if any(is_rtl(c) for c in text) else (cjk, latin, arabic)
    faces: list[Face] = []
    for face in (*order, Face("")):
        if face is not None and face not in faces:
            faces.append(face)
    return tuple(faces)


@lru_cache(maxsize=512)
def get_font(face: Face, size: int, layout: ImageFont.Layout = LAYOUT) -> ImageFont.FreeTypeFont:
    """A cached ``FreeTypeFont`` for ``face`` at pixel ``size``."""
    size = max(1, int(size))
    if face.is_default:
        return ImageFont.load_default(size)  # type: ignore[return-value]
    return ImageFont.truetype(face.path, size, index=face.index, layout_engine=layout)


def _render_glyph(font: ImageFont.FreeTypeFont, ch: str) -> bytes:
    im = Image.new("L", (_PROBE_SIZE * 3, _PROBE_SIZE * 3), 0)
    ImageDraw.Draw(im).text((_PROBE_SIZE, _PROBE_SIZE), ch, fill=255, font=font)
    return im.tobytes()


def _ignorable(ch: str) -> bool:
    """Whitespace and default-ignorable format characters (ZWJ, variation selectors...) never count as missing."""
    o = ord(ch)
    return (ch.isspace() or unicodedata.category(ch) in ("Cf", "Zs")
            or 0xFE00 <= o <= 0xFE0F or 0xE0100 <= o <= 0xE01EF)


@lru_cache(maxsize=8)
def _notdef(face: Face) -> bytes:
    return _render_glyph(get_font(face, _PROBE_SIZE, ImageFont.Layout.BASIC), "\uffff")


@lru_cache(maxsize=65536)
def face_has_glyph(face: Face, ch: str) -> bool:
    """True when ``face`` draws ``ch`` with a real glyph (not its ``.notdef`` box and not nothing)."""
    if _ignorable(ch):
        return True
    font = get_font(face, _PROBE_SIZE, ImageFont.Layout.BASIC)
    if face.is_default and ord(ch) > 0x24F:  # Pillow's default font is Latin-only
        return False
    drawn = _render_glyph(font, ch)
    if drawn == _notdef(face):
        return False
    if unicodedata.category(ch)[0] in "LNPS" and not any(drawn):
        return False  # a visible character drawn as nothing is missing too
    return True


def _face_of(font: ImageFont.FreeTypeFont) -> Face:
    path = getattr(font, "path", None)
    if isinstance(path, bytes):
        path = path.decode()
    return Face(path or "", getattr(font, "index", 0) or 0)


def missing_glyphs(font: ImageFont.FreeTypeFont | Face, text: str) -> list[str]:
    """Distinct characters of ``text`` that ``font`` would render as ``.notdef`` (tofu) or not at all."""
    face = font if isinstance(font, Face) else _face_of(font)
    seen: list[str] = []
    for ch in text:
        if ch not in seen and not face_has_glyph(face, ch):
            seen.append(ch)
    return seen


def split_runs(text: str, faces: Iterable[Face]) -> tuple[list[tuple[Face, str]], list[str]]:
    """Split ``text`` into ``(face, substring)`` runs, each character going to the first face that has it.

    Spaces and ignorable characters stay in the current run. Returns the runs and the dropped characters
    (no face has them). Memoised per process: text fitting splits the same words at every size it tries.
    """
    runs, dropped = _split_runs(text, tuple(faces))
    return list(runs), list(dropped)


@lru_cache(maxsize=16384)
def _split_runs(text: str, faces: tuple[Face, ...]) -> tuple[tuple[tuple[Face, str], ...], tuple[str, ...]]:
    runs: list[tuple[Face, str]] = []
    dropped: list[str] = []
    current: Face | None = None
    buf: list[str] = []
    for ch in text:
        if _ignorable(ch) and current is not None:
            buf.append(ch)
            continue
        face = next((f for f in faces if face_has_glyph(f, ch)), None)
        if face is None:
            dropped.append(ch)
            continue
        if face != current and buf:
            runs.append((current, "".join(buf)))  # type: ignore[arg-type]
            buf = []
        current = face
        buf.append(ch)
    if buf and current is not None:
        runs.append((current, "".join(buf)))
    return tuple(runs), tuple(dropped)


def drop_unrenderable(text: str, faces: Iterable[Face], what: str = "text") -> str:
    """``text`` without the characters no face can draw; logs a warning naming them."""
    runs, dropped = split_runs(text, faces)
    if dropped:
        shown = "".join(sorted(set(dropped)))[:20]
        log.warning("cover %s: dropping %d character(s) no installed font can draw: %r", what, len(dropped), shown)
    out = " ".join("".join(s for _f, s in runs).split())
    if dropped:  # "Emoji 🎉, done" must not become "Emoji , done"
        out = re.sub(r" +(?=[,.;:!?，。、！？）)\]」』])", "", out)
    return out
