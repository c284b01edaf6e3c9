"""Cover rendering: layout paint → logo/monogram → text fitting → measured-contrast ink → encode."""

from __future__ import annotations

import hashlib
import io
import math
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from threading import Lock

import numpy as np
from PIL import Image, ImageDraw, ImageOps

from .fonts import get_font
from .layouts import Layout, LayoutContext, TextArea, get_layout, safe_box
from .logo import load_logo
from .paint import overlay
from .spec import (
    BLACK,
    FORMATS,
    META_MAX_CHARS,
    SUBTITLE_MAX_CHARS,
    TITLE_MAX_CHARS,
    WHITE,
    CoverSpec,
    Palette,
    clean_text,
    resolve_palette,
)
from .text import Block, Run, fit_text
from .wcag import AA_NORMAL, RGB, contrast_ratio, luminance_array, min_contrast_against

Box = tuple[int, int, int, int]
NEAR_BLACK: RGB = (17, 24, 39)
CONTRAST_TARGET = AA_NORMAL + 0.1  # small margin over 4.5:1 for anti-aliasing and encoder rounding
#: per format, chosen on covers of every layout and size (``bench/covers.py --encoders`` prints the table):
#: WebP method 2 encodes in half the time of method 4 for ~5 % more bytes at the same PSNR (37.5 dB), and is the
#: storefront re-render's largest cost (~2/3 of a cover's CPU); methods 1 and 0 save another 20 / 36 % of the time
#: for 18 / 36 % more bytes (re-measured for issue 17), bytes every catalogue view pays for, so 2 stays;
#: PNG level 6 (lossless: size is what differs, level 3 is ~20 % bigger);
#: JPEG 4:4:4 at 88 keeps small text's colour edges (4:2:0 loses ~5 dB of PSNR).
ENCODER_PARAMS: dict[str, dict[str, object]] = {
    "webp": {"quality": 85, "method": 2, "lossless": False},
    "png": {"compress_level": 6, "optimize": False},
    "jpeg": {"quality": 88, "subsampling": 0, "optimize": False, "progressive": False},
}

#: per process: painted layout backgrounds by ``Layout.paint_key`` (a storefront re-render paints one per layout
#: and size, not one per course), decoded logos by the sha256 of their bytes (decoded and checked once) and glyph
#: masks of texts drawn before (a storefront's category and creator lines are the same on every cover)
_BACKGROUNDS: OrderedDict[tuple, _Memo] = OrderedDict()
_BACKGROUNDS_MAX = 12  # at most 2.8 MB of pixels + 7.4 MB of luminance each (1280x720)
_LOGOS: OrderedDict[str, Image.Image] = OrderedDict()
_LOGOS_MAX = 8
_MASKS: OrderedDict[tuple, tuple] = OrderedDict()
_MASKS_MAX = 256  # one text line's 8-bit mask each (a 1280 px wide title line: ~100 kB)
_LOCK = Lock()


@dataclass
class _Memo:
    """A painted background shared by every cover of its paint key (never drawn on), and the relative luminance
    of its pixels, computed on first use (the contrast checks read regions of it instead of converting crops)."""

    image: Image.Image
    lum: np.ndarray | None = None

    def luminance(self) -> np.ndarray:
        if self.lum is None:
            self.lum = luminance_array(np.asarray(self.image))
        return self.lum


def _memo_get(memo: OrderedDict, key):
    with _LOCK:
        value = memo.get(key)
        if value is not None:
            memo.move_to_end(key)
        return value


def _memo_put(memo: OrderedDict, key, value, limit: int) -> None:
    with _LOCK:
        memo[key] = value
        while len(memo) > limit:
            memo.popitem(last=False)


def _decoded_logo(data: bytes) -> Image.Image:
    """``load_logo(data)``, decoded once per process for the same bytes (shared: callers never modify it)."""
    key = hashlib.sha256(data).hexdigest()
    logo = _memo_get(_LOGOS, key)
    if logo is None:
        logo = load_logo(data)
        _memo_put(_LOGOS, key, logo, _LOGOS_MAX)
    return logo


