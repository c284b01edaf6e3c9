"""Keyword lexicon (English and Chinese) and the documented K -> roles mapping."""

import pytest

from themes.palette import ROLES, chromatic_roles, distinct_roles, merges
from themes.palette.lexicon import _REGIONS, LEXICON, lookup, split_keywords


def test_keywords_split_on_english_and_chinese_separators():
    assert split_keywords("tech, trust，科技、成长; Tech") == ["tech", "trust", "科技", "成长"]
    assert split_keywords(["Luxury", "calm minimal"]) == ["luxury", "calm", "minimal"]
    assert split_keywords(None) == []


def test_lookup_maps_synonyms_to_one_region_and_reports_unknown_words_in_order():
    regions, unknown = lookup("trust, 信任, 科技, zzz, growth, 未知词")
    assert [r.name for r in regions] == ["trust", "tech", "growth"]
    assert unknown == ["zzz", "未知词"]


def test_every_lexicon_word_points_at_a_defined_region():
    assert set(LEXICON.values()) <= set(_REGIONS)
    for region in _REGIONS.values():
        assert 0.0 <= region.l_range[0] < region.l_range[1] <= 1.0
        assert 0.0 <= region.c_range[0] < region.c_range[1]


@pytest.mark.parametrize("k", range(3, 11))
def test_k_distinct_roles_and_merges_cover_the_six_core_roles(k):
    roles = distinct_roles(k)
    assert len(roles) == k and roles[:1] == ["background"] and "primary" in roles
    assert set(roles) | set(merges(k)) >= set(ROLES[:6])
    assert chromatic_roles(k)[0] == "primary"


# --- keyword regions land where the lexicon documents them ------------------------------------------------
# The lexicon's docstring: blue for trust/competence/technology, green for growth/nature/health, red/orange for
# energy and excitement, deep low-lightness colours for luxury, low chroma for calm and minimal. In OKLCh hue
# (Ottosson 2020) blue spans roughly 220-270 deg, green 120-170 deg and red-orange 20-65 deg.
BLUE, GREEN, RED_ORANGE = (220.0, 270.0), (120.0, 170.0), (20.0, 65.0)


def _oklch(hexes):
    from themes.palette.colorspace import hex_to_linear, lab_to_lch, linear_to_oklab

    return lab_to_lch(linear_to_oklab(hex_to_linear(hexes)))


def _region(word):
    regions, unknown = lookup(word)
    assert unknown == [] and len(regions) == 1, word
    return regions[0]


@pytest.mark.parametrize(
    ("words", "band"),
    [
        (("trust", "信任", "可靠", "tech", "科技", "技术", "professional", "专业", "education", "教育"), BLUE),
        (("growth", "成长", "增长", "nature", "自然", "health", "健康"), GREEN),
        (("energy", "活力", "passion", "热情"), RED_ORANGE),
    ],
)
def test_keyword_hue_centres_lie_in_the_documented_hue_band(words, band):
    for word in words:
        region = _region(word)
        assert region.hue is not None and band[0] <= region.hue <= band[1], (word, region)


def test_chinese_keywords_map_to_the_same_region_as_their_english_counterparts():
    pairs = {"trust": "信任", "tech": "科技", "growth": "成长", "professional": "专业", "energy": "活力",
             "luxury": "奢华", "calm": "平静", "minimal": "简约", "creative": "创意", "health": "健康"}
    for english, chinese in pairs.items():
        assert _region(english) == _region(chinese), (english, chinese)


def test_luxury_is_deep_and_calm_and_minimal_are_low_chroma():
    luxury = _region("luxury")
    assert luxury.l_range[1] <= 0.40  # deep: OKLab L at most 0.40 (mid grey is ~0.6)
    assert _region("calm").c_range[1] <= 0.10 and _region("minimal").c_range[1] <= 0.05


def test_recognisable_blues_and_greens_are_members_of_the_matching_keyword_regions_only():
    from themes.palette.brand import region_membership

    blues, greens = ["#1E88E5", "#1565C0"], ["#2E7D32", "#43A047"]  # Material blue 600/800, green 800/600
    for colour, lch in zip(blues + greens, _oklch(blues + greens), strict=True):
        blue = colour in blues
        assert (BLUE if blue else GREEN)[0] <= float(lch[2]) <= (BLUE if blue else GREEN)[1], colour
        for word in ("trust", "科技"):
            m = float(region_membership(lch, _region(word)))
            assert (m > 0.7) if blue else (m < 0.01), (colour, word, m)
        for word in ("growth", "成长"):
            m = float(region_membership(lch, _region(word)))
            assert (m < 0.01) if blue else (m > 0.8), (colour, word, m)


@pytest.mark.parametrize(("keyword", "band"), [("科技", BLUE), ("trust", BLUE), ("成长", GREEN), ("growth", GREEN)])
@pytest.mark.parametrize("seed", [0, 1])
def test_keyword_only_brief_puts_a_chromatic_role_in_the_documented_hue_band(keyword, band, seed):
    from themes.palette import Brief, generate

    result = generate(Brief(keywords=keyword, candidates=1, seed=seed, starts=64, steps=20, device="cpu")).to_dict()
    palette = result["palettes"][0]
    chrom = [palette["colors"][r] for r in chromatic_roles(6)]
    region = _region(keyword)
    hits = [
        (h, tuple(round(float(x), 3) for x in lch))
        for h, lch in zip(chrom, _oklch(chrom), strict=True)
        if band[0] <= float(lch[2]) <= band[1] and region.l_range[0] - 0.05 <= float(lch[0]) <= region.l_range[1] + 0.05
        and float(lch[1]) >= region.c_range[0]
    ]
    assert hits, (keyword, chrom)
