"""Supporting colours are interface colours: the optimiser aims secondary and accent at 3:1 on the background in
both variants (WCAG 2.x SC 1.4.11; objective.SUPPORT_UI_CONTRAST), instead of pastels that vanish on the ground."""

from themes.palette import Brief, generate, wcag_contrast
from themes.palette.development_briefs import DEVELOPMENT_BRIEFS
from themes.palette.objective import SUPPORT_UI_CONTRAST, SUPPORT_UI_WEIGHT


def test_secondary_and_accent_reach_three_to_one_on_the_background_on_the_development_briefs():
    assert SUPPORT_UI_CONTRAST == 3.0 and SUPPORT_UI_WEIGHT > 0
    met = total = 0
    for seed, keywords in DEVELOPMENT_BRIEFS.items():
        result = generate(Brief(brand_colors=[seed], locks=[(seed, "primary")], keywords=keywords, k=6, seed=0,
                                candidates=2, starts=128, steps=40, device="cpu")).to_dict()
        for palette in result["palettes"]:
            for variant in ("colors", "dark"):
                for role in ("secondary", "accent"):
                    total += 1
                    met += wcag_contrast(palette[variant][role], palette[variant]["background"]) >= 3.0
    assert met / total >= 0.9, f"{met} of {total}"
