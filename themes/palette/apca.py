"""APCA lightness contrast (Lc), reported beside the WCAG 2.x ratios (the hard constraints stay WCAG 2.x).

Source: A. Somers, *APCA - Accessible Perceptual Contrast Algorithm*, APCA-W3 version 0.0.98G-4g (the
constants of the ``apca-w3`` reference implementation, 2022): screen luminance from sRGB with a plain 2.4
exponent and the sRGB coefficients, a soft black clamp, then separate power curves for dark-on-light (normal)
and light-on-dark (reverse) polarity. Lc is about +106 for black text on white and about -108 for white on black;
|Lc| 75 is APCA's body-text level and 60 its level for larger text; below |Lc| 7.5 (after offset) it is 0.
"""

from __future__ import annotations

from .colorspace import parse_hex

_MAIN_TRC = 2.4
_COEFFS = (0.2126729, 0.7151522, 0.0721750)
_NORM_BG, _NORM_TXT, _REV_TXT, _REV_BG = 0.56, 0.57, 0.62, 0.65
_BLK_THRS, _BLK_CLMP = 0.022, 1.414
_SCALE, _OFFSET, _LO_CLIP, _DELTA_Y_MIN = 1.14, 0.027, 0.1, 0.0005


def _screen_y(hex_value: str) -> float:
    rgb = parse_hex(hex_value)
    y = sum(c * (v / 255.0) ** _MAIN_TRC for c, v in zip(_COEFFS, rgb, strict=True))
    return y + (_BLK_THRS - y) ** _BLK_CLMP if y < _BLK_THRS else y


def apca_lc(text_hex: str, background_hex: str) -> float:
    """APCA Lc of ``text_hex`` on ``background_hex`` (positive: dark text on light, negative: light on dark)."""
    y_txt, y_bg = _screen_y(text_hex), _screen_y(background_hex)
    if abs(y_bg - y_txt) < _DELTA_Y_MIN:
        return 0.0
    if y_bg > y_txt:
        s = (y_bg**_NORM_BG - y_txt**_NORM_TXT) * _SCALE
        return 0.0 if s < _LO_CLIP else (s - _OFFSET) * 100.0
    s = (y_bg**_REV_BG - y_txt**_REV_TXT) * _SCALE
    return 0.0 if s > -_LO_CLIP else (s + _OFFSET) * 100.0
