"""generate(): hard constraints on every candidate, locks, determinism, diversity, merges, progress, deadline."""

import json
import math

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from themes.palette import (
    DEFAULT_ALPHA,
    DEFAULT_BETA,
    DEFAULT_GAMMA,
    DIVERSITY_MIN_DE00,
    ROLES,
    Brief,
    generate,
    wcag_contrast,
)
from themes.palette.result import candidate_distance

from .helpers import FAST, assert_legal, de00

hex_colour = st.integers(0, 0xFFFFFF).map(lambda v: f"#{v:06X}")


@st.composite
def briefs(draw):
    k = draw(st.integers(3, 10))
    brand = draw(st.lists(hex_colour, max_size=2))
    locks = []
    if draw(st.booleans()):
        roles = [None, "primary", "background", "text"] + (["accent"] if k >= 5 else [])
        locks.append((draw(hex_colour), draw(st.sampled_from(roles))))
    keywords = draw(st.sampled_from(["", "tech, trust", "科技, 成长", "luxury", "fun, calm, foo"]))
    weights = draw(st.sampled_from([(1.0, 1.0, 1.0), (0.0, 1.0, 0.0), (2.0, 0.5, 3.0)]))
    return Brief(brand_colors=brand, locks=locks, keywords=keywords, k=k, alpha=weights[0], beta=weights[1],
                 gamma=weights[2], seed=draw(st.integers(0, 10_000)), candidates=3, starts=32, steps=8,
                 device="cpu")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(briefs())
def test_every_candidate_meets_hard_contrast_in_light_and_dark_for_random_briefs(brief):
    try:
        brief.validate()
    except ValueError as exc:  # an impossible lock is refused with the nearest feasible colour, never returned
        assert "nearest feasible colour" in str(exc) or "another role" in str(exc)
        return
    result = generate(brief).to_dict()
    assert 1 <= len(result["palettes"]) <= brief.candidates
    locks = dict((role, h) for h, role in brief.resolved_locks())
    for palette in result["palettes"]:
        assert_legal(palette, brief.k)
        for role, h in locks.items():
            variants = [palette["colors"][role], palette["dark"][role]]
            assert h in variants  # every lock is exact in at least one variant
            if role not in ("primary", "background", "surface", "text"):
                assert variants == [h, h]  # locks without hard constraints are exact in both


def test_lock_in_secondary_role_is_exact_in_both_variants():
    result = generate(Brief(locks=["#1E88E5", "#E91E63:accent"], **FAST)).to_dict()
    for palette in result["palettes"]:
        assert palette["colors"]["primary"] == palette["dark"]["primary"] == "#1E88E5"
        assert palette["colors"]["accent"] == palette["dark"]["accent"] == "#E91E63"


def test_locked_neutral_goes_to_the_variant_where_it_is_feasible():
    result = generate(Brief(locks=["#FAFAFA:background", "#121212:surface"], k=6, **FAST)).to_dict()
    for palette in result["palettes"]:
        assert palette["colors"]["background"] == "#FAFAFA"
        assert palette["dark"]["surface"] == "#121212"
        assert_legal(palette, 6)


def test_same_seed_and_device_give_identical_palettes_and_other_seeds_differ():
    a = generate(Brief(brand_colors=["#00897B"], keywords="health", seed=3, **FAST)).to_dict()
    b = generate(Brief(brand_colors=["#00897B"], keywords="health", seed=3, **FAST)).to_dict()
    c = generate(Brief(brand_colors=["#00897B"], keywords="health", seed=4, **FAST)).to_dict()
    assert a["palettes"] == b["palettes"]
    assert a["palettes"] != c["palettes"]


def test_candidates_are_pairwise_at_least_the_documented_distance_apart():
    result = generate(Brief(keywords="tech", candidates=6, starts=160, steps=15, device="cpu")).to_dict()
    palettes = result["palettes"]
    assert len(palettes) == 6
    for i in range(len(palettes)):
        for j in range(i):
            assert candidate_distance(palettes[i], palettes[j]) >= DIVERSITY_MIN_DE00


