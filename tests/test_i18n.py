"""Both languages: the zh_Hans catalogue covers every string, and visitors choose their language."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parents[1]
SOURCE_DIRS = ("courseplatform", "themes", "recommender", "workers")


@pytest.mark.slow
def test_makemessages_leaves_no_untranslated_or_fuzzy_string_in_zh_hans(tmp_path):
    """Re-extract every msgid from a copy of the source and check the catalogue translates all of them."""
    if shutil.which("msgfmt") is None:
        pytest.skip("gettext tools not installed")
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
