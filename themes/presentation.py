"""Turn stored palettes into what templates show: swatch rows, contrast tables with badges."""

import colorsys
import re

from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

from themes.covers.wcag import contrast_ratio, parse_hex

from .css import derived_text_colors, validated_roles

ROLE_ORDER = ("background", "surface", "text", "primary", "secondary", "accent")
#: display labels of the palette roles; the keys stay English in stored palettes, CSS classes and tokens
ROLE_LABELS = {
    "background": pgettext_lazy("palette role", "background"),
    "surface": pgettext_lazy("palette role", "surface"),
    "text": pgettext_lazy("palette role", "text"),
    "primary": pgettext_lazy("palette role", "primary"),
    "secondary": pgettext_lazy("palette role", "secondary"),
    "accent": pgettext_lazy("palette role", "accent"),
    "on-primary": pgettext_lazy("palette role", "on primary"),
    "on-accent": pgettext_lazy("palette role", "on accent"),
    "link": pgettext_lazy("palette role", "link"),
}
_NUMBERED_ACCENT = re.compile(r"accent(\d+)")  # accent2 … accent5 when a palette has more than six colours


def role_label(role: str):
    """The translated display label of a palette role (``role`` itself when it has none)."""
    if role in ROLE_LABELS:
        return ROLE_LABELS[role]
    numbered = _NUMBERED_ACCENT.fullmatch(role)
    if numbered:
        return format_lazy(pgettext_lazy("palette role", "accent {n}"), n=numbered.group(1))
    return role


def pair_label(pair: str):
    """The display label of a contrast pair key such as ``text/background`` (foreground/background)."""
    fg, slash, bg = pair.partition("/")
    if not slash:
        return role_label(pair)
    return format_lazy("{}/{}", role_label(fg), role_label(bg))


#: WCAG 2.x thresholds: 4.5:1 for body text (SC 1.4.3), 3:1 for large text and UI components (SC 1.4.11).
#: Links are text: the theme draws them in the derived link colour (themes/css.py), never in primary.
THRESHOLDS = {"text/background": 4.5, "text/surface": 4.5, "link/background": 4.5, "link/surface": 4.5,
              "primary/background": 3.0}
INFO_THRESHOLD = 3.0
#: what each checked pair is used for: text (4.5:1) or interface parts such as buttons and borders (3:1)
PAIR_USES = {"text/background": "text", "text/surface": "text", "link/background": "text",
             "link/surface": "text", "primary/background": "ui"}
USE_LABELS = {"text": _("text"), "ui": _("interface (buttons, borders, large text)"),
              "info": _("decoration")}


def shown_roles(colors: dict) -> list[str]:
    """The roles a palette of ``colors`` shows, in display order: the six core roles, then accent 2, 3 … (a
    palette of more than six colours)."""
    numbered = sorted((r for r in colors if isinstance(r, str) and _NUMBERED_ACCENT.fullmatch(r)),
                      key=lambda r: int(r[6:]))
    return [*ROLE_ORDER, *numbered]


def swatches(palette) -> list[dict]:
    return [{"role": role, "label": role_label(role), "light": palette.colors.get(role, ""),
             "dark": palette.dark.get(role, "")} for role in shown_roles(palette.colors) if role in palette.colors]


def review_note(palette) -> str:
    """The note of the latest approval or rejection of ``palette`` ("" when none; plain text, escaped by templates)."""
    decisions = [t for t in palette.transitions.all() if t.to_status in ("approved", "rejected") and t.note]
    return decisions[-1].note if decisions else ""


def _link_ratios(palette) -> dict[str, dict[str, float]]:
    """Contrast of the theme's derived link colour on background and surface, per variant (computed from the
    stored colours: the engine does not know about links)."""
    out: dict[str, dict[str, float]] = {}
    for variant, colors in (("light", palette.colors), ("dark", palette.dark)):
        try:
            roles = validated_roles(colors)
        except ValueError:
            continue
        link = parse_hex(derived_text_colors({f"--c-{r}": v for r, v in roles.items()})["--c-link"])
        out[variant] = {f"link/{bg}": round(contrast_ratio(link, parse_hex(roles[bg])), 2)
                        for bg in ("background", "surface")}
    return out


