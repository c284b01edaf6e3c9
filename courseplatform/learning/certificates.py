"""Certificate images: a plugin draws them (``certificate_image`` hook: the theming plugin uses the storefront's
palette and the cover engine's fonts, so CJK and RTL names render); otherwise the core's plain drawing with
Pillow's built-in font. PNG, or the same image as a one-page PDF (Pillow)."""

import io

from django.utils import formats
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

from courseplatform import hooks

from .models import Certificate

SIZE = (1600, 1131)  # A4 landscape proportions
FORMATS = {"png": "image/png", "pdf": "application/pdf"}


def _plain(certificate: Certificate, issued_on: str, size: tuple[int, int]) -> Image.Image:
    image = Image.new("RGB", size, "#ffffff")
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.rectangle((24, 24, w - 25, h - 25), outline="#1f2937", width=6)
    lines = [(_("Certificate of completion"), 64, 0.22), (certificate.learner_name, 88, 0.42),
             (_("has completed"), 40, 0.55), (certificate.course_title, 56, 0.65), (issued_on, 36, 0.80),
             (certificate.course.storefront.name, 32, 0.88)]
    for text, px, y in lines:
        font = ImageFont.load_default(size=px)
        draw.text((w / 2, h * y), text, fill="#111827", font=font, anchor="mm")
    return image


def certificate_image(certificate: Certificate) -> Image.Image:
    issued_on = _("Issued on %(date)s") % {"date": formats.date_format(certificate.issued_at, "DATE_FORMAT")}
    image = hooks.first("certificate_image", storefront=certificate.course.storefront,
                        learner_name=certificate.learner_name, course_title=certificate.course_title,
                        issued_on=issued_on, size=SIZE)
    return image if image is not None else _plain(certificate, issued_on, SIZE)


def certificate_bytes(certificate: Certificate, fmt: str) -> bytes:
    image = certificate_image(certificate).convert("RGB")
    out = io.BytesIO()
    if fmt == "pdf":
        image.save(out, "PDF", resolution=150.0, title=certificate.course_title)
    else:
        image.save(out, "PNG", optimize=True)
    return out.getvalue()
