"""Theme stylesheets from palette roles. Only re-validated ``#rrggbb`` values are ever written.

OWASP XSS Prevention Cheat Sheet, rule 4: never put untrusted data in CSS unless strictly validated.
Role and variable names come from an allow-list (the preset's role map), never from user text.
"""

import re

from themes.covers.wcag import contrast_ratio, parse_hex

HEX = re.compile(r"#[0-9a-f]{6}")
ALLOWED_ROLES = ("background", "surface", "text", "primary", "secondary", "accent")
VARIABLE = re.compile(r"--c-[a-z0-9-]{1,30}")
DEFAULT_ROLE_MAP = {f"--c-{role}": role for role in ALLOWED_ROLES}


def validated_roles(roles: dict) -> dict[str, str]:
    """The allowed roles of ``roles``, each checked to be lower-case ``#rrggbb``; raises ValueError otherwise."""
    clean = {}
    for role in ALLOWED_ROLES:
        value = str(roles.get(role, "")).strip().lower()
        if not HEX.fullmatch(value):
            raise ValueError(f"palette role {role!r} is not a #rrggbb colour")
        clean[role] = value
    return clean


def on_color(fill: str, candidates: tuple[str, ...]) -> str:
    """The candidate with the highest WCAG contrast against ``fill`` (used for text on buttons)."""
    return max(candidates, key=lambda c: contrast_ratio(parse_hex(fill), parse_hex(c)))


#: WCAG 2.x SC 1.4.3: links and muted text are text, so they need 4.5:1 on every surface they sit on
TEXT_CONTRAST = 4.5
#: how far muted text (captions, help) may fade from the text colour towards the background
MUTED_MIX = 0.25


def _mix(a: str, b: str, t: float) -> str:
    """``a`` moved the fraction ``t`` of the way to ``b`` in sRGB (what CSS ``color-mix(in srgb)`` does)."""
    ra, rb = parse_hex(a), parse_hex(b)
    return "#{:02x}{:02x}{:02x}".format(*(round(x + (y - x) * t) for x, y in zip(ra, rb, strict=True)))


def _worst_contrast(color: str, grounds: tuple[str, ...]) -> float:
    return min(contrast_ratio(parse_hex(color), parse_hex(g)) for g in grounds)


def text_safe_color(color: str, toward: str, grounds: tuple[str, ...]) -> str:
    """``color`` moved the least (in 2 % steps) towards ``toward`` until it reaches 4.5:1 on
    every colour in ``grounds``. The engine only guarantees primary 3:1 on the background (enough for buttons and
    other UI parts, not for link text) but guarantees text 4.5:1 on background and surface, so moving primary
    towards text ends at a colour that reads; should even that fail (a hand-made palette), the best of text,
    black and white is used."""
    for step in range(51):
        candidate = _mix(color, toward, step / 50)
        if _worst_contrast(candidate, grounds) >= TEXT_CONTRAST:
            return candidate
    return max((toward, "#000000", "#ffffff"), key=lambda c: _worst_contrast(c, grounds))


def derived_text_colors(values: dict[str, str]) -> dict[str, str]:
    """``--c-link`` and ``--c-muted`` for the resolved custom properties ``values`` (``--c-background`` …):
    both reach 4.5:1 on the background and on the surface (links sit on both: header, breadcrumbs, cards)."""
    grounds = (values["--c-background"], values["--c-surface"])
    text = values["--c-text"]
    link = text_safe_color(values["--c-primary"], text, grounds)
    # muted text fades towards the background only as far as it keeps 4.5:1 (else it stays the text colour)
    muted = text
    for step in range(round(MUTED_MIX * 50), 0, -1):
        candidate = _mix(text, values["--c-background"], step / 50)
        if _worst_contrast(candidate, grounds) >= TEXT_CONTRAST:
            muted = candidate
            break
    return {"--c-link": link, "--c-muted": muted}


def _on_ink(roles: dict[str, str], role: str) -> str:
    """The ink for text on a ``role`` fill (buttons, badges): the most legible of white, black, text, background."""
    return on_color(roles[role], ("#ffffff", "#000000", roles["text"], roles["background"]))


def derived_colors(roles: dict[str, str]) -> dict[str, str]:
    """What the theme derives from validated ``roles`` (as :func:`theme_css` writes it): ``on-primary`` and
    ``on-accent`` (ink on those fills), ``link`` and ``muted`` (text colours at 4.5:1 on background and surface)."""
    out = {f"on-{role}": _on_ink(roles, role) for role in ("primary", "accent")}
    text = derived_text_colors({f"--c-{role}": value for role, value in roles.items()})
    return {**out, **{name.removeprefix("--c-"): value for name, value in text.items()}}


def _block(selector: str, roles: dict[str, str], role_map: dict[str, str]) -> str:
    lines = []
    values = {f"--c-{role}": roles[role] for role in ALLOWED_ROLES}
    for variable, role in role_map.items():
        if not VARIABLE.fullmatch(variable) or role not in roles:
            raise ValueError(f"invalid role mapping {variable!r} → {role!r}")
        lines.append(f"  {variable}: {roles[role]};")
        values[variable] = roles[role]
    for role in ("primary", "accent"):
        lines.append(f"  --c-on-{role}: {_on_ink(roles, role)};")
    for variable, value in derived_text_colors(values).items():
        lines.append(f"  {variable}: {value};")
    return selector + " {\n" + "\n".join(lines) + "\n}\n"


def theme_css(light: dict, dark: dict, role_map: dict[str, str] | None = None, selector: str = ":root") -> str:
    """CSS custom properties for the light palette, and the dark one under ``prefers-color-scheme: dark``."""
    role_map = role_map or DEFAULT_ROLE_MAP
    light, dark = validated_roles(light), validated_roles(dark)
    if not re.fullmatch(r"[:.a-z0-9_-]{1,40}", selector):
        raise ValueError("invalid selector")
    return (
        "/* generated from validated palette tokens */\n"
        + _block(selector, light, role_map)
        + "@media (prefers-color-scheme: dark) {\n"
        + _block(selector, dark, role_map)
        + "}\n"
    )


def preview_css(palettes: list[tuple[int, dict, dict]]) -> str:
    """Scoped classes for live previews and swatches: ``.pv-<id>`` (light), ``.pv-<id>-dark`` (dark), and
    ``.sw-<id>-<variant>-<role>`` swatches, so pages need no inline styles under the CSP."""
    out = []
    for palette_id, light, dark in palettes:
        pid = int(palette_id)
        light, dark = validated_roles(light), validated_roles(dark)
        out.append(_block(f".pv-{pid}", light, DEFAULT_ROLE_MAP))
        out.append(_block(f".pv-{pid}-dark", dark, DEFAULT_ROLE_MAP))
        for variant, roles in (("light", light), ("dark", dark)):
            for role, value in roles.items():
                out.append(f".sw-{pid}-{variant}-{role} {{ background: {value}; }}\n")
    return "".join(out)