def contrast_rows(palette) -> list[dict]:
    rows = []
    pairs = list(dict.fromkeys([*THRESHOLDS, *palette.contrast.get("light", {})]))
    links = _link_ratios(palette)
    for pair in pairs:
        required = THRESHOLDS.get(pair)
        use = PAIR_USES.get(pair, "info")
        row = {"pair": pair, "label": pair_label(pair), "required": required, "use": use,
               "use_label": USE_LABELS[use], "cells": []}
        for variant in ("light", "dark"):
            ratio = {**palette.contrast.get(variant, {}), **links.get(variant, {})}.get(pair)
            threshold = required or INFO_THRESHOLD
            passed = ratio is not None and ratio >= threshold
            if required:
                label = _("pass") if passed else _("fail")
            else:  # a decoration pair: the WCAG level it reaches, as the style guide's matrix says it
                label = LEVEL_LABELS[contrast_level(ratio)] if passed else _("decorative only")
            apca = (getattr(palette, "details", None) or {}).get("apca", {}).get(variant, {}).get(pair)
            row["cells"].append({"variant": variant, "ratio": ratio, "passed": passed, "label": label,
                                 "hard": bool(required), "apca": apca})
        rows.append(row)
    return rows


#: WCAG 2.x levels of a contrast ratio, strictest first: 7:1 enhanced (SC 1.4.6), 4.5:1 body text (SC 1.4.3),
#: 3:1 large text and UI components (SC 1.4.3, 1.4.11); below 3:1 the pair is decorative only.
LEVELS = ((7.0, "aaa"), (4.5, "aa"), (3.0, "large"))
LEVEL_LABELS = {"aaa": "AAA", "aa": "AA", "large": _("ok for large text"), "fail": _("fail")}


def contrast_level(ratio: float) -> str:
    """The strictest WCAG level ``ratio`` meets: ``aaa``, ``aa``, ``large`` or ``fail``."""
    return next((level for threshold, level in LEVELS if ratio >= threshold), "fail")


def contrast_matrix(palette) -> list[dict]:
    """Every role as text on every role as background, for the light and the dark variant.

    One entry per variant: ``{"variant", "label", "roles", "rows"}``; each row is a foreground role with one
    cell per background role: ``{"on", "ratio" (WCAG 2.x contrast ratio, 2 decimals), "level", "label",
    "same"}``. Ratios are computed from the stored colours, not read from the engine's table, so every pair
    appears and the matrix is right for palettes made by hand too.
    """
    from themes.covers.wcag import contrast_ratio, parse_hex

    variants = []
    for variant, label, colors in (("light", _("Light"), palette.colors), ("dark", _("Dark"), palette.dark)):
        parsed = {}
        for role in ROLE_ORDER:
            try:
                parsed[role] = parse_hex(colors.get(role, ""))
            except ValueError:  # a missing or malformed role is left out rather than guessed
                continue
        roles = list(parsed)
        rows = []
        for fg in roles:
            cells = []
            for bg in roles:
                ratio = round(contrast_ratio(parsed[fg], parsed[bg]), 2)
                level = contrast_level(ratio)
                cells.append({"on": bg, "on_label": role_label(bg), "ratio": ratio, "level": level,
                              "label": LEVEL_LABELS[level], "same": fg == bg})
            rows.append({"role": fg, "role_label": role_label(fg), "cells": cells})
        variants.append({"variant": variant, "label": label, "roles": roles,
                         "columns": [{"role": role, "label": role_label(role)} for role in roles], "rows": rows})
    return variants


#: hue families (upper bound of the hue in degrees, name) for naming palettes after their colours
_HUES = ((15, pgettext_lazy("colour", "red")), (40, pgettext_lazy("colour", "orange")),
         (48, pgettext_lazy("colour", "amber")), (70, pgettext_lazy("colour", "yellow")),
         (90, pgettext_lazy("colour", "lime")), (150, pgettext_lazy("colour", "green")),
         (185, pgettext_lazy("colour", "teal")), (200, pgettext_lazy("colour", "cyan")),
         (250, pgettext_lazy("colour", "blue")), (270, pgettext_lazy("colour", "indigo")),
         (290, pgettext_lazy("colour", "violet")), (320, pgettext_lazy("colour", "purple")),
         (345, pgettext_lazy("colour", "pink")), (361, pgettext_lazy("colour", "red")))
_TONES = {"deep": pgettext_lazy("colour tone", "deep"), "light": pgettext_lazy("colour tone", "light")}


def colour_name(hex_value: str) -> str:
    """A short everyday name for ``#rrggbb`` in the active language: "deep teal", "light pink", "grey"."""
    from themes.covers.wcag import parse_hex

    try:
        r, g, b = (c / 255 for c in parse_hex(hex_value))
    except ValueError:
        return ""
    hue, lightness, saturation = colorsys.rgb_to_hls(r, g, b)
    if saturation < 0.15 or lightness < 0.08 or lightness > 0.95:
        hue_name = pgettext("colour", "grey") if 0.08 <= lightness <= 0.95 else (
            pgettext("colour", "black") if lightness < 0.08 else pgettext("colour", "white"))
        tone = ""
    else:
        degrees = hue * 360
        hue_name = str(next(name for bound, name in _HUES if degrees < bound))
        tone = "deep" if lightness < 0.35 else "light" if lightness > 0.7 else ""
    if not tone:
        return hue_name
    return pgettext("colour name", "%(tone)s %(hue)s") % {"tone": _TONES[tone], "hue": hue_name}


