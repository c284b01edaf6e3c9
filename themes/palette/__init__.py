"""Palette engine: optimise U(S) = alpha H(S) + beta V(S) + gamma B(S) (+ extra terms) in PyTorch with guaranteed
legibility.

Pure PyTorch: imports no Django, Celery or settings. Public API (stable; the Django side calls only this)::

    from themes.palette import Brief, generate, wcag_contrast, ROLES, ENGINE_VERSION

    brief = Brief(brand_colors=["#1E88E5"], locks=[("#1E88E5", "primary")], keywords="tech, trust",
                  k=6, candidates=5, seed=0)
    brief.validate()                     # ValueError with an actionable message on bad input
    result = generate(brief, progress=lambda f: ...)   # f in [0, 1]
    result.to_dict()                     # {"palettes": [...], "device": "cpu", "seconds": 1.2, ...}

- ``Brief``: see :class:`themes.palette.brief.Brief` for fields and defaults (alpha = beta = gamma = 1.0,
  starts = 384, steps = 40, device "auto", deadline_s None, scheme "auto"; on a GPU pass far more starts, e.g.
  65536). Up to 8 brand colours (the palette shows the best K of them) and up to 8 locks.
- ``Term(name, weight, fn)``: an extra objective term, ``fn(light, dark) -> (batch,)`` a differentiable torch
  function of the two variant palettes (linear RGB, rows background, surface, text, primary, ...); pass them in
  ``Brief.terms``. Non-differentiable scores keep re-ranking finished candidates on the caller's side.
- ``generate(brief, progress=None) -> Result``: every returned palette satisfies, on its rounded ``#rrggbb``
  values and in both the light and the dark variant, text/background >= 4.5, text/surface >= 4.5,
  primary/background >= 3.0 (WCAG 2.x) and background/surface CIEDE2000 >= 2.5 (K >= 4). Locked colours are
  exact; a locked primary is exact in every variant where physics allows and the smallest change in the
  other is reported under ``brand`` (CIEDE2000). Candidates are at least ``DIVERSITY_MIN_DE00`` apart;
  those whose accents meet the aims (CIEDE2000 >= 20, >= 10 under deuteranopia) come first.
- ``Result.to_dict()`` per palette: ``colors`` (light) and ``dark`` (role -> hex), ``scores`` (U, H, V, B and
  each extra term by name), ``contrast`` (per variant, role pairs -> WCAG ratio), ``apca`` (the same pairs ->
  APCA Lc), ``distances`` (CIEDE2000 background/surface and minimum between chromatic roles under normal
  vision, deuteranopia, protanopia and tritanopia), ``cvd`` (per variant and dichromacy, role -> simulated
  hex, for previews), ``tones`` (per variant and role, tone 0-100 -> hex and WCAG contrast on the variant's
  background; :mod:`themes.palette.tones`), ``brand`` (per brand colour: role, hex and CIEDE2000 in each
  variant, ``shown``), ``primary_exact_in``, ``rank``; top level ``device``, ``seconds``,
  ``unknown_keywords``, ``steps_done``, ``engine_version``, ``diversity_min_de00``, ``brief``, ``warnings``.
- ``ROLES``: background, surface, text, primary, secondary, accent, accent2 ... accent5; K < 6 merges roles
  (:mod:`themes.palette.roles` documents how; merged roles still appear, carrying the merged colour). The
  neutrals (background, surface, text) differ per variant and are tinted toward the brand hue; the primary is
  shared by both variants, except that the primary of one variant may be adjusted (smallest change, reported)
  to keep 3:1; secondary and accent roles take a tone per variant in one hue family (a locked one is the same
  in both), placed by a brand-relative scheme (:mod:`themes.palette.scheme`).
- ``wcag_contrast(hex_a, hex_b) -> float``: WCAG 2.x contrast ratio (1 to 21); ``apca_lc(text, background)``.
- ``extract_colours(pixels, n=5) -> [{"hex", "share"}]``: brand colours suggested from a logo's pixels
  (:mod:`themes.palette.extract`); ``simulate_cvd_hex(hexes, kind)``: dichromacy previews.
"""

from .apca import apca_lc
from .brief import DEFAULT_ALPHA, DEFAULT_BETA, DEFAULT_GAMMA, DEFAULT_STARTS, DEFAULT_STEPS, Brief
from .extract import extract_colours
from .legibility import simulate_cvd_hex, wcag_contrast
from .lexicon import LEXICON
from .objective import Term
from .optimise import generate
from .result import DIVERSITY_MIN_DE00, ENGINE_VERSION, Result
from .roles import ROLES, chromatic_roles, distinct_roles, merges

__all__ = [
    "DEFAULT_ALPHA",
    "DEFAULT_BETA",
    "DEFAULT_GAMMA",
    "DEFAULT_STARTS",
    "DEFAULT_STEPS",
    "DIVERSITY_MIN_DE00",
    "ENGINE_VERSION",
    "LEXICON",
    "ROLES",
    "Brief",
    "Result",
    "Term",
    "apca_lc",
    "chromatic_roles",
    "distinct_roles",
    "extract_colours",
    "generate",
    "merges",
    "simulate_cvd_hex",
    "wcag_contrast",
]
