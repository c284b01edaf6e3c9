"""Property test: arbitrary Unicode titles render inside the safe area or raise a ValueError; never crash."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from themes.covers import THUMB_SIZE, CoverSpec, render_cover_detailed

from .conftest import text_pixels_outside_boxes


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=st.text(max_size=120), layout=st.sampled_from(["gradient-band", "geometric", "split"]))
def test_random_unicode_titles_render_inside_the_safe_area(title: str, layout: str) -> None:
    render = render_cover_detailed(CoverSpec(title=title, subtitle=title[:40], creator=title[:20], layout=layout,
                                             size=THUMB_SIZE, format="png"))
    sx0, sy0, sx1, sy1 = render.safe_box
    for p in render.texts:
        x0, y0, x1, y1 = p.bbox
        assert sx0 <= x0 and sy0 <= y0 and x1 <= sx1 and y1 <= sy1
    assert text_pixels_outside_boxes(render) == 0