def palette_name(palette) -> str:
    """A palette's display name, numbered within its job and named after its primary and accent colours:
    "Candidate 2 — Green with light yellow" (translated), instead of its database id."""
    colours = pgettext("palette name", "%(primary)s with %(accent)s") % {
        "primary": colour_name(palette.colors.get("primary", "")),
        "accent": colour_name(palette.colors.get("accent", ""))}
    if palette.job_id is None:
        return pgettext("palette name", "Palette — %(colours)s") % {"colours": capfirst(colours)}
    return pgettext("palette name", "Candidate %(n)s — %(colours)s") % {"n": palette.rank + 1,
                                                                      "colours": capfirst(colours)}


#: dichromacies the engine simulates (Machado et al. 2009, severity 1), in the order the studio shows them
CVD_KINDS = {"deuteranopia": _("Deuteranopia (no green cones)"), "protanopia": _("Protanopia (no red cones)"),
             "tritanopia": _("Tritanopia (no blue cones)")}
VARIANT_LABELS = {"light": _("Light"), "dark": _("Dark")}
_HEX = re.compile(r"#[0-9a-fA-F]{6}")


def cvd_previews(palette) -> list[dict]:
    """How the candidate looks to people with each dichromacy, per variant, from the engine's simulation stored
    with the candidate (``details["cvd"]``): ``[{"variant", "label", "kinds": [{"kind", "label", "swatches":
    [{"role", "label", "hex"}]}]}]``; empty for palettes made before the engine reported it."""
    stored = (getattr(palette, "details", None) or {}).get("cvd") or {}
    out = []
    for variant in ("light", "dark"):
        kinds = []
        for kind, label in CVD_KINDS.items():
            colours = stored.get(variant, {}).get(kind, {})
            swatches_ = [{"role": role, "label": role_label(role), "hex": colours[role].lower()}
                         for role in shown_roles(colours) if _HEX.fullmatch(str(colours.get(role, "")))]
            if swatches_:
                kinds.append({"kind": kind, "label": label, "swatches": swatches_})
        if kinds:
            out.append({"variant": variant, "label": VARIANT_LABELS[variant], "kinds": kinds})
    return out


def tone_keys(tones: dict) -> list[str]:
    keys = {t for roles in tones.values() for ramp in roles.values() for t in ramp}
    return sorted((t for t in keys if t.isascii() and t.isdigit()), key=int)


def validated_tones(palette, every_role: bool = False) -> dict[str, dict[str, dict[str, str]]]:
    """The candidate's tonal ramps (``details["tones"]``, OKLab tones 0-100 per role and variant) as
    ``{variant: {role: {tone: "#rrggbb"}}}`` with only the theme's roles (with ``every_role``, accent 2, 3 … of
    a larger palette too: shown, not written into the theme), numeric tones and ``#rrggbb`` values (they are
    written into CSS and tokens); empty when the palette has none."""
    stored = (getattr(palette, "details", None) or {}).get("tones") or {}
    out: dict[str, dict[str, dict[str, str]]] = {}
    for variant in ("light", "dark"):
        roles = {}
        for role in shown_roles(stored.get(variant, {})) if every_role else ROLE_ORDER:
            ramp = stored.get(variant, {}).get(role, {})
            clean = {t: str(v.get("hex", "")).lower() for t, v in ramp.items()
                     if isinstance(v, dict) and str(t).isascii() and str(t).isdigit() and len(str(t)) <= 3
                     and _HEX.fullmatch(str(v.get("hex", "")))}
            if clean:
                roles[role] = dict(sorted(clean.items(), key=lambda kv: int(kv[0])))
        if roles:
            out[variant] = roles
    return out


def tone_tables(palette) -> list[dict]:
    """Per variant, a table of each role's ramp: tones as columns, each cell the tone's colour and its WCAG
    contrast on that variant's background (so a designer sees which tints still read as text, ≥ 4.5:1)."""
    stored = (getattr(palette, "details", None) or {}).get("tones") or {}
    clean = validated_tones(palette, every_role=True)
    tables = []
    for variant, roles in clean.items():
        tones = tone_keys({variant: roles})
        rows = []
        for role, ramp in roles.items():
            cells = []
            for t in tones:
                ratio = stored[variant][role].get(t, {}).get("contrast")
                cells.append({"tone": t, "hex": ramp.get(t, ""), "contrast": ratio,
                              "text_ok": isinstance(ratio, int | float) and ratio >= THRESHOLDS["text/background"]})
            rows.append({"role": role, "label": role_label(role), "cells": cells})
        tables.append({"variant": variant, "label": VARIANT_LABELS[variant], "tones": tones, "rows": rows})
    return tables
