"""The twelve single-seed development briefs of the palette issue (seed locked as primary), with keywords.

Shared by the tests and ``bench/palette.py`` so both measure the same briefs.
"""

DEVELOPMENT_BRIEFS: dict[str, str] = {
    "#1E88E5": "tech, trust",
    "#2E7D32": "growth, nature",
    "#C62828": "energy, passion",
    "#F9A825": "fun, warm",
    "#6A1B9A": "creative, luxury",
    "#00897B": "health, calm",
    "#FF7043": "energy, friendly",
    "#212121": "minimal, professional",
    "#FAFAFA": "minimal, elegant",
    "#8D6E63": "warm, nature",
    "#00B8D4": "tech, fun",
    "#E91E63": "passion, creative",
}
