"""Per-process memos of the renderer (issue 17: a storefront re-render paints one background per layout and size
and decodes its logo once): a memoised cover is the same pixels as a fresh one, and only layouts that say what
their paint depends on are memoised."""

import io
from dataclasses import replace

from PIL import Image

from themes.covers import CoverSpec, render_cover, render_cover_detailed
from themes.covers import render as render_module
from themes.covers.layouts import GradientBand, LayoutContext, get_layout, safe_box
from themes.covers.spec import resolve_palette

PALETTE = {"background": "#f7f5ef", "surface": "#ece7da", "text": "#1d2433", "primary": "#1f4e8c",
           "secondary": "#2a7f8f", "accent": "#f2a541"}


def _spec(layout: str, course_id: int, **extra) -> CoverSpec:
    return CoverSpec(title=f"Course {course_id}", subtitle="Subtitle", creator=extra.pop("creator", "Ada"),
                     category="Design",
                     course_id=course_id, palette=extra.pop("palette", PALETTE), layout=layout, size=(480, 270),
                     format="webp", **extra)


def _logo() -> bytes:
    buf = io.BytesIO()
    Image.new("RGBA", (64, 64), (200, 30, 30, 255)).save(buf, format="PNG")
    return buf.getvalue()


def test_a_memoised_background_gives_the_same_pixels_as_a_fresh_one():
    for layout in ("gradient-band", "split", "geometric"):
        render_module._BACKGROUNDS.clear()
        fresh = render_cover(_spec(layout, 7)).tobytes()
        render_cover(_spec(layout, 8))  # memoised by now (where the layout allows)
        assert render_cover(_spec(layout, 7)).tobytes() == fresh


def test_another_palette_is_not_served_a_memoised_background():
    render_module._BACKGROUNDS.clear()
    first = render_cover(_spec("gradient-band", 1))
    other = render_cover(_spec("gradient-band", 1, palette={**PALETTE, "primary": "#8c1f4e"}))
    assert first.tobytes() != other.tobytes()


def test_only_layouts_that_say_what_they_paint_from_are_memoised():
    ctx = LayoutContext(palette=resolve_palette(PALETTE), size=(480, 270), safe_box=safe_box((480, 270)), seed="1")
    spec = _spec("gradient-band", 1)
    assert get_layout("gradient-band").paint_key(spec, ctx) is not None
    assert get_layout("geometric").paint_key(spec, ctx) is None  # shapes come from the course id

    class Striped(GradientBand):  # a plugin's own paint: nothing says what it depends on
        def paint(self, canvas, spec, ctx):
            super().paint(canvas, spec, ctx)

    assert Striped(name="striped", label="Striped", title_area=get_layout("gradient-band").title_area) \
        .paint_key(spec, ctx) is None


def test_a_logo_is_decoded_once_per_process_and_drawn_the_same():
    render_module._LOGOS.clear()
    logo = _logo()
    first = render_cover(_spec("split", 3, logo=logo)).tobytes()
    assert len(render_module._LOGOS) == 1
    assert render_cover(_spec("split", 3, logo=logo)).tobytes() == first
    assert len(render_module._LOGOS) == 1


def test_text_drawn_from_a_reused_glyph_mask_is_the_same_pixels_as_pillows_own_text():
    from PIL import ImageDraw

    from themes.covers.fonts import chain_for, get_font
    from themes.covers.text import Run

    render_module._MASKS.clear()
    for text in ("Programming", "零基础学Python", "مرحبا"):
        face = chain_for(text, "bold")[0]
        for x, y in ((40, 80), (40.37, 80), (12.5, 61), (-3.25, 30)):
            expected = Image.new("RGB", (480, 120), (20, 40, 60))
            ImageDraw.Draw(expected).text((x, y), text, fill=(250, 200, 10), font=get_font(face, 36), anchor="ls")
            for _ in range(2):  # rasterised, then served from the memo
                got = Image.new("RGB", (480, 120), (20, 40, 60))
                render_module._draw_run(ImageDraw.Draw(got), Run(face, 36, text, x, y), (250, 200, 10))
                assert got.tobytes() == expected.tobytes()
    assert render_module._MASKS


def test_a_cover_that_draws_a_scrim_or_a_logo_leaves_the_memoised_background_untouched():
    # on this palette the split layout's monogram needs a scrim (a plate drawn on the canvas)
    clash = {"background": "#5aeb84", "surface": "#a26d7e", "text": "#e06b14", "primary": "#7392f5",
             "secondary": "#7a0c3e", "accent": "#a03f8d"}
    assert any(p.scrim for p in render_cover_detailed(_spec("split", 2, palette=clash)).texts)
    for palette, extra in ((clash, {}), (PALETTE, {"logo": _logo()})):
        render_module._BACKGROUNDS.clear()
        plain = render_cover(_spec("split", 1, palette=palette, creator=""))
        (memo,) = render_module._BACKGROUNDS.values()
        before = memo.image.tobytes()
        render_cover(_spec("split", 2, palette=palette, **extra))
        assert memo.image.tobytes() == before
        assert render_cover(_spec("split", 1, palette=palette, creator="")).tobytes() == plain.tobytes()


def test_a_memoised_text_fit_is_handed_out_as_a_copy():
    from themes.covers.text import fit_text

    first = fit_text("Ada Lovelace", (10, 10, 400, 60), weight="regular", max_size=24, min_size=12, max_lines=1)
    bbox = first.bbox
    first.shift(0, 100)
    again = fit_text("Ada Lovelace", (10, 10, 400, 60), weight="regular", max_size=24, min_size=12, max_lines=1)
    assert again.bbox == bbox and again.lines[0].runs[0].y == first.lines[0].runs[0].y - 100


def test_the_geometric_panel_drawn_as_an_opaque_layer_is_the_same_pixels_as_composited(monkeypatch):
    from themes.covers import layouts, paint

    specs = [replace(_spec("geometric", course_id), size=size) for course_id in (1, 2, 3)
             for size in ((1280, 720), (480, 270))]
    opaque = [render_cover(spec).tobytes() for spec in specs]

    def composited(canvas, draw_fn, box=None, scale=2, opaque=False):
        paint.overlay(canvas, draw_fn, box, scale)  # the RGBA layer, alpha-blended

    monkeypatch.setattr(layouts, "overlay", composited)
    assert [render_cover(spec).tobytes() for spec in specs] == opaque
