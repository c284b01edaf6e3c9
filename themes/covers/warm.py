"""Per-process warm-up: open the cover fonts and probe the glyphs most covers use before the first real cover."""

from __future__ import annotations

import string

from .fonts import chain_for, get_font, split_runs
from .layouts import BUILTIN_LAYOUTS
from .render import encode, render_cover
from .spec import THUMB_SIZE, CoverSpec
from .text import _REF

#: what nearly every cover draws: printable ASCII and the commonest CJK punctuation
COMMON_TEXT = string.ascii_letters + string.digits + string.punctuation + " ，。：、（）"


def warm_up() -> None:
    """Fill this process's font, glyph-coverage and text-width memos for the common characters in both weights
    and both chains (Latin-first text and CJK text), run each built-in layout once at thumbnail size and encode
    once (Pillow imports its format plugins on the first save), so a worker's first chunk costs what its later
    ones do (a storefront's own backgrounds are still painted on first use). Idempotent; about 0.2 s."""
    for weight in ("bold", "regular"):
        for sample in ("Aa", "中文"):
            faces = chain_for(sample, weight)
            for face in faces:
                get_font(face, _REF)
            split_runs(COMMON_TEXT, faces)
    for layout in BUILTIN_LAYOUTS:
        image = render_cover(CoverSpec(title="Warm-up 0123456789 零基础", subtitle="Subtitle", creator="Creator",
                                       category="Category", layout=layout.name, size=THUMB_SIZE))
    encode(image, "webp")
