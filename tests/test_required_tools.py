"""A missing tool fails its tests (naming the package), an explicit opt-out skips them, and CI never opts out."""

import pytest

from tests.tools import require, tesseract_languages


def test_a_missing_tool_fails_naming_the_package(monkeypatch):
    monkeypatch.delenv("SKIP_BROWSER", raising=False)
    with pytest.raises(pytest.fail.Exception, match="apt-get install chromium"):
        require(False, "Chromium", "chromium", "SKIP_BROWSER")


def test_an_explicit_opt_out_skips_with_the_reason(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("SKIP_BROWSER", "1")
    with pytest.raises(pytest.skip.Exception, match="SKIP_BROWSER is set"):
        require(False, "Chromium", "chromium", "SKIP_BROWSER")
    monkeypatch.setenv("SKIP_BROWSER", "0")
    with pytest.raises(pytest.fail.Exception):
        require(False, "Chromium", "chromium", "SKIP_BROWSER")


def test_ci_never_opts_out(monkeypatch):
    monkeypatch.setenv("CI", "true")
    monkeypatch.setenv("SKIP_OCR", "1")
    with pytest.raises(pytest.fail.Exception, match="tesseract-ocr-chi-sim"):
        require(False, "tesseract", "tesseract-ocr tesseract-ocr-chi-sim", "SKIP_OCR")
    require(True, "tesseract", "tesseract-ocr", "SKIP_OCR")  # present: runs, opt-out or not


def test_a_tool_without_an_opt_out_always_fails_when_missing(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.fail.Exception, match="apt-get install gettext"):
        require(False, "gettext", "gettext")


def test_tesseract_lists_the_languages_the_ocr_tests_read():
    require(bool(tesseract_languages()), "tesseract", "tesseract-ocr", "SKIP_OCR")
    assert {"chi_sim", "ara", "eng"} <= tesseract_languages()
