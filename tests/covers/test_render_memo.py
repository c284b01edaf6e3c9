"""Per-process memos of the renderer (issue 17: a storefront re-render paints one background per layout and size
and decodes its logo once): a memoised cover is the same pixels as a fresh one, and only layouts that say what
their paint depends on are memoised."""

import io

from PIL import Image

from themes.covers import CoverSpec, render_cover
from themes.covers import render as render_module
from themes.covers.layouts import GradientBand, LayoutContext, get_layout, safe_box
from themes.covers.spec import resolve_palette

PALETTE = {"background": "#f7f5ef", "surface": "#ece7da", "text": "#1d2433", "primary": "#1f4e8c",
           "secondary": "#2a7f8f", "accent": "#f2a541"}


def _spec(layout: str, course_id: int, **extra) -> CoverSpec:
    return CoverSpec(title=f"Course {course_id}", subtitle="Subtitle", creator="Ada", category="Design",
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
