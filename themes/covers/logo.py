"""Validated logo loading, shared by covers and the storefront logo upload."""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

MAX_LOGO_BYTES = 5 * 1024 * 1024
MAX_LOGO_SIDE = 4096
ALLOWED_FORMATS = ("PNG", "JPEG", "WEBP")


class LogoError(ValueError):
    """A logo file was refused; the message is safe to show to the uploader."""


def load_logo(data: bytes) -> Image.Image:
    """Decode and validate logo bytes; return an ``RGB`` or ``RGBA`` image, EXIF orientation applied.

    Refused with :class:`LogoError`: non-bytes or empty input, more than 5 MB, a format other than PNG/JPEG/WebP
    (GIF, SVG, anything renamed), a side over 4096 px (checked from the header, before decoding, so pixel-flood
    files cost nothing), a Pillow decompression-bomb warning/error, and truncated or corrupt data.
    Transparency (alpha channel, or a palette/``tRNS`` transparent colour) is kept as ``RGBA``.
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise LogoError("logo must be raw image bytes")
    data = bytes(data)
    if not data:
        raise LogoError("logo file is empty")
    if len(data) > MAX_LOGO_BYTES:
        raise LogoError(f"logo file is {len(data) / 1048576:.1f} MB; the limit is {MAX_LOGO_BYTES // 1048576} MB")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            im = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
        except UnidentifiedImageError:
            raise LogoError("logo must be a PNG, JPEG or WebP image") from None
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise LogoError("logo image is too large (decompression bomb refused)") from None
        except (OSError, SyntaxError, ValueError) as exc:
            raise LogoError(f"logo file is corrupt: {exc}") from None
        w, h = im.size
        if w < 1 or h < 1 or w > MAX_LOGO_SIDE or h > MAX_LOGO_SIDE:
            raise LogoError(f"logo is {w}x{h} px; the limit is {MAX_LOGO_SIDE}x{MAX_LOGO_SIDE}")
        if ImageFile.LOAD_TRUNCATED_IMAGES:
            raise LogoError("refusing to decode logos while PIL.ImageFile.LOAD_TRUNCATED_IMAGES is enabled")
        try:
            im.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise LogoError("logo image is too large (decompression bomb refused)") from None
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise LogoError(f"logo file is truncated or corrupt: {exc}") from None
    im = ImageOps.exif_transpose(im)
    has_alpha = im.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in im.info
    out = im.convert("RGBA" if has_alpha else "RGB")
    out.info.clear()
    return out
