import pytest
from django.conf import settings
from django.core.checks import run_checks
from django.template.loader import get_template

from themes.builtin.presets import ThemePreset
from themes.plugins import COVER_LAYOUTS, THEME_PRESETS, TOKEN_EXPORTERS, load_plugins
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
    assert kind in CONTRACTS
