"""Built-in design-token exporters: CSS variables, W3C design-tokens JSON, a Tailwind theme snippet.

``tokens`` is ``{"light": {role: "#rrggbb"}, "dark": {role: "#rrggbb"}, "name": str, "tones": {variant: {role:
{tone: "#rrggbb"}}}}`` with values already re-validated (:func:`themes.css.validated_roles`,
:func:`themes.presentation.validated_tones`). ``tones`` are the engine's tonal ramps (OKLab lightness 0-100 at each
role's hue, :mod:`themes.palette.tones`), so components can use tints; it is empty for palettes made before the
engine reported them, and the exporters then write the roles alone. ``derived`` (``{variant: {name: "#rrggbb"}}``,
:func:`themes.css.derived_colors`) holds the colours the theme derives: ``on-primary``, ``on-accent``, ``link`` and
``muted``; every format carries them, as the CSS does.
"""

import json
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from themes.css import theme_css
from themes.plugins.hookspecs import hookimpl


def _colours(tokens: dict, variant: str) -> dict[str, str]:
    """A variant's roles and the colours derived from them, as the theme's CSS has them."""
    return {**tokens[variant], **(tokens.get("derived") or {}).get(variant, {})}


@dataclass(frozen=True)
class CssVariables:
    slug: str = "css"
    label: str = _("CSS variables")
    media_type: str = "text/css"
    filename: str = "palette.css"

    def export(self, tokens: dict) -> str:
        css = theme_css(tokens["light"], tokens["dark"])
        tones = tokens.get("tones") or {}
        blocks = []
        for variant in ("light", "dark"):
            lines = [f"  --c-{role}-{tone}: {value};" for role, ramp in tones.get(variant, {}).items()
                     for tone, value in ramp.items()]
            if lines:
                block = ":root {\n" + "\n".join(lines) + "\n}\n"
                blocks.append(block if variant == "light" else "@media (prefers-color-scheme: dark) {\n" + block + "}\n")
        return css + ("/* tonal ramps: --c-<role>-<tone>, tone 0 (black) to 100 (white) */\n" + "".join(blocks)
                      if blocks else "")


@dataclass(frozen=True)
class W3CDesignTokens:
    """Design Tokens Community Group format (https://tr.designtokens.org/format/): ``$type``/``$value``."""

    slug: str = "w3c"
    label: str = _("Design tokens (W3C JSON)")
    media_type: str = "application/json"
    filename: str = "palette.tokens.json"

    def export(self, tokens: dict) -> str:
        doc = {variant: {role: {"$type": "color", "$value": value} for role, value in _colours(tokens, variant).items()}
               for variant in ("light", "dark")}
        out = {"color": doc}
        tones = tokens.get("tones") or {}
        if tones:  # a group per variant and role; a token cannot also be a group, so ramps live beside the roles
            out["tone"] = {variant: {role: {tone: {"$type": "color", "$value": value} for tone, value in ramp.items()}
                                     for role, ramp in roles.items()} for variant, roles in tones.items()}
        return json.dumps(out, indent=2, sort_keys=True) + "\n"


@dataclass(frozen=True)
class TailwindTheme:
    slug: str = "tailwind"
    label: str = _("Tailwind theme")
    media_type: str = "text/javascript"
    filename: str = "tailwind.palette.js"

    def export(self, tokens: dict) -> str:
        light, dark = _colours(tokens, "light"), _colours(tokens, "dark")
        colors = {role: {"DEFAULT": light[role], "dark": dark[role]} for role in light if role in dark}
        tones = tokens.get("tones") or {}
        for role, ramp in tones.get("light", {}).items():  # bg-primary-40 …
            colors.setdefault(role, {}).update(ramp)
        for role, ramp in tones.get("dark", {}).items():  # bg-primary-dark-40 …
            colors[f"{role}-dark"] = dict(ramp)
        body = json.dumps(colors, indent=2, sort_keys=True)
        return f"/** Tailwind theme extension generated from the storefront palette. */\nmodule.exports = {{\n  theme: {{ extend: {{ colors: {body} }} }},\n}};\n"


@hookimpl
def themes_token_exporters():
    return [CssVariables(), W3CDesignTokens(), TailwindTheme()]