class _Canvas:
    """The pre-text canvas: the memoised background itself until something is drawn on it (copied on the first
    write, so a cover that only adds text copies the background once, to draw its text), or a freshly painted,
    owned image for a layout that is not memoised."""

    def __init__(self, image: Image.Image, memo: _Memo | None) -> None:
        self.image, self.memo = image, memo  # memo is set while image is the memo's unmodified pixels

    def writable(self) -> Image.Image:
        if self.memo is not None:
            self.image, self.memo = self.image.copy(), None
        return self.image

    def replace(self, image: Image.Image) -> None:
        self.image, self.memo = image, None

    def owned_copy(self) -> Image.Image:
        """The pixels as an image the caller may draw on (a copy only while they are the memo's)."""
        return self.image.copy() if self.memo is not None else self.image

    def luminance(self, bbox: Box) -> np.ndarray:
        """Relative luminance of the pixels ``_measure_box(bbox)`` covers."""
        box = _measure_box(bbox, self.image.size)
        if self.memo is not None:
            return self.memo.luminance()[box[1]:box[3], box[0]:box[2]]
        return luminance_array(np.asarray(self.image.crop(box)))


def _painted(layout: Layout, spec: CoverSpec, ctx: LayoutContext) -> _Canvas:
    """A canvas with the layout's background drawn: the memoised one when the layout allows."""
    key = layout.paint_key(spec, ctx)
    cached = _memo_get(_BACKGROUNDS, key) if key is not None else None
    if cached is not None:
        return _Canvas(cached.image, cached)
    canvas = Image.new("RGB", ctx.size, ctx.palette.background)
    layout.draw(canvas, spec, ctx)
    if key is None:
        return _Canvas(canvas, None)
    memo = _Memo(canvas)
    _memo_put(_BACKGROUNDS, key, memo, _BACKGROUNDS_MAX)
    return _Canvas(canvas, memo)


def _draw_run(draw: ImageDraw.ImageDraw, run: Run, color: RGB) -> None:
    """``draw.text((run.x, run.y), run.text, fill=color, font=get_font(run.face, run.size), anchor="ls")`` in
    Pillow's own steps (``ImageDraw.text`` for one line of a FreeType font), with the glyph mask of a text drawn
    before at the same face, size, colour and sub-pixel offset reused instead of rasterised again."""
    ink = draw._getink(color)[0]
    start = (math.modf(run.x)[0], math.modf(run.y)[0])
    key = (run.face, run.size, run.text, ink, start)
    hit = _memo_get(_MASKS, key)
    if hit is None:
        font = get_font(run.face, run.size)
        hit = font.getmask2(run.text, draw.fontmode, anchor="ls", ink=ink, start=start)
        _memo_put(_MASKS, key, hit, _MASKS_MAX)
    mask, offset = hit
    draw.draw.draw_bitmap((int(run.x) + offset[0], int(run.y) + offset[1]), mask, ink)


@dataclass
class TextPlacement:
    """One drawn text group: its role (eyebrow/title/subtitle/meta/monogram), lines, colour and scrim."""

    role: str
    block: Block
    color: RGB
    scrim: Box | None = None

    @property
    def bbox(self) -> Box:
        return self.block.bbox


@dataclass
class CoverRender:
    """A rendered cover plus what tests and previews need: the pre-text canvas and text placements."""

    image: Image.Image
    background: Image.Image
    texts: list[TextPlacement]
    safe_box: Box
    layout: Layout


@dataclass(frozen=True)
class EncodedCover:
    data: bytes
    content_type: str
    format: str

    @property
    def extension(self) -> str:
        return "jpg" if self.format == "jpeg" else self.format

    def __bytes__(self) -> bytes:
        return self.data


