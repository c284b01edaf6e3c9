"""Layouts: a small data-driven base class, three built-ins and the module-level registry.

A layout is data (text areas as fractions of the canvas, alignment, text-colour preferences, an optional logo
box) plus one ``paint`` method that draws the background and decoration. Text, contrast and logos are handled by
the renderer. A plugin layout is a few lines::

    from themes.covers import Layout, TextArea, register_layout
    from themes.covers.paint import linear_gradient

    class Dusk(Layout):
        def paint(self, canvas, spec, ctx):
            canvas.paste(linear_gradient(canvas.size, ctx.palette.primary, ctx.palette.background, 90))

    register_layout(Dusk(name="dusk", label="Dusk", title_area=TextArea((0.08, 0.15, 0.92, 0.75))))
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PIL import Image, ImageDraw

from .paint import fractional_box, linear_gradient, overlay, rgba, seeded_rng
from .wcag import RGB, ensure_contrast, luminance, mix

WHITE: RGB = (255, 255, 255)
BLACK: RGB = (0, 0, 0)

if TYPE_CHECKING:
    from .spec import CoverSpec, Palette

SAFE_MARGIN = 0.06  # fraction of min(width, height) kept clear on every side


@dataclass(frozen=True)
class TextArea:
    """Where a text group goes: ``box`` as (x0, y0, x1, y1) fractions of the canvas, clipped to the safe area."""

    box: tuple[float, float, float, float]
    align: str = "left"  # left | center | right
    valign: str = "center"  # top | center | bottom


@dataclass
class LayoutContext:
    """What ``Layout.paint`` may use besides the canvas and the spec."""

    palette: Palette
    size: tuple[int, int]
    safe_box: tuple[int, int, int, int]
    seed: str
    logo: Image.Image | None = None


def safe_box(size: tuple[int, int]) -> tuple[int, int, int, int]:
    """The safe area: the canvas inset by ``SAFE_MARGIN`` × min(width, height) on every side."""
    m = round(SAFE_MARGIN * min(size))
    return (m, m, size[0] - m, size[1] - m)


@dataclass(frozen=True)
class Layout:
    """Base layout. Subclasses override :meth:`paint`; the rest is data.

    ``ink`` lists palette roles tried, in order, as text colours before falling back to white/near-black and then
    to a scrim; ``eyebrow_ink`` does the same for the category line. ``logo_box`` (fractions) receives the logo,
    or a monogram of the creator's/title's initials when ``monogram`` is set and there is no logo.
    """

    name: str
    label: str
    title_area: TextArea
    meta_area: TextArea | None = None
    logo_box: tuple[float, float, float, float] | None = None
    monogram: bool = False
    ink: tuple[str, ...] = ("text", "background")
    eyebrow_ink: tuple[str, ...] = ("accent", "primary")
    title_scale: float = 0.11  # largest title size as a fraction of the canvas height
    extra: dict[str, object] = field(default_factory=dict)

    def paint(self, canvas: Image.Image, spec: CoverSpec, ctx: LayoutContext) -> None:
        """Draw background and decoration (no text). Default: flat ``background``."""
        canvas.paste(ctx.palette.background, (0, 0, *canvas.size))

    def draw(self, canvas: Image.Image, spec: CoverSpec, ctx: LayoutContext) -> None:
        self.paint(canvas, spec, ctx)

    def paint_key(self, spec: CoverSpec, ctx: LayoutContext) -> tuple | None:
        """What :meth:`draw`'s pixels depend on, when the renderer may reuse them for another cover of the same
        key (a storefront re-render paints one background per size instead of one per course), else ``None``.
        ``None`` by default: a subclass that paints from anything else (the course id, the logo) must not be
        cached; the built-in layouts say what theirs depend on."""
        return None

    def text_box(self, area: TextArea, size: tuple[int, int]) -> tuple[int, int, int, int]:
        x0, y0, x1, y1 = fractional_box(area.box, size)
        s0, s1, s2, s3 = safe_box(size)
        return (max(x0, s0), max(y0, s1), min(x1, s2), min(y1, s3))


def _palette_size_key(layout: Layout, ctx: LayoutContext, painter: type) -> tuple | None:
    """The key of a layout that paints from the palette and the size only (``painter``'s own paint, unchanged
    by a subclass)."""
    own = type(layout).paint is painter.paint and type(layout).draw is Layout.draw
    return (type(layout), layout.name, ctx.palette, ctx.size) if own else None


class GradientBand(Layout):
    """Diagonal primary→secondary gradient, soft accent circles, and a surface band holding the creator line."""

    def paint_key(self, spec: CoverSpec, ctx: LayoutContext) -> tuple | None:
        return _palette_size_key(self, ctx, GradientBand)

    def paint(self, canvas: Image.Image, spec: CoverSpec, ctx: LayoutContext) -> None:
        p, (w, h) = ctx.palette, canvas.size
        # Pick the light or dark palette ink that needs the smaller change, then shade both gradient stops so
        # that ink clears 4.5:1 with room for the tinted circles (the renderer still measures the pixels).
        light, dark = sorted((p.background, p.text), key=luminance, reverse=True)
        options = []
        for ink in (light, dark):
            a, b = ensure_contrast(p.primary, ink, 5.4), ensure_contrast(p.secondary, ink, 5.4)
            options.append((_distance(a, p.primary) + _distance(b, p.secondary), a, b, ink))
        _, start, end, ink = min(options)
        tint = WHITE if ink == light else BLACK
        canvas.paste(linear_gradient(canvas.size, start, end, 25))
        band_top = round(h * 0.78)
        r = round(h * 0.55)
        cx, cy = round(w * 0.93), round(h * 0.12)

        box = (max(0, cx - r), 0, w, min(band_top, cy + r))  # only the circles' corner is supersampled

        def deco(d: ImageDraw.ImageDraw) -> None:
            ox, oy = cx - box[0], cy - box[1]
            d.ellipse((2 * (ox - r), 2 * (oy - r), 2 * (ox + r), 2 * (oy + r)), fill=rgba(tint, 0.07))
            r2 = round(r * 0.62)
            d.ellipse((2 * (ox - r2), 2 * (oy - r2), 2 * (ox + r2), 2 * (oy + r2)), outline=rgba(p.accent, 0.9),
                      width=max(2, round(h * 0.01)))

        overlay(canvas, deco, box)
        ImageDraw.Draw(canvas).rectangle((0, band_top, w, h), fill=p.surface)
        ImageDraw.Draw(canvas).rectangle((0, band_top, w, band_top + max(2, round(h * 0.012))), fill=p.accent)


def _distance(a: RGB, b: RGB) -> int:
    return sum(abs(x - y) for x, y in zip(a, b, strict=True))


class GeometricPattern(Layout):
    """Flat background with a Truchet-style tile panel whose shapes and colours derive from the course id."""

    def paint(self, canvas: Image.Image, spec: CoverSpec, ctx: LayoutContext) -> None:
        p, (w, h) = ctx.palette, canvas.size
        canvas.paste(p.background, (0, 0, w, h))
        rng = seeded_rng("geometric", ctx.seed)
        x_start = round(w * 0.60)
        rows = 4
        tile = -(-h // rows)
        cols = -(-(w - x_start) // tile)
        colours: list[RGB] = []
        for c in (p.primary, p.secondary, p.accent, mix(p.primary, p.background, 0.55),
                  mix(p.secondary, p.background, 0.35), mix(p.primary, BLACK, 0.3), mix(p.primary, WHITE, 0.3)):
            if c not in colours:  # a sparse palette must not give shapes the colour of their tile
                colours.append(c)
        colours = colours[:4]
        panel = (x_start, 0, w, h)
        s = 2

        def tiles(d: ImageDraw.ImageDraw) -> None:
            for row in range(rows):
                for col in range(cols):
                    x, y = col * tile * s, row * tile * s
                    t = tile * s
                    bg, fg = rng.sample(colours, 2)
                    d.rectangle((x, y, x + t, y + t), fill=bg)
                    kind = rng.randrange(5)
                    if kind == 0:  # quarter circle grown from one corner, clipped to the tile by its angles
                        corner = rng.randrange(4)
                        ox, oy = (x, y) if corner == 0 else (x + t, y) if corner == 1 else \
                            (x + t, y + t) if corner == 2 else (x, y + t)
                        d.pieslice((ox - t, oy - t, ox + t, oy + t), 90 * corner, 90 * corner + 90, fill=fg)
                    elif kind == 1:  # circle
                        m = t // 6
                        d.ellipse((x + m, y + m, x + t - m, y + t - m), fill=fg)
                    elif kind == 2:  # triangle (diagonal split)
                        pts = [(x, y), (x + t, y), (x + t, y + t), (x, y + t)]
                        k = rng.randrange(4)
                        d.polygon([pts[k], pts[(k + 1) % 4], pts[(k + 2) % 4]], fill=fg)
                    elif kind == 3:  # half circle
                        a = 90 * rng.randrange(4)
                        d.pieslice((x, y, x + t, y + t), a, a + 180, fill=fg)
                    else:  # ring
                        m = t // 5
                        d.ellipse((x + m, y + m, x + t - m, y + t - m), outline=fg, width=max(2, t // 9))

        overlay(canvas, tiles, panel, scale=s, opaque=True)  # every tile paints its square first
        # tiles drawn past the panel edge are clipped by the panel box; a thin accent rule marks the edge
        ImageDraw.Draw(canvas).rectangle((x_start - max(2, round(w * 0.006)), 0, x_start, h), fill=p.accent)


class SplitLogo(Layout):
    """A primary panel carrying the logo (on a surface plate) or a monogram, text on the background side."""

    def paint_key(self, spec: CoverSpec, ctx: LayoutContext) -> tuple | None:
        return _palette_size_key(self, ctx, SplitLogo)

    def paint(self, canvas: Image.Image, spec: CoverSpec, ctx: LayoutContext) -> None:
        p, (w, h) = ctx.palette, canvas.size
        canvas.paste(p.background, (0, 0, w, h))
        panel_w = round(w * 0.38)
        canvas.paste(linear_gradient((panel_w, h), p.primary, mix(p.primary, p.secondary, 0.6), 90), (0, 0))
        r = round(h * 0.16)

        def deco(d: ImageDraw.ImageDraw) -> None:
            d.ellipse((-2 * r, 0, 2 * r, 4 * r), fill=rgba(p.accent, 1.0))

        overlay(canvas, deco, (0, h - r, r, h))
        bar = fractional_box((0.44, 0.10, 0.50, 0.115), canvas.size)
        ImageDraw.Draw(canvas).rectangle(bar, fill=p.accent)


BUILTIN_LAYOUTS: list[Layout] = [
    GradientBand(
        name="gradient-band", label="Gradient band",
        title_area=TextArea((0.07, 0.08, 0.72, 0.74), valign="center"),
        meta_area=TextArea((0.07, 0.80, 0.93, 0.96)),
        ink=("background", "text", "surface"), eyebrow_ink=("background", "text"),
    ),
    GeometricPattern(
        name="geometric", label="Geometric pattern",
        title_area=TextArea((0.07, 0.08, 0.55, 0.80), valign="center"),
        meta_area=TextArea((0.07, 0.82, 0.55, 0.96)),
        ink=("text", "primary"), eyebrow_ink=("primary", "accent", "text"), title_scale=0.10,
    ),
    SplitLogo(
        name="split", label="Split with logo",
        title_area=TextArea((0.44, 0.14, 0.94, 0.80), valign="center"),
        meta_area=TextArea((0.44, 0.82, 0.94, 0.96)),
        logo_box=(0.07, 0.26, 0.31, 0.74), monogram=True,
        ink=("text", "primary"), eyebrow_ink=("primary", "accent", "text"), title_scale=0.095,
    ),
]

_REGISTRY: dict[str, Layout] = {}


def register_layout(layout: Layout, *, replace: bool = False) -> Layout:
    """Add ``layout`` to the registry used by the CLI and the platform. Names are unique unless ``replace``."""
    if not isinstance(layout, Layout):
        raise TypeError(f"{layout!r} is not a themes.covers.Layout")
    if not layout.name or not layout.name.replace("-", "").replace("_", "").isalnum():
        raise ValueError(f"layout name {layout.name!r} must be a non-empty slug")
    if layout.name in _REGISTRY and _REGISTRY[layout.name] is not layout and not replace:
        raise ValueError(f"a cover layout named {layout.name!r} is already registered")
    _REGISTRY[layout.name] = layout
    return layout


def unregister_layout(name: str) -> None:
    _REGISTRY.pop(name, None)


def get_layout(name: str) -> Layout:
    """The registered layout called ``name``; ``ValueError`` naming the choices otherwise."""
    try:
        return _REGISTRY[name]
    except KeyError:
        raise ValueError(f"unknown cover layout {name!r}; available: {', '.join(available_layouts())}") from None


def available_layouts() -> list[str]:
    return list(_REGISTRY)


for _layout in BUILTIN_LAYOUTS:
    register_layout(_layout)
