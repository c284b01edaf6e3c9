"""Pure-Pillow course cover renderer (no Django, Celery or torch).

Public API: :class:`CoverSpec`, :func:`render_cover`, :func:`render_cover_bytes`, :func:`render_cover_detailed`,
:func:`render_many`, :func:`cover_hash`, :func:`load_logo`, layouts (:class:`Layout`, :class:`TextArea`,
``BUILTIN_LAYOUTS``, :func:`register_layout`, :func:`get_layout`, :func:`available_layouts`), fonts
(:func:`missing_glyphs`) and the size/format constants.
"""

from .fonts import find_font, missing_glyphs
from .layouts import (
    BUILTIN_LAYOUTS,
    Layout,
    LayoutContext,
    TextArea,
    available_layouts,
    get_layout,
    register_layout,
    safe_box,
    unregister_layout,
)
from .logo import MAX_LOGO_BYTES, MAX_LOGO_SIDE, LogoError, load_logo
from .render import (
    CoverRender,
    EncodedCover,
    TextPlacement,
    encode,
    render_cover,
    render_cover_bytes,
    render_cover_detailed,
    render_many,
)
from .spec import (
    CARD_SIZE,
    FORMATS,
    RENDERER_VERSION,
    SIZES,
    SOCIAL_SIZE,
    THUMB_SIZE,
    TITLE_MAX_CHARS,
    CoverSpec,
    Palette,
    clean_text,
    cover_hash,
    resolve_palette,
)
from .wcag import contrast_ratio, luminance

__all__ = [
    "BUILTIN_LAYOUTS", "CARD_SIZE", "FORMATS", "MAX_LOGO_BYTES", "MAX_LOGO_SIDE", "RENDERER_VERSION", "SIZES",
    "SOCIAL_SIZE", "THUMB_SIZE", "TITLE_MAX_CHARS", "CoverRender", "CoverSpec", "EncodedCover", "Layout",
    "LayoutContext", "LogoError", "Palette", "TextArea", "TextPlacement", "available_layouts", "clean_text",
    "contrast_ratio", "cover_hash", "encode", "find_font", "get_layout", "load_logo", "luminance", "missing_glyphs",
    "register_layout", "render_cover", "render_cover_bytes", "render_cover_detailed", "render_many",
    "resolve_palette", "safe_box", "unregister_layout",
]
