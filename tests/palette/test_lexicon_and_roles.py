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
