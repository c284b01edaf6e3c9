"""Contract check for any cover layout (built-in or plugin): the shared plugin contract test calls this.

``check_layout(layout)`` renders the layout at every standard size with an English, a Chinese and an
over-long title and returns a list of problems (empty when the layout honours the contract): text inside the
safe area, nothing drawn by text outside its recorded box, ≥ 4.5:1 contrast measured on the pixels behind each
text, the requested size, and identical bytes on a second render.
"""

from __future__ import annotations

import numpy as np

from .layouts import Layout, get_layout
from .render import CoverRender, encode, render_cover_detailed
from .spec import SIZES, CoverSpec
from .wcag import AA_NORMAL, luminance_array, min_contrast_against

CONTRACT_TITLES = (
    "Practical Machine Learning with Python",
    "零基础学Python：从入门到精通（第二版）",
    "An extremely long course title " * 8,
)
CONTRACT_PALETTES = (
    {"background": "#f7f5ef", "text": "#1d2433", "primary": "#1f4e8c", "secondary": "#2a7f8f", "accent": "#f2a541"},
    {"background": "#0f172a", "text": "#e2e8f0", "primary": "#a78bfa", "secondary": "#f472b6", "accent": "#facc15"},
)


def render_problems(render: CoverRender, size: tuple[int, int]) -> list[str]:
    """Problems with one render (see module docstring)."""
    problems: list[str] = []
    if render.image.size != size or render.image.mode != "RGB":
        problems.append(f"image is {render.image.mode} {render.image.size}, expected RGB {size}")
    sx0, sy0, sx1, sy1 = render.safe_box
    bg, img = np.asarray(render.background), np.asarray(render.image)
    mask = np.zeros(bg.shape[:2], dtype=bool)
    for p in render.texts:
        x0, y0, x1, y1 = p.bbox
        if not (sx0 <= x0 and sy0 <= y0 and x1 <= sx1 and y1 <= sy1):
            problems.append(f"{p.role} box {p.bbox} leaves the safe area {render.safe_box}")
        c = min_contrast_against(p.color, luminance_array(bg[max(0, y0):y1, max(0, x0):x1]))
        if c < AA_NORMAL:
            problems.append(f"{p.role} contrast {c:.2f} < {AA_NORMAL}")
        mask[max(0, y0):y1, max(0, x0):x1] = True
    stray = int((np.any(img != bg, axis=2) & ~mask).sum())
    if stray:
        problems.append(f"text drew {stray} pixels outside its boxes")
    return problems


def check_layout(layout: Layout | str) -> list[str]:
    """Run the contract against ``layout`` (an object or a registered name); return the problems found."""
    layout = get_layout(layout) if isinstance(layout, str) else layout
    problems: list[str] = []
    for size in SIZES.values():
        for i, title in enumerate(CONTRACT_TITLES):
            palette = CONTRACT_PALETTES[i % len(CONTRACT_PALETTES)]
            spec = CoverSpec(title=title, subtitle="A subtitle", creator="Creator Name", category="Category",
                             course_id=i, palette=palette, layout=layout.name, size=size, format="png")
            try:
                render = render_cover_detailed(spec)
            except Exception as exc:  # noqa: BLE001 - a contract check reports, it does not crash
                problems.append(f"{size} {title[:20]!r}: {type(exc).__name__}: {exc}")
                continue
            problems += [f"{size} {title[:20]!r}: {p}" for p in render_problems(render, size)]
            if i == 0 and encode(render.image, "png") != encode(render_cover_detailed(spec).image, "png"):
                problems.append(f"{size}: two renders of the same spec differ")
    return problems
