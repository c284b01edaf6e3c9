import pytest
from django.conf import settings
from django.core.checks import run_checks
from django.template.loader import get_template

from tests.theme_plugins import good
from themes import services
from themes.builtin.presets import ThemePreset
from themes.models import Palette, PaletteJob
from themes.plugins import COVER_LAYOUTS, OBJECTIVE_TERMS, THEME_PRESETS, TOKEN_EXPORTERS, load_plugins
from themes.plugins.contracts import CONTRACTS, contract_problems
from themes.plugins.registry import REGISTRIES

BUILTINS = list(settings.THEMES_PLUGINS)


@pytest.fixture
def restore_plugins():
    yield
    load_plugins(BUILTINS)


def test_builtins_register_through_the_same_hooks():
    load_plugins(BUILTINS)
    assert THEME_PRESETS.keys() == ["classic", "bold"]
    assert {"gradient-band", "geometric", "split"} <= set(COVER_LAYOUTS.keys())
    assert TOKEN_EXPORTERS.keys() == ["css", "w3c", "tailwind"]


def test_a_third_party_plugin_registers_in_settings_order(restore_plugins):
    errors = load_plugins([*BUILTINS, "tests.theme_plugins.good"])
    assert errors == []
    assert THEME_PRESETS.keys() == ["classic", "bold", "minimal"]
    assert TOKEN_EXPORTERS.keys()[-1] == "plain"
    assert OBJECTIVE_TERMS.keys() == ["warm_accent"]


def test_register_temporarily_registers_only_inside_the_block():
    preset = ThemePreset("temporary", "Temporary", "themes/presets/classic.html")
    with THEME_PRESETS.register_temporarily(preset):
        assert THEME_PRESETS.get("temporary") is preset
    assert "temporary" not in THEME_PRESETS


def test_a_plugin_that_fails_to_import_is_reported_and_the_rest_still_load(restore_plugins):
    errors = load_plugins([*BUILTINS, "tests.theme_plugins.broken_import"])
    assert [e.code for e in errors] == ["themes.E001"]
    assert "broken on purpose" in errors[0].message
    assert "classic" in THEME_PRESETS


def test_a_plugin_breaking_its_contract_is_reported_by_the_system_checks(settings, restore_plugins):
    settings.THEMES_PLUGINS = [*BUILTINS, "tests.theme_plugins.bad_contract", "tests.theme_plugins.duplicate"]
    ids = sorted({message.id for message in run_checks(tags=["themes"])})
    assert ids == ["themes.E002", "themes.E003", "themes.E004"]


def test_the_site_keeps_answering_with_a_broken_plugin(client, settings, restore_plugins, db):
    settings.THEMES_PLUGINS = [*BUILTINS, "tests.theme_plugins.broken_import"]
    load_plugins(settings.THEMES_PLUGINS)
    assert client.get("/").status_code == 200


def _all_plugins():
    load_plugins(BUILTINS + ["tests.theme_plugins.good"])
    plugins = [(kind, plugin) for kind, registry in REGISTRIES.items() for plugin in registry.all()]
    load_plugins(BUILTINS)
    return plugins


@pytest.mark.parametrize(("kind", "plugin"), _all_plugins(), ids=lambda v: getattr(v, "slug", None) or
                         getattr(v, "name", None) or str(v))
def test_every_registered_plugin_honours_its_contract(kind, plugin):
    """The shared contract test: runs against every built-in and the test plugin package."""
    assert contract_problems(kind, plugin) == []
    if kind == "theme_presets":
        get_template(plugin.template)
        assert set(plugin.role_map.values()) <= {"background", "surface", "text", "primary", "secondary", "accent"}
    if kind == "token_exporters":
        tokens = {"name": "x", "light": {r: "#112233" for r in ("background", "surface", "text", "primary",
                                                                  "secondary", "accent")},
                  "dark": {r: "#ddeeff" for r in ("background", "surface", "text", "primary", "secondary", "accent")}}
        out = plugin.export(tokens)
        assert isinstance(out, str) and "#112233" in out
    if kind == "cover_layouts":
        from themes.covers import CoverSpec, render_cover

        image = render_cover(CoverSpec(title="Contract", subtitle="", creator="c", category="k", course_id=1,
                                       palette={}, layout=plugin.name, size=(480, 270), format="png"))
        assert image.size == (480, 270)
    if kind == "objective_terms":
        for accent in ("#ff0000", "#0000ff", "#808080"):
            value = plugin.score({"background": "#ffffff", "surface": "#f4f4f4", "text": "#111111",
                                  "primary": "#1e88e5", "secondary": "#455a64", "accent": accent})
            assert isinstance(value, float | int) and 0.0 <= value <= 1.0
        assert float(plugin.weight) >= 0
    assert kind in CONTRACTS


