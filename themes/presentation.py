"""Turn stored palettes into what templates show: swatch rows, contrast tables with badges."""

from django.utils.translation import gettext_lazy as _

ROLE_ORDER = ("background", "surface", "text", "primary", "secondary", "accent")
#: WCAG 2.x thresholds: 4.5:1 for body text (SC 1.4.3), 3:1 for large text and UI components (SC 1.4.11).
THRESHOLDS = {"text/background": 4.5, "text/surface": 4.5, "primary/background": 3.0}
INFO_THRESHOLD = 3.0


def swatches(palette) -> list[dict]:
    return [{"role": role, "light": palette.colors.get(role, ""), "dark": palette.dark.get(role, "")}
            for role in ROLE_ORDER if role in palette.colors]


def contrast_rows(palette) -> list[dict]:
    rows = []
    pairs = list(dict.fromkeys([*THRESHOLDS, *palette.contrast.get("light", {})]))
    for pair in pairs:
        required = THRESHOLDS.get(pair)
        row = {"pair": pair, "required": required, "cells": []}
        for variant in ("light", "dark"):
            ratio = palette.contrast.get(variant, {}).get(pair)
            threshold = required or INFO_THRESHOLD
            passed = ratio is not None and ratio >= threshold
            label = (_("pass") if passed else _("fail")) if required else (_("ok for large text") if passed
                                                                                else _("decorative only"))
            row["cells"].append({"variant": variant, "ratio": ratio, "passed": passed, "label": label,
                                 "hard": bool(required)})
        rows.append(row)
    return rows
