"""Logo uploads: decode only PNG/JPEG/WebP, refuse bombs, re-encode to a clean PNG.

Controls from OWASP ASVS 5.2 (file handling) and Pillow's ``Image.open(formats=…)`` advice
(GHSA-whj4-6x5x-4v2j): size cap before decoding, pixel cap before ``load()``, re-encoding strips
metadata (EXIF GPS, ICC, text chunks), a random server-side file name.
"""

import io
import uuid
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = ("PNG", "JPEG", "WEBP")


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, code="invalid_logo")


def clean_logo(uploaded) -> ContentFile:
    """Validate an uploaded logo and return a re-encoded PNG ready to store."""
    max_bytes, max_side = settings.LOGO_MAX_BYTES, settings.LOGO_MAX_SIDE
    if uploaded.size > max_bytes:
        raise _refuse(_("The logo is larger than 5 MB. Please upload a smaller file."))
    data = uploaded.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
            width, height = image.size
            if width > max_side or height > max_side:
                raise _refuse(
                    _("The logo is %(w)d×%(h)d pixels; the most we accept is 4096×4096.")
                    % {"w": width, "h": height}
                )
            image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse(_("The logo declares an enormous size (a decompression bomb) and was refused.")) from None
    except UnidentifiedImageError:
        raise _refuse(_("The logo must be a PNG, JPEG or WebP image.")) from None
    except (OSError, SyntaxError, ValueError):
        raise _refuse(_("The logo file is damaged or truncated. Please export it again.")) from None
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.png")