# --- palette objective terms: post-hoc re-ranking of the engine's finished candidates ----------------------

@pytest.mark.django_db
def test_an_objective_term_plugin_is_scored_and_stored_with_every_candidate(restore_plugins, storefront, creator):
    from .conftest import FAST_BRIEF

    assert load_plugins([*BUILTINS, "tests.theme_plugins.good"]) == []
    term = OBJECTIVE_TERMS.get("warm_accent")
    assert isinstance(term, good.WarmAccent)
    job = PaletteJob.objects.create(storefront=storefront, requested_by=creator, brief=FAST_BRIEF, brief_hash="t")
    services.palette_job_execute(job.pk, "cpu")
    palettes = list(Palette.objects.filter(job=job).order_by("rank"))
    assert len(palettes) == 2
    for palette in palettes:
        value = term.score(palette.colors)  # scored on the stored light roles (role -> #rrggbb)
        assert palette.scores["plugins"] == {"warm_accent": round(value, 4)}
        assert palette.scores["total"] == round(palette.scores["U"] + term.weight * value, 4)
    totals = [p.scores["total"] for p in palettes]
    assert totals == sorted(totals, reverse=True)  # ranked by the total, not by U alone


def _engine_output(*accents_and_u):
    roles = {"background": "#ffffff", "surface": "#f4f4f4", "text": "#111111", "primary": "#1e88e5",
             "secondary": "#455a64"}
    return {"palettes": [{"colors": {**roles, "accent": accent}, "dark": {**roles, "accent": accent},
                          "scores": {"U": u, "H": 0.5, "V": 0.5, "B": 0.5}, "contrast": {}}
                         for accent, u in accents_and_u], "unknown_keywords": [], "engine_version": "test"}


@pytest.mark.django_db
def test_objective_terms_rerank_finished_candidates_post_hoc(storefront, creator):
    from .conftest import FAST_BRIEF

    job = PaletteJob.objects.create(storefront=storefront, requested_by=creator, brief=FAST_BRIEF, brief_hash="r")
    blue_best_u, red = ("#0000ff", 2.0), ("#ff0000", 1.9)  # the engine prefers the blue accent by 0.1
    with OBJECTIVE_TERMS.register_temporarily(good.WarmAccent()):
        services._store_candidates(job, _engine_output(blue_best_u, red))
    ranked = list(Palette.objects.filter(job=job).order_by("rank"))
    assert [p.colors["accent"] for p in ranked] == ["#ff0000", "#0000ff"]  # 1.9 + 0.5 × 1.0 beats 2.0 + 0
    assert [p.scores["total"] for p in ranked] == [2.4, 2.0]
    assert [p.scores["U"] for p in ranked] == [1.9, 2.0]  # the engine's own utility is kept as it was


class _Broken:
    name, label, weight = "broken", "Broken", 1.0

    def score(self, palette):
        raise KeyError("accent")


class _NotANumber:
    name, label, weight = "nan", "Not a number", 1.0

    def score(self, palette):
        return float("nan")


@pytest.mark.django_db
def test_a_failing_objective_term_is_skipped_and_the_candidates_still_stored(storefront, creator, caplog):
    from .conftest import FAST_BRIEF

    job = PaletteJob.objects.create(storefront=storefront, requested_by=creator, brief=FAST_BRIEF, brief_hash="b")
    with OBJECTIVE_TERMS.register_temporarily(_Broken()), OBJECTIVE_TERMS.register_temporarily(_NotANumber()):
        services._store_candidates(job, _engine_output(("#ff0000", 1.5)))
    palette = Palette.objects.get(job=job)
    assert palette.scores["plugins"] == {} and palette.scores["total"] == 1.5
    assert "objective term 'broken' failed" in caplog.text and "'nan' returned nan" in caplog.text