def test_unknown_keywords_are_reported_and_known_chinese_words_are_not():
    result = generate(Brief(keywords="科技, 成长，blockchainy、tech  wibble", **FAST)).to_dict()
    assert result["unknown_keywords"] == ["blockchainy", "wibble"]


@pytest.mark.parametrize(
    ("k", "merged"),
    [
        (3, {"surface": "background", "secondary": "primary", "accent": "primary"}),
        (4, {"secondary": "primary", "accent": "primary"}),
        (5, {"secondary": "primary"}),
        (6, {}),
    ],
)
def test_small_k_merges_roles_as_documented(k, merged):
    palette = generate(Brief(k=k, candidates=1, **FAST)).to_dict()["palettes"][0]
    assert list(palette["colors"]) == list(ROLES[:6])
    for variant in ("colors", "dark"):
        for role, into in merged.items():
            assert palette[variant][role] == palette[variant][into]
        distinct = {palette[variant][r] for r in ROLES[:6] if r not in merged}
        assert len(distinct) == k
    assert_legal(palette, k)


def test_large_k_adds_accent_roles():
    palette = generate(Brief(k=9, candidates=1, **FAST)).to_dict()["palettes"][0]
    assert list(palette["colors"]) == list(ROLES[:9])
    assert len(set(palette["colors"].values())) == 9


def test_progress_reports_monotone_fractions_ending_at_one():
    seen = []
    generate(Brief(**FAST), progress=seen.append)
    assert seen and seen[-1] == 1.0
    assert all(0.0 <= f <= 1.0 for f in seen)
    assert all(a <= b for a, b in zip(seen, seen[1:], strict=False))


def test_deadline_stops_early_and_still_returns_legal_palettes():
    result = generate(Brief(locks=["#F9A825"], starts=256, steps=5000, deadline_s=0.5, device="cpu")).to_dict()
    assert result["steps_done"] < 5000
    assert result["seconds"] < 5.0
    assert result["palettes"]
    for palette in result["palettes"]:
        assert_legal(palette, 6)


def test_result_is_json_with_documented_keys_and_scores():
    result = generate(Brief(brand_colors=["#1E88E5"], keywords="tech", candidates=2, **FAST)).to_dict()
    json.dumps(result)
    assert result["device"] == "cpu"
    assert result["seconds"] > 0
    palette = result["palettes"][0]
    assert set(palette["scores"]) == {"U", "H", "V", "B"}
    s = palette["scores"]
    assert s["U"] == pytest.approx(DEFAULT_ALPHA * s["H"] + DEFAULT_BETA * s["V"] + DEFAULT_GAMMA * s["B"], abs=1e-3)
    assert all(0.0 <= s[t] <= 1.0 for t in "HVB")
    assert palette["contrast"]["light"]["text/background"] == pytest.approx(
        wcag_contrast(palette["colors"]["text"], palette["colors"]["background"]), abs=1e-3
    )
    assert palette["brand"][0]["hex"] == "#1E88E5"


def test_explicit_cuda_without_a_gpu_is_an_actionable_error(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)  # runs on GPU machines too
    with pytest.raises(ValueError, match="CUDA is not available"):
        generate(Brief(device="cuda", **{k: v for k, v in FAST.items() if k != "device"}))


def test_brand_colour_fit_rewards_the_seed():
    near = generate(Brief(brand_colors=["#C62828"], gamma=5.0, candidates=1, starts=128, steps=30,
                          device="cpu")).to_dict()["palettes"][0]
    chromatic = [near["colors"][r] for r in ("primary", "secondary", "accent")]
    assert min(de00("#C62828", c) for c in chromatic) < 10.0
    assert not math.isnan(near["scores"]["B"])
