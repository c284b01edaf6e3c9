import itertools

import pytest

from themes.models import Palette, PaletteJob

LIGHT = {"background": "#fafafa", "surface": "#eceff1", "text": "#212121", "primary": "#1e88e5",
         "secondary": "#455a64", "accent": "#d81b60"}
LIGHT_B = {**LIGHT, "primary": "#2e7d32", "accent": "#ef6c00"}
DARK = {"background": "#121212", "surface": "#1e1e1e", "text": "#eeeeee", "primary": "#64b5f6",
        "secondary": "#90a4ae", "accent": "#f48fb1"}
BRIEF = {"brand_colors": ["#1e88e5"], "keywords": "tech", "k": 6, "alpha": 1.0, "beta": 1.0, "gamma": 1.0}
_ranks = itertools.count()


@pytest.fixture
def clean_cache(db):
    """Running-experiment and active-palette lookups are cached; start every database test afresh."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make_palette(storefront, clean_cache):
    def make(status="approved", *, colors=LIGHT, scores=None, on=None):
        target = on or storefront
        job = PaletteJob.objects.create(storefront=target, brief=BRIEF, brief_hash="x" * 64)
        return Palette.objects.create(storefront=target, job=job, rank=0, colors=colors, dark=DARK,
                                      scores=scores or {"U": 2.5, "H": 0.8, "V": 0.9, "B": 0.9}, status=status,
                                      contrast={"light": {"text/background": 15.0}})
    return make


@pytest.fixture
def two_palettes(make_palette):
    return make_palette("active"), make_palette("approved", colors=LIGHT_B)


@pytest.fixture
def running(storefront, creator, two_palettes, course):
    from courseplatform.experiments import services

    experiment = services.experiment_create(storefront=storefront, actor=creator, name="Blue vs green",
                                            kind="palette", arms=[str(p.pk) for p in two_palettes], baseline_rate=0.1,
                                            minimum_detectable_effect=0.05)
    return services.experiment_start(experiment=experiment, actor=creator)
