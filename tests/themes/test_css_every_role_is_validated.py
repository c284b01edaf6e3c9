"""Every palette role, not only primary, is held to the #rrggbb allow-list before it reaches a stylesheet."""

import pytest

from themes.css import ALLOWED_ROLES, theme_css

SAFE = {"background": "#fafafa", "surface": "#ffffff", "text": "#1a1a1a", "primary": "#1e88e5",
        "secondary": "#455a64", "accent": "#8e24aa"}
PAYLOADS = [
    "#455a64;}body{background:url(//evil.example)}",
    "#455a64 !important",
    "#455a64\n}",
    "#455a6",
    "#455a64ff",
    "red",
    "expression(alert(1))",
]


@pytest.mark.parametrize("role", ALLOWED_ROLES)
@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("variant", ["light", "dark"])
def test_a_payload_in_any_role_of_either_variant_is_refused(role, payload, variant):
    light, dark = dict(SAFE), dict(SAFE)
    (light if variant == "light" else dark)[role] = payload
    with pytest.raises(ValueError):
        theme_css(light, dark)


def test_the_safe_palette_renders_and_carries_no_payload_characters():
    css = theme_css(SAFE, SAFE)
    assert "url(" not in css and "!important" not in css and "#455a64" in css
