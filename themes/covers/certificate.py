"""Certificates of completion drawn with the cover engine's text engine (font chains for Latin, CJK and Arabic,
shaping, fitting), in a palette's roles. Pure Pillow: the caller passes every string already translated."""

from __future__ import annotations

from PIL import Image, ImageDraw

from .fonts import get_font
from .spec import resolve_palette
from .text import Block, fit_text
from .wcag import RGB, contrast_ratio

DARK: RGB = (17, 24, 39)
WHITE: RGB = (255, 255, 255)


def _ink(preferred: RGB, background: RGB) -> RGB:
    """``preferred`` when it reads on ``background`` (WCAG AA, 4.5:1), else near-black or white."""
    if contrast_ratio(preferred, background) >= 4.5:
        return preferred
    return DARK if contrast_ratio(DARK, background) >= contrast_ratio(WHITE, background) else WHITE


def _draw(draw: ImageDraw.ImageDraw, block: Block | None, color: RGB) -> None:
    if block is None:
        return
    for line in block.lines:
        for run in line.runs:
            draw.text((run.x, run.y), run.text, fill=color, font=get_font(run.face, run.size), anchor="ls")


def render_certificate(*, heading: str, name: str, completed: str, course_title: str, issued_on: str,
                       issuer: str, palette: dict[str, str] | None, size: tuple[int, int]) -> Image.Image:
    """A landscape certificate: a frame in the primary colour, the heading, the learner's name (largest), the
    course title, the date and the issuer, each fitted to its box and centred."""
    p = resolve_palette(palette)
    w, h = size
    image = Image.new("RGB", size, p.background)
    draw = ImageDraw.Draw(image)
    band = max(8, w // 60)
    draw.rectangle((0, 0, w - 1, h - 1), outline=p.primary, width=band)
    draw.rectangle((band * 2, band * 2, w - 1 - band * 2, h - 1 - band * 2), outline=p.accent, width=max(2, band // 4))
    text = _ink(p.text, p.background)
    strong = _ink(p.primary, p.background)
    margin = w // 10

    def box(top: float, bottom: float) -> tuple[int, int, int, int]:
        return (margin, int(h * top), w - margin, int(h * bottom))

    _draw(draw, fit_text(heading, box(0.12, 0.24), weight="bold", max_size=h // 14, min_size=18, max_lines=1,
                         align="center", what="heading"), strong)
    _draw(draw, fit_text(name, box(0.32, 0.50), weight="bold", max_size=h // 9, min_size=20, max_lines=2,
                         align="center", what="name"), text)
    _draw(draw, fit_text(completed, box(0.52, 0.58), weight="regular", max_size=h // 28, min_size=14,
                         max_lines=1, align="center", what="caption"), text)
    _draw(draw, fit_text(course_title, box(0.60, 0.74), weight="bold", max_size=h // 16, min_size=16,
                         max_lines=2, align="center", what="course"), strong)
    _draw(draw, fit_text(issued_on, box(0.78, 0.84), weight="regular", max_size=h // 30, min_size=12,
                         max_lines=1, align="center", what="date"), text)
    _draw(draw, fit_text(issuer, box(0.85, 0.91), weight="regular", max_size=h // 30, min_size=12,
                         max_lines=1, align="center", what="issuer"), text)
    return image