def _measure_box(bbox: Box, size: tuple[int, int], pad: int = 2) -> Box:
    return (max(0, bbox[0] - pad), max(0, bbox[1] - pad), min(size[0], bbox[2] + pad), min(size[1], bbox[3] + pad))


def _worst_contrast(canvas: Image.Image, bbox: Box, color: RGB) -> float:
    region = np.asarray(canvas.crop(_measure_box(bbox, canvas.size)))
    return min_contrast_against(color, luminance_array(region))


def _candidates(palette: Palette, roles: Iterable[str]) -> list[RGB]:
    out: list[RGB] = []
    for c in [*(getattr(palette, r) for r in roles), WHITE, NEAR_BLACK, BLACK]:
        if c not in out:
            out.append(c)
    return out


def _choose_ink(canvas: _Canvas, bbox: Box, cands: list[RGB]) -> RGB | None:
    region = canvas.luminance(bbox)
    for c in cands:
        if min_contrast_against(c, region) >= CONTRAST_TARGET:
            return c
    return None


def _add_scrim(surface: _Canvas, bbox: Box, ink: RGB, palette: Palette, size_px: int) -> tuple[RGB, Box]:
    """Lay a rounded plate behind ``bbox`` that makes ``ink`` readable; return (ink, plate box)."""
    canvas = surface.image
    pad = max(4, round(size_px * 0.35))
    box = (max(0, bbox[0] - pad), max(0, bbox[1] - pad // 2), min(canvas.width, bbox[2] + pad),
           min(canvas.height, bbox[3] + pad // 2))
    plates = sorted([palette.background, palette.surface, WHITE, NEAR_BLACK],
                    key=lambda c: -contrast_ratio(c, ink))
    plate = plates[0]
    radius = max(2, pad // 2)
    for alpha in (0.85, 1.0):
        trial = canvas.copy()
        overlay(trial, lambda d, a=alpha: d.rounded_rectangle(
            (0, 0, 2 * (box[2] - box[0]) - 1, 2 * (box[3] - box[1]) - 1), radius=2 * radius,
            fill=(*plate, round(a * 255))), box)
        if _worst_contrast(trial, bbox, ink) >= CONTRAST_TARGET or alpha == 1.0:
            surface.replace(trial)
            break
    if _worst_contrast(surface.image, bbox, ink) < CONTRAST_TARGET:  # solid plate, ink flipped to black/white
        ink = BLACK if contrast_ratio(BLACK, plate) >= contrast_ratio(WHITE, plate) else WHITE
    return ink, box


def _initials(*names: str) -> str:
    for name in names:
        words = [w for w in name.split() if w[:1].isalnum()]
        if not words:
            continue
        first = words[0][0]
        if not first.isascii():
            return first
        return "".join(w[0] for w in words[:2]).upper()
    return ""


def _place_logo(canvas: Image.Image, logo: Image.Image, box: Box, palette: Palette) -> None:
    side = min(box[2] - box[0], box[3] - box[1])
    cx, cy = (box[0] + box[2]) // 2, (box[1] + box[3]) // 2
    plate = (cx - side // 2, cy - side // 2, cx - side // 2 + side, cy - side // 2 + side)
    overlay(canvas, lambda d: d.rounded_rectangle((0, 0, 2 * side - 1, 2 * side - 1), radius=side // 5,
                                                  fill=(*palette.surface, 255)), plate)
    inner = round(side * 0.74)
    fitted = ImageOps.contain(logo.convert("RGBA"), (inner, inner), Image.Resampling.LANCZOS)
    pos = (cx - fitted.width // 2, cy - fitted.height // 2)
    canvas.paste(fitted, pos, fitted)


def _group(layout: Layout, area: TextArea, size: tuple[int, int], items: list[tuple[str, str]]) -> list[tuple[str, Block]]:
    """Fit eyebrow/title/subtitle stacked in ``area`` and align the group vertically."""
    w, h = size
    x0, y0, x1, y1 = layout.text_box(area, size)
    texts = dict(items)
    out: list[tuple[str, Block]] = []
    y = y0
    es, ss = max(9, round(h * 0.032)), max(9, round(h * 0.046))
    eyebrow = fit_text(texts.get("eyebrow", ""), (x0, y, x1, min(y1, y + round(es * 1.6))), weight="bold",
                       max_size=es, min_size=max(8, es * 2 // 3), max_lines=1, align=area.align, what="category")
    if eyebrow:
        out.append(("eyebrow", eyebrow))
        y = eyebrow.bbox[3] + round(es * 0.9)
    sub_reserve = 0
    if texts.get("subtitle"):
        probe = fit_text(texts["subtitle"], (x0, y, x1, y1), weight="regular", max_size=ss,
                         min_size=max(8, round(ss * 0.6)), max_lines=2, pitch=1.3, align=area.align,
                         what="subtitle")
        if probe:
            sub_reserve = min((y1 - y) // 3, probe.bbox[3] - probe.bbox[1] + round(ss * 0.8))
    title_max = max(10, round(h * layout.title_scale))
    title = fit_text(texts.get("title", ""), (x0, y, x1, y1 - sub_reserve), weight="bold", max_size=title_max,
                     min_size=max(9, round(h * 0.034)), max_lines=6, pitch=1.18, align=area.align, what="title")
    if title:
        out.append(("title", title))
        y = title.bbox[3] + round(ss * 0.8)
    if title:
        ss = max(8, min(ss, max(round(h * 0.034), round(title.size * 0.6))))
    if texts.get("subtitle") and y < y1:
        sub = fit_text(texts["subtitle"], (x0, y, x1, y1), weight="regular", max_size=ss,
                       min_size=max(8, round(ss * 0.6)), max_lines=2, pitch=1.3, align=area.align, what="subtitle")
        if sub:
            out.append(("subtitle", sub))
    if out:
        top, bottom = min(b.bbox[1] for _, b in out), max(b.bbox[3] for _, b in out)
        free = y1 - bottom
        dy = 0 if area.valign == "top" else free if area.valign == "bottom" else (free - (top - y0)) // 2
        dy = max(y0 - top, min(dy, free))
        for _, b in out:
            b.shift(0, dy)
    return out


def _compose(spec: CoverSpec) -> tuple[_Canvas, list[TextPlacement], Layout]:
    """Everything but the text itself: the painted canvas (logo and scrims on it) and where each text goes, in
    which ink."""
    spec = spec.validated()
    layout = get_layout(spec.layout)
    palette = resolve_palette(spec.palette)
    size = spec.size
    logo = spec.logo
    if isinstance(logo, (bytes, bytearray, memoryview)):
        logo = _decoded_logo(bytes(logo))
    ctx = LayoutContext(palette=palette, size=size, safe_box=safe_box(size), seed=str(spec.course_id), logo=logo)
    canvas = _painted(layout, spec, ctx)

    title = clean_text(spec.title, TITLE_MAX_CHARS)
    subtitle = clean_text(spec.subtitle, SUBTITLE_MAX_CHARS)
    creator = clean_text(spec.creator, META_MAX_CHARS)
    category = clean_text(spec.category, META_MAX_CHARS)

    blocks: list[tuple[str, Block, tuple[str, ...]]] = []
    group = _group(layout, layout.title_area, size,
                   [("eyebrow", category.upper()), ("title", title), ("subtitle", subtitle)])
    for role, b in group:
        blocks.append((role, b, layout.eyebrow_ink if role == "eyebrow" else layout.ink))
    if layout.meta_area is not None and creator:
        mx0, my0, mx1, my1 = layout.text_box(layout.meta_area, size)
        ms = max(9, round(size[1] * 0.036))
        meta = fit_text(creator, (mx0, my0, mx1, my1), weight="regular", max_size=ms, min_size=max(8, ms * 2 // 3),
                        max_lines=1, align=layout.meta_area.align, what="creator")
        if meta:
            meta.shift(0, max(0, ((my1 - my0) - (meta.bbox[3] - meta.bbox[1])) // 2 - (meta.bbox[1] - my0)))
            blocks.append(("meta", meta, ("text",) + layout.ink))
    if layout.logo_box is not None:
        lbox = layout.text_box(TextArea(layout.logo_box), size)
        if logo is not None:
            _place_logo(canvas.writable(), logo, lbox, palette)
        elif layout.monogram:
            mark = _initials(creator, title)
            side = min(lbox[2] - lbox[0], lbox[3] - lbox[1])
            mono = fit_text(mark, lbox, weight="bold", max_size=round(side * 0.55), min_size=12, max_lines=1,
                            align="center", what="monogram") if mark else None
            if mono:
                bx = mono.bbox
                mono.shift(0, ((lbox[1] + lbox[3]) - (bx[1] + bx[3])) // 2)
                blocks.append(("monogram", mono, ("background", "surface", "text")))

    placements: list[TextPlacement] = []
    for role, block, roles in blocks:
        cands = _candidates(palette, roles)
        ink = _choose_ink(canvas, block.bbox, cands)
        scrim = None
        if ink is None:
            ink, scrim = _add_scrim(canvas, block.bbox, cands[0], palette, block.size)
        placements.append(TextPlacement(role, block, ink, scrim))
    for _ in range(3):  # a later scrim may sit under an earlier text: re-check until stable
        changed = False
        for p in placements:
            if min_contrast_against(p.color, canvas.luminance(p.bbox)) < CONTRAST_TARGET:
                cands = _candidates(palette, ("text", "background"))
                ink = _choose_ink(canvas, p.bbox, cands)
                if ink is None:
                    ink, p.scrim = _add_scrim(canvas, p.bbox, cands[0], palette, p.block.size)
                p.color, changed = ink, True
        if not changed:
            break

    return canvas, placements, layout


def _draw_texts(image: Image.Image, placements: list[TextPlacement]) -> Image.Image:
    draw = ImageDraw.Draw(image)
    for p in placements:
        for line in p.block.lines:
            for r in line.runs:
                _draw_run(draw, r, p.color)
    return image


def render_cover_detailed(spec: CoverSpec) -> CoverRender:
    """Render ``spec`` and keep the pre-text canvas and text placements (used by tests and previews)."""
    canvas, placements, layout = _compose(spec)
    background = canvas.owned_copy()  # callers may draw on it; the memo stays untouched
    image = _draw_texts(background.copy(), placements)
    return CoverRender(image, background, placements, safe_box(image.size), layout)


def render_cover(spec: CoverSpec) -> Image.Image:
    """Render ``spec`` to an ``RGB`` image of ``spec.size``."""
    canvas, placements, _layout = _compose(spec)
    return _draw_texts(canvas.owned_copy(), placements)


def encode(image: Image.Image, fmt: str) -> bytes:
    """Encode with fixed parameters and no metadata (no EXIF/ICC/XMP/text chunks), so bytes are reproducible."""
    fmt = "jpeg" if fmt == "jpg" else fmt
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    clean = image.convert("RGB") if image.mode != "RGB" else image
    clean.info.clear()
    buf = io.BytesIO()
    clean.save(buf, format=fmt.upper(), **ENCODER_PARAMS[fmt])
    return buf.getvalue()


def render_cover_bytes(spec: CoverSpec) -> EncodedCover:
    """Render and encode ``spec``; ``.data`` are the bytes, ``.content_type`` the MIME type."""
    spec = spec.validated()
    return EncodedCover(encode(render_cover(spec), spec.format), FORMATS[spec.format], spec.format)


def render_many(specs: Iterable[CoverSpec]) -> list[EncodedCover]:
    """Render and encode a batch in order (the unit the worker-throughput benchmark times)."""
    return [render_cover_bytes(s) for s in specs]
