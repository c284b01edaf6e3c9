"""The self-hosted Chinese font: referenced by the site CSS, served as a static file, covering the catalogue.

A new zh_Hans translation with a character the subset lacks fails here until the font is rebuilt
(``python manage.py build_cjk_font``, needs requirements/dev.txt).
"""

import re
import unicodedata
from pathlib import Path
from posixpath import normpath

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
from django.core.files.storage import FileSystemStorage
from django.test import Client, override_settings
from fontTools.ttLib import TTFont

from tests.test_i18n import CATALOGUE, ROOT, po_entries

FONT = "fonts/NotoSansSC-Subset.woff2"
FAMILY = "Noto Sans SC Subset"
FONT_FACE = re.compile(r"@font-face\s*{([^}]*)}")


def site_css() -> str:
    return Path(finders.find("css/site.css")).read_text(encoding="utf-8")


def test_site_css_declares_the_font_and_puts_it_in_the_chinese_stacks():
    css = site_css()
    face = next(block for block in FONT_FACE.findall(css) if FAMILY in block)
    url = re.search(r'url\("?([^")]+)"?\)\s*format\("woff2"\)', face).group(1)
    assert normpath(f"css/{url}") == FONT
    assert "font-display: swap" in face
    unicode_range = re.search(r"unicode-range:([^;]+);", face).group(1)
    assert "U+4E00-9FFF" in unicode_range and "U+3000-303F" in unicode_range
    assert "U+0020" not in unicode_range and "U+0000" not in unicode_range  # Latin text keeps the Latin font
    stack = re.search(r"--font-cjk:([^;]+);", css).group(1)
    assert stack.strip().startswith(f'"{FAMILY}"')
    assert re.search(r"--font:[^;]*var\(--font-cjk\)", css)  # every page, themed storefronts included
    assert re.search(r'\[lang\|="zh"\]\s*{\s*--font:\s*var\(--font-cjk\)', css)  # zh pages: CJK face first


def test_font_file_is_found_and_served_with_a_font_content_type():
    path = finders.find(FONT)
    assert path and 100_000 < Path(path).stat().st_size < 2_500_000
    with override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True):  # as under DEBUG
        response = Client().get(f"/static/{FONT}")
    assert response.status_code == 200
    assert response["Content-Type"] == "font/woff2"
    assert b"".join(response.streaming_content)[:4] == b"wOF2"
    assert finders.find("fonts/OFL.txt"), "the SIL Open Font License must ship beside the font"


def test_manifest_storage_rewrites_the_css_url_to_the_hashed_font(tmp_path):
    """Production (whitenoise's manifest storage) rewrites url() to the hashed name; a missing file fails."""
    paths = ["css/site.css", FONT]
    source = FileSystemStorage(location=Path(finders.find(FONT)).parents[1])
    target = ManifestStaticFilesStorage(location=tmp_path, base_url="/static/")
    for name in paths:
        with source.open(name) as handle:
            target.save(name, handle)
    for _name, _hashed, processed in target.post_process({p: (source, p) for p in paths}):
        assert not isinstance(processed, Exception), processed
    hashed_font = Path(target.stored_name(FONT)).name
    assert hashed_font != Path(FONT).name
    assert hashed_font in (tmp_path / target.stored_name("css/site.css")).read_text(encoding="utf-8")


def test_font_has_a_glyph_for_every_character_of_the_zh_hans_catalogue():
    used = {
        char
        for entry in po_entries(CATALOGUE / "django.po")
        for key, text in entry.items()
        if key.startswith("msgstr")
        for char in text
        if not unicodedata.category(char).startswith("C")  # newlines and other controls
    }
    demo = "".join((ROOT / "courseplatform/demo" / name).read_text(encoding="utf-8") for name in ("data.py",
                                                                                                 "steps.py"))
    used |= {char for char in demo if "\u4e00" <= char <= "\u9fff"}  # the seed data's Chinese titles
    cmap = TTFont(finders.find(FONT))["cmap"].getBestCmap()
    missing = "".join(sorted(char for char in used if ord(char) not in cmap))
    assert not missing, f"{FONT} lacks {missing!r}: run `python manage.py build_cjk_font`"


def test_chinese_pages_link_the_css_and_the_policy_allows_fonts_from_self(client, db):
    response = client.get("/zh-hans/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html and "css/site.css" in html
    policy = response["Content-Security-Policy"]
    directives = {name: values for name, *values in (part.split() for part in policy.split(";") if part.strip())}
    assert "'self'" in directives.get("font-src", directives.get("default-src", []))
