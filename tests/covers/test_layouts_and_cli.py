"""Layout registry, a plugin layout in a few lines, the command line, and Django-free import."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from themes.covers import (
    BUILTIN_LAYOUTS,
    CoverSpec,
    Layout,
    TextArea,
    available_layouts,
    get_layout,
    register_layout,
    render_cover,
    unregister_layout,
)
from themes.covers.cli import main
from themes.covers.paint import linear_gradient

ROOT = Path(__file__).resolve().parents[2]


class Dusk(Layout):
    def paint(self, canvas, spec, ctx):  # type: ignore[no-untyped-def]
        canvas.paste(linear_gradient(canvas.size, ctx.palette.primary, ctx.palette.background, 90))


def test_builtin_layouts_are_registered_in_order() -> None:
    assert [lay.name for lay in BUILTIN_LAYOUTS] == available_layouts()[:3]
    assert len(BUILTIN_LAYOUTS) >= 3
    assert get_layout("split") is BUILTIN_LAYOUTS[2]


def test_a_plugin_layout_registers_and_renders() -> None:
    dusk = register_layout(Dusk(name="dusk", label="Dusk", title_area=TextArea((0.08, 0.15, 0.92, 0.75))))
    try:
        assert "dusk" in available_layouts()
        im = render_cover(CoverSpec(title="Plugin layout", layout="dusk", size=(480, 270)))
        assert im.size == (480, 270)
        with pytest.raises(ValueError, match="already registered"):
            register_layout(Dusk(name="dusk", label="Other", title_area=TextArea((0, 0, 1, 1))))
    finally:
        unregister_layout(dusk.name)


def test_unknown_layout_names_the_choices() -> None:
    with pytest.raises(ValueError, match="gradient-band"):
        get_layout("nope")


def test_cli_renders_from_palette_engine_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pal = tmp_path / "palette.json"
    pal.write_text(json.dumps({"palettes": [{"colors": {"background": "#ffffff", "primary": "#0a7a55"},
                                             "dark": {"background": "#000000"}}]}))
    out = tmp_path / "c.png"
    assert main(["--title", "T", "--subtitle", "S", "--creator", "C", "--palette", str(pal), "--layout", "split",
                 "--size", "480x270", "--format", "png", "--out", str(out)]) == 0
    with Image.open(out) as im:
        assert im.size == (480, 270) and im.format == "PNG"


def test_cli_accepts_a_flat_palette_and_lists_layouts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pal = tmp_path / "flat.json"
    pal.write_text(json.dumps({"background": "#101010", "primary": "#ff8800"}))
    assert main(["--title", "T", "--palette", str(pal), "--out", str(tmp_path / "c.webp"), "--size", "thumb"]) == 0
    assert main(["--list-layouts"]) == 0
    assert "gradient-band" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [
    ["--title", "T", "--out", "x.webp", "--layout", "nope"],
    ["--title", "T", "--out", "x.webp", "--size", "huge"],
    ["--title", "T", "--out", "x.webp", "--palette", "/nonexistent.json"],
    ["--title", "T"],
    ["--title", "T", "--out", "x.webp", "--format", "gif"],
])
def test_cli_bad_input_exits_2_with_a_message(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert "error:" in capsys.readouterr().err


def test_cli_bad_palette_json_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pal = tmp_path / "bad.json"
    pal.write_text('{"palettes": [{"colors": {"primary": "not-a-colour"}}]}')
    with pytest.raises(SystemExit) as exc:
        main(["--title", "T", "--palette", str(pal), "--out", str(tmp_path / "x.png")])
    assert exc.value.code == 2 and "not-a-colour" in capsys.readouterr().err


def test_package_imports_in_a_fresh_interpreter_without_django() -> None:
    code = ("import sys, themes.covers, themes.covers.cli; "
            "bad = [m for m in ('django', 'celery', 'torch') if m in sys.modules]; "
            "assert not bad, bad; print('ok')")
    res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "ok"


@pytest.mark.parametrize("name", [lay.name for lay in BUILTIN_LAYOUTS])
def test_builtin_layouts_pass_the_plugin_contract(name: str) -> None:
    from themes.covers.contract import check_layout

    assert check_layout(name) == []


def test_contract_reports_a_layout_that_draws_text_outside_the_safe_area() -> None:
    from themes.covers.contract import check_layout

    bad = Dusk(name="bad-dusk", label="Bad", title_area=TextArea((0.0, 0.0, 1.0, 1.0)))
    bad_unclipped = type("Unclipped", (Dusk,), {"text_box": lambda self, area, size: (0, 0, size[0], size[1])})(
        name="bad-dusk", label="Bad", title_area=TextArea((0.0, 0.0, 1.0, 1.0)))
    register_layout(bad_unclipped)
    try:
        assert any("safe area" in p for p in check_layout("bad-dusk"))
    finally:
        unregister_layout("bad-dusk")
    assert bad.text_box(bad.title_area, (480, 270))[0] > 0  # the base class clips areas to the safe area


def test_bytes_are_identical_across_fresh_interpreters() -> None:
    code = ("import hashlib; from themes.covers import CoverSpec, render_cover_bytes; "
            "print(hashlib.sha256(render_cover_bytes(CoverSpec(title='Same bytes 同样', course_id=3, "
            "layout='geometric', size=(480, 270))).data).hexdigest())")
    runs = {subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                           env={"PYTHONHASHSEED": str(seed), "PATH": "/usr/bin:/bin"}).stdout.strip()
            for seed in (1, 2)}
    assert len(runs) == 1 and len(next(iter(runs))) == 64


@pytest.mark.parametrize("name", [lay.name for lay in BUILTIN_LAYOUTS])
def test_single_colour_palette_renders_in_every_layout(name: str) -> None:
    im = render_cover(CoverSpec(title="One colour", palette={"primary": "#777777", "background": "#777777"},
                                layout=name, size=(480, 270)))
    assert im.size == (480, 270)
