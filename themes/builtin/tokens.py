"""Built-in design-token exporters: CSS variables, W3C design-tokens JSON, a Tailwind theme snippet.

``tokens`` is ``{"light": {role: "#rrggbb"}, "dark": {role: "#rrggbb"}, "name": str}`` with values
already re-validated by :func:`themes.css.validated_roles`.
"""

import json
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from themes.css import theme_css
from themes.plugins.hookspecs import hookimpl


@dataclass(frozen=True)
class CssVariables:
    slug: str = "css"
    label: str = _("CSS variables")
    media_type: str = "text/css"
    filename: str = "palette.css"

    def export(self, tokens: dict) -> str:
        return theme_css(tokens["light"], tokens["dark"])


@dataclass(frozen=True)
class W3CDesignTokens:
    """Design Tokens Community Group format (https://tr.designtokens.org/format/): ``$type``/``$value``."""

    slug: str = "w3c"
    label: str = _("Design tokens (W3C JSON)")
    media_type: str = "application/json"
    filename: str = "palette.tokens.json"

    def export(self, tokens: dict) -> str:
        doc = {
            variant: {role: {"$type": "color", "$value": value} for role, value in tokens[variant].items()}
            for variant in ("light", "dark")
        }
        return json.dumps({"color": doc}, indent=2, sort_keys=True) + "\n"


@dataclass(frozen=True)
class TailwindTheme:
    slug: str = "tailwind"
    label: str = _("Tailwind theme")
    media_type: str = "text/javascript"
    filename: str = "tailwind.palette.js"

    def export(self, tokens: dict) -> str:
        colors = {role: {"DEFAULT": tokens["light"][role], "dark": tokens["dark"][role]} for role in tokens["light"]}
        body = json.dumps(colors, indent=2, sort_keys=True)
        return f"/** Tailwind theme extension generated from the storefront palette. */\nmodule.exports = {{\n  theme: {{ extend: {{ colors: {body} }} }},\n}};\n"


@hookimpl
def themes_token_exporters():
    return [CssVariables(), W3CDesignTokens(), TailwindTheme()]
