"""Validation of creator input that reaches CSS, images or templates.

Colours: only ``#rrggbb`` survives (normalised to lower case). OWASP XSS Prevention Cheat Sheet,
rule 4: strictly validate anything that ends up in CSS.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

HEX_COLOR = re.compile(r"#[0-9a-fA-F]{6}")
#: as many as a palette brief takes (``themes.forms.MAX_BRIEF_COLOURS``): the studio starts from these
MAX_BRAND_COLORS = 8


def normalise_hex(value: object) -> str:
    """Return ``value`` as lower-case ``#rrggbb`` or raise ValidationError."""
    if not isinstance(value, str) or not HEX_COLOR.fullmatch(value.strip()):
        shown = str(value)[:40]
        raise ValidationError(
            _("“%(value)s” is not a colour in #rrggbb form (for example #1e88e5).") % {"value": shown},
            code="invalid_color",
        )
    return value.strip().lower()


def parse_brand_colors(text: str) -> list[str]:
    """Parse a comma- or space-separated list of up to :data:`MAX_BRAND_COLORS` ``#rrggbb`` colours."""
    colors = [normalise_hex(p) for p in re.split(r"[\s,;]+", text or "") if p]
    if len(colors) > MAX_BRAND_COLORS:
        raise ValidationError(
            _("Give at most %(n)d brand colours.") % {"n": MAX_BRAND_COLORS}, code="too_many_colors"
        )
    return colors


def validate_brand_colors(value: object) -> None:
    if not isinstance(value, list):
        raise ValidationError(_("Brand colours must be a list."), code="invalid_color")
    if len(value) > MAX_BRAND_COLORS:
        raise ValidationError(
            _("Give at most %(n)d brand colours.") % {"n": MAX_BRAND_COLORS}, code="too_many_colors"
        )
    for item in value:
        if normalise_hex(item) != item:
            raise ValidationError(_("Colours must be stored in lower case."), code="invalid_color")


def parse_keywords(text: str) -> list[str]:
    """Split brand keywords on English or Chinese commas; trims and de-duplicates, keeps order."""
    seen: list[str] = []
    for word in re.split(r"[,，、;；\n]+", text or ""):
        word = " ".join(word.split())
        if word and word.lower() not in [s.lower() for s in seen]:
            seen.append(word[:40])
    if len(seen) > 12:
        raise ValidationError(_("Give at most 12 brand keywords."), code="too_many_keywords")
    return seen
