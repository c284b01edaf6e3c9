"""Shared checks for palette tests: the hard constraints, re-derived from the returned hex strings only."""

from themes.palette import wcag_contrast
from themes.palette.colorspace import delta_e_2000, hex_to_linear, linear_to_lab

FAST = {"starts": 64, "steps": 20, "device": "cpu"}


def de00(a: str, b: str) -> float:
    lab = linear_to_lab(hex_to_linear([a, b]))
    return float(delta_e_2000(lab[0], lab[1]))


def assert_legal(palette: dict, k: int) -> None:
    """Text/background and text/surface >= 4.5, primary/background >= 3, background/surface dE00 >= 2.5."""
    for variant in ("colors", "dark"):
        c = palette[variant]
        assert wcag_contrast(c["text"], c["background"]) >= 4.5, (variant, c)
        assert wcag_contrast(c["text"], c["surface"]) >= 4.5, (variant, c)
        assert wcag_contrast(c["primary"], c["background"]) >= 3.0, (variant, c)
        if k >= 4:
            assert de00(c["background"], c["surface"]) >= 2.5, (variant, c)
        for value in c.values():
            assert len(value) == 7 and value.startswith("#") and value == value.upper()
