"""Every invalid brief is a ValueError whose message tells a creator what to change."""

import pytest

from themes.palette import Brief
from themes.palette.objective import Term


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"brand_colors": ["#12G456"]}, r"brand colour '#12G456' is not a #rrggbb hex colour"),
        ({"brand_colors": [f"#{i}{i}{i}{i}{i}{i}" for i in range(9)]}, r"at most 8 brand colours"),
        ({"locks": ["blue"]}, r"locked colour 'blue' is not a #rrggbb"),
        ({"locks": [f"#{i}{i}{i}{i}{i}{i}" for i in range(9)], "k": 10}, r"at most 8 colours can be locked"),
        ({"scheme": "rainbow"}, r"scheme must be one of: auto, analogous, complementary"),
        ({"terms": [Term("U", 1.0, lambda light, dark: light.sum((1, 2)))]}, r"objective term name 'U'"),
        ({"terms": [Term("t", float("inf"), lambda light, dark: light.sum((1, 2)))]}, r"weight must be a finite"),
        ({"terms": [Term("t", 1.0, "not callable")]}, r"fn must be callable"),
        ({"k": 2}, r"k \(the number of colours per variant\) must be a whole number from 3 to 10 \(got 2\)"),
        ({"k": 11}, r"from 3 to 10 \(got 11\)"),
        ({"k": 6.5}, r"whole number from 3 to 10"),
        ({"candidates": 0}, r"candidates .* from 1 to 20 \(got 0\)"),
        ({"candidates": 21}, r"candidates .* from 1 to 20"),
        ({"alpha": -1.0}, r"alpha must be a number >= 0 \(got -1.0\)"),
        ({"gamma": float("nan")}, r"gamma must be a number >= 0"),
        ({"alpha": 0, "beta": 0, "gamma": 0}, r"alpha, beta and gamma are all 0: at least one weight must be positive"),
        ({"starts": 0}, r"starts .* from 1 to"),
        ({"steps": 0}, r"steps .* from 1 to"),
        ({"seed": -1}, r"seed .* from 0"),
        ({"device": "tpu"}, r"device must be 'auto', 'cpu' or 'cuda'"),
        ({"deadline_s": 0}, r"deadline_s must be a positive number"),
        ({"keywords": ["tech", 3]}, r"keywords must be text"),
        ({"locks": [("#1E88E5", "hero")]}, r"lock role 'hero' for #1E88E5 is not one of: background, surface"),
        ({"locks": [("#1E88E5", "secondary")], "k": 4}, r"role 'secondary' is merged into 'primary' when k=4"),
        ({"locks": [("#1E88E5", "accent3")], "k": 6}, r"role 'accent3' does not exist when k=6"),
        ({"locks": [("#1E88E5", "primary"), ("#2E7D32", "primary")]}, r"two locks ask for role 'primary'"),
        ({"locks": ["#1E88E5", "#1e88e5:accent"]}, r"colour #1E88E5 is locked twice"),
        ({"locks": ["#1E88E5", "#2E7D32"], "k": 3}, r"too many locks without a role for k=3: only 1 brand role"),
        ({"locks": ["#1E88E5", "#2E7D32", "#C62828"], "k": 4}, r"too many locks without a role for k=4"),
    ],
)
def test_bad_brief_raises_actionable_value_error(changes, message):
    with pytest.raises(ValueError, match=message):
        Brief(**changes).validate()


def test_lock_that_fits_nowhere_names_the_nearest_feasible_colour():
    with pytest.raises(ValueError, match=r"#777777 cannot be the text.*nearest feasible colour is #767676"):
        Brief(locks=["#777777:text"]).validate()


def test_valid_briefs_pass_and_roles_are_assigned_in_order():
    brief = Brief(brand_colors=["#1e88e5"], locks=["#1E88E5", "#FF7043", ("#FAFAFA", "background")],
                  keywords="tech, 科技")
    assert brief.validate() is brief
    assert brief.resolved_locks() == [("#1E88E5", "primary"), ("#FF7043", "secondary"), ("#FAFAFA", "background")]
