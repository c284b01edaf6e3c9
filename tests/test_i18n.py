"""Both languages: the zh_Hans catalogue covers every string, and visitors choose their language."""

import ast
import gettext
import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.utils import translation

from tests.tools import require

ROOT = Path(__file__).resolve().parents[1]
SOURCE_DIRS = ("courseplatform", "themes", "recommender", "workers")
CATALOGUE = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES"


def po_entries(path: Path) -> list[dict]:
    """The entries of a .po file as written by makemessages (blank-line separated), obsolete ``#~`` ones left
    out: ``{"msgid": ..., "msgctxt"?, "msgid_plural"?, "msgstr"/"msgstr[n]": ..., "fuzzy": bool}``."""
    entries, entry, key = [], {}, None
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if line.startswith("#~"):
            continue
        if not line:
            if "msgid" in entry:
                entries.append({"fuzzy": False, **entry})
            entry, key = {}, None
        elif line.startswith("#"):
            if line.startswith("#,") and "fuzzy" in line:
                entry["fuzzy"] = True
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)  # a continuation line of the last keyword
        else:
            key, _space, quoted = line.partition(" ")
            entry[key] = ast.literal_eval(quoted)
    return entries


@pytest.mark.slow
def test_makemessages_leaves_no_untranslated_or_fuzzy_string_in_zh_hans(tmp_path):
    """Re-extract every msgid from a copy of the source and check the catalogue translates all of them."""
    require(shutil.which("msgfmt") is not None, "gettext (msgfmt, for makemessages)", "gettext")
    for name in SOURCE_DIRS:
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    shutil.copytree(ROOT / "locale", tmp_path / "locale", ignore=shutil.ignore_patterns("*.mo"))
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "courseplatform.settings.test", "VAR_DIR": str(tmp_path / "var")}
    subprocess.run([sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete"], cwd=tmp_path,
                   env=env, check=True, capture_output=True, timeout=300)
    stats = subprocess.run(["msgfmt", "--check", "--statistics", "-o", "/dev/null",
                            str(tmp_path / "locale/zh_Hans/LC_MESSAGES/django.po")],
                           capture_output=True, text=True, check=True).stderr
    summary = stats.strip().splitlines()[-1]
    assert "untranslated" not in summary and "fuzzy" not in summary, summary


def _nplurals(translations: gettext.GNUTranslations) -> int:
    """The number of plural forms the catalogue's Plural-Forms header declares."""
    header = translations.info().get("plural-forms", "nplurals=2;")
    return int(header.split("nplurals=")[1].split(";")[0])


def msgids_missing_from_mo(po_path: Path, mo_path: Path) -> list[str]:
    """Non-header msgids of ``po_path`` without a non-empty translation in the compiled ``mo_path`` (looked up
    under their context, and for plurals in every plural form the catalogue declares)."""
    with open(mo_path, "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    catalog = compiled._catalog  # the parsed .mo: {msgid: str}, {(msgid, n): str} for plurals
    nplurals = _nplurals(compiled)
    missing = []
    for entry in po_entries(po_path):
        if not entry["msgid"]:  # the header
            continue
        key = f"{entry['msgctxt']}\x04{entry['msgid']}" if "msgctxt" in entry else entry["msgid"]
        if "msgid_plural" in entry:
            translated = all(catalog.get((key, n)) for n in range(nplurals))
        else:
            translated = bool(catalog.get(key))
        if not translated:
            missing.append(key)
    return missing


def test_the_compiled_catalogue_translates_every_msgid_of_the_po_file():
    """A stale .mo (the .po gained or changed strings and nobody ran compilemessages) fails here; so do
    untranslated and fuzzy entries, which msgfmt leaves out of the .mo."""
    assert len(po_entries(CATALOGUE / "django.po")) > 100  # the reader really read the catalogue
    missing = msgids_missing_from_mo(CATALOGUE / "django.po", CATALOGUE / "django.mo")
    assert missing == [], f"{len(missing)} msgids without a compiled translation (run compilemessages): {missing}"


def test_a_stale_compiled_catalogue_is_caught(tmp_path):
    po = tmp_path / "django.po"
    po.write_text((CATALOGUE / "django.po").read_text(encoding="utf-8")
                  + '\nmsgid "A string added after the last compilemessages"\nmsgstr "新加的"\n'
                  + '\nmsgctxt "price in US dollars"\nmsgid "A contextual string"\nmsgstr "有上下文"\n',
                  encoding="utf-8")
    assert msgids_missing_from_mo(po, CATALOGUE / "django.mo") == [
        "A string added after the last compilemessages", "price in US dollars\x04A contextual string"]


def test_the_po_reader_sees_contexts_plurals_and_fuzzy_entries(tmp_path):
    po = tmp_path / "x.po"
    po.write_text('''msgid ""
msgstr "Content-Type: text/plain; charset=UTF-8\\n"

#, python-format
msgctxt "price"
msgid "$%(amount)s"
msgstr "US$%(amount)s"

msgid "%(n)s day"
msgid_plural "%(n)s days"
msgstr[0] "%(n)s 天"

#, fuzzy
msgid ""
"Long "
"line \\"q\\""
msgstr "旧"

#~ msgid "Gone"
#~ msgstr "没了"
''', encoding="utf-8")
    entries = po_entries(po)
    assert [(e.get("msgctxt"), e["msgid"], e.get("msgid_plural"), e["fuzzy"]) for e in entries] == [
        (None, "", None, False), ("price", "$%(amount)s", None, False), (None, "%(n)s day", "%(n)s days", False),
        (None, 'Long line "q"', None, True)]
    assert entries[1]["msgstr"] == "US$%(amount)s" and entries[2]["msgstr[0]"] == "%(n)s 天"


def test_the_compiled_catalogue_translates_the_interface():
    with translation.override("zh-hans"):
        assert translation.gettext("Enrol now") != "Enrol now"
        assert translation.gettext("Recommended for you") != "Recommended for you"


@pytest.mark.django_db
def test_language_from_accept_language_and_prefixed_urls(client, course):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9", HTTP_ACCEPT="text/html",
                      follow=True)
    assert page.redirect_chain == [("/zh-hans/", 302)]
    assert '<html lang="zh-hans">' in page.content.decode()
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9", HTTP_ACCEPT="text/html")
    assert english.status_code == 200 and '<html lang="en">' in english.content.decode()
    with translation.override("zh-hans"):
        url = course.get_absolute_url()
    assert url.startswith("/zh-hans/")
    assert "立即报名" in client.get(url).content.decode() or "登录" in client.get(url).content.decode()


@pytest.mark.django_db
def test_language_switcher_keeps_the_page(client, course):
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": course.get_absolute_url()})
    assert response.status_code == 302 and response["Location"].startswith("/zh-hans/courses/")


def test_every_field_shown_in_the_admin_has_a_translatable_label():
    """Admin column headers and form labels come from verbose_name; a plain str (Django's default, derived
    from the attribute name) would stay English on /zh-hans/admin/. Every concrete field of every model
    registered with the admin, and the model's own names, must be gettext_lazy proxies.

    Left out, because the project cannot change them: auto-created primary keys (Django labels them "ID",
    a plain str) and models of Django's own apps (django.contrib.auth's Group and the like), which Django
    translates itself.
    """
    from django.contrib import admin
    from django.utils.functional import Promise

    plain = []
    for model in admin.site._registry:
        if model.__module__.startswith("django."):
            continue
        opts = model._meta
        for name in ("verbose_name", "verbose_name_plural"):
            if not isinstance(getattr(opts, name), Promise):
                plain.append(f"{opts.label} Meta.{name}")
        for field in opts.get_fields():
            if not field.concrete or (field.primary_key and field.auto_created):
                continue
            if not isinstance(field.verbose_name, Promise):
                plain.append(f"{opts.label}.{field.name} ({field.verbose_name!r})")
    assert plain == []


def test_every_computed_admin_column_has_a_translatable_label():
    """A list_display entry that is not a field (a model property, an admin method) is headed by its
    ``short_description``/``@admin.display(description=…)``; without one Django prettifies the attribute name
    ("Progress percent"), which stays English on /zh-hans/admin/. Metric identifiers are left as they are."""
    from django.contrib import admin
    from django.contrib.admin.utils import label_for_field
    from django.core.exceptions import FieldDoesNotExist
    from django.utils.functional import Promise

    metric_names = {"NDCG@10", "Recall@20"}  # written the same in every language, like the dashboard's headings
    plain = []
    for model, model_admin in admin.site._registry.items():
        if model.__module__.startswith("django."):
            continue
        for name in model_admin.list_display:
            if callable(name) or name == "__str__":
                continue
            try:
                model._meta.get_field(name)
                continue  # a field: its verbose_name, checked above
            except FieldDoesNotExist:
                pass
            label = label_for_field(name, model, model_admin)
            if not isinstance(label, Promise) and label not in metric_names:
                plain.append(f"{model._meta.label}.{name} ({label!r})")
    assert plain == []


# --- strings translated where they are shown ---------------------------------------------------------------

@contextmanager
def zh_catalogue_with(entries: dict[str, str]):
    """Add ``entries`` (msgid, or ``context\\x04msgid``, → translation) to the zh-hans catalogue for the duration
    of a test, so a test can see a string translated before the catalogue has caught up with it."""
    from django.utils.translation import trans_real

    with translation.override("zh-hans"):
        catalog = trans_real.translation("zh-hans")._catalog._catalogs[0]
        saved = {key: catalog[key] for key in entries if key in catalog}
        catalog.update(entries)
        try:
            yield
        finally:
            for key in entries:
                catalog.pop(key, None)
            catalog.update(saved)


ROLE_ZH = {"background": "背景", "surface": "表面", "text": "文字", "primary": "主色", "secondary": "辅助色",
           "accent": "强调色"}


def _palette():
    from types import SimpleNamespace

    colors = {"background": "#ffffff", "surface": "#f4f6f8", "text": "#1b1f24", "primary": "#1e63c4",
              "secondary": "#4b5563", "accent": "#b4235a", "accent2": "#0f766e"}
    return SimpleNamespace(colors=colors, dark=dict(colors),
                           contrast={"light": {"text/background": 15.1, "accent2/background": 5.0}})


def test_palette_role_and_pair_labels_are_translated_while_the_keys_stay_english():
    from themes import presentation

    palette = _palette()
    entries = {f"palette role\x04{role}": zh for role, zh in ROLE_ZH.items()}
    entries["palette role\x04accent {n}"] = "强调色 {n}"
    with zh_catalogue_with(entries):
        swatches = presentation.swatches(palette)
        assert [s["role"] for s in swatches] == [*presentation.ROLE_ORDER, "accent2"]  # a seven-colour palette
        assert [str(s["label"]) for s in swatches] == [*ROLE_ZH.values(), "强调色 2"]
        rows = {row["pair"]: str(row["label"]) for row in presentation.contrast_rows(palette)}
        assert rows["text/background"] == "文字/背景" and rows["primary/background"] == "主色/背景"
        assert rows["accent2/background"] == "强调色 2/背景"
        light = presentation.contrast_matrix(palette)[0]
        assert light["roles"] == list(presentation.ROLE_ORDER)
        assert [str(c["label"]) for c in light["columns"]] == list(ROLE_ZH.values())
        assert str(light["rows"][2]["role_label"]) == "文字" and str(light["rows"][2]["cells"][0]["on_label"]) == "背景"
    with translation.override("en"):
        assert str(presentation.pair_label("text/background")) == "text/background"


@pytest.mark.django_db
def test_cover_layout_labels_are_translated_in_the_course_form():
    from courseplatform.catalog.forms import CourseForm
    from themes.covers import get_layout
    from themes.plugins import COVER_LAYOUTS

    zh = {"Gradient band": "渐变色带", "Geometric pattern": "几何图案", "Split with logo": "左右分栏带标志"}
    with zh_catalogue_with(zh):
        html = str(CourseForm()["cover_layout"])
        assert all(label in html for label in zh.values())
        assert {name: str(COVER_LAYOUTS[name].label) for name in ("gradient-band", "geometric", "split")} == dict(
            zip(("gradient-band", "geometric", "split"), zh.values(), strict=True))
    with translation.override("en"):
        assert "Gradient band" in str(CourseForm()["cover_layout"])
    assert get_layout("gradient-band").label == "Gradient band"  # the pure renderer keeps its own label


@pytest.mark.django_db
def test_palette_job_palette_and_batch_names_follow_the_language(storefront):
    from themes.models import CoverBatch, Palette, PaletteJob

    job = PaletteJob.objects.create(storefront=storefront, brief={}, brief_hash="x" * 64)
    palette = Palette.objects.create(storefront=storefront, job=job, rank=0, colors={}, dark={}, scores={},
                                     status="approved", contrast={})
    batch = CoverBatch.objects.create(storefront=storefront)
    assert str(job) == f"Palette job {job.pk} for {storefront.name}"
    with zh_catalogue_with({"Palette job %(id)s for %(storefront)s": "%(storefront)s 的配色任务 %(id)s",
                            "Palette %(id)s (%(status)s) for %(storefront)s": "%(storefront)s 的配色 %(id)s（%(status)s）",
                            "Cover batch %(id)s for %(storefront)s": "%(storefront)s 的封面批次 %(id)s"}):
        assert str(job) == f"{storefront.name} 的配色任务 {job.pk}"
        assert str(palette).startswith(f"{storefront.name} 的配色 {palette.pk}（") and "approved" not in str(palette)
        assert str(batch) == f"{storefront.name} 的封面批次 {batch.pk}"


def test_the_progress_column_of_jobs_is_translated():
    from django.contrib import admin
    from django.contrib.admin.utils import label_for_field

    from recommender.models import TrainingRun

    label = label_for_field("progress_percent", TrainingRun, admin.site._registry[TrainingRun])
    assert str(label) == "progress (%)"
    with zh_catalogue_with({"progress (%)": "进度（%）"}):
        assert str(label) == "进度（%）"
