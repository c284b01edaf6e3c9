import pytest

from themes.models import Palette, PaletteJob

LIGHT = {"background": "#fafafa", "surface": "#eceff1", "text": "#212121", "primary": "#1e88e5",
         "secondary": "#455a64", "accent": "#d81b60"}
DARK = {"background": "#121212", "surface": "#1e1e1e", "text": "#eeeeee", "primary": "#64b5f6",
        "secondary": "#90a4ae", "accent": "#f48fb1"}
FAST_BRIEF = {"brand_colors": ["#1e88e5"], "locks": [["#1e88e5", "primary"]], "keywords": "tech, trust",
              "k": 6, "alpha": 1.0, "beta": 1.0, "gamma": 1.0, "candidates": 2, "seed": 0, "starts": 64, "steps": 15}


@pytest.fixture
def make_palette(storefront):
    def make(status="proposed", **kwargs):
        job = kwargs.pop("job", None) or PaletteJob.objects.create(storefront=storefront, brief=FAST_BRIEF,
                                                                   brief_hash="x" * 64)
        rank = Palette.objects.filter(job=job).count()
        return Palette.objects.create(storefront=kwargs.pop("storefront", storefront), job=job, rank=rank,
                                      colors=kwargs.pop("colors", LIGHT), dark=kwargs.pop("dark", DARK),
                                      scores={"U": 2.5, "H": 0.8, "V": 0.9, "B": 0.9}, status=status,
                                      contrast={"light": {"text/background": 15.0}, "dark": {"text/background": 14.0}})
    return make


@pytest.fixture(autouse=True)
def _fresh_logo_memo():
    """The per-process logo memo is keyed by (storefront pk, file name); pks are reused across tests."""
    from themes import cover_store

    cover_store._LOGOS.clear()
    yield
    cover_store._LOGOS.clear()
