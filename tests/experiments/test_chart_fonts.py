"""Charts draw Chinese course titles with the shipped CJK subset: no CJK font needs installing on the machine."""

import warnings
from types import SimpleNamespace

from django.test import override_settings

from courseplatform.experiments import charts


def test_chinese_course_titles_are_drawn_with_the_shipped_cjk_subset_not_as_empty_boxes(tmp_path):
    charts._cjk_subset_family.cache_clear()
    rows = [(1, "零基础学前端工程", SimpleNamespace(enrolments=3)), (2, "Mastering Go", SimpleNamespace(enrolments=5))]
    with override_settings(VAR_DIR=tmp_path), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = charts.by_course_chart(rows)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert missing == []  # matplotlib warns once per glyph it draws as a box
    assert list((tmp_path / "cache" / "fonts").glob("NotoSansSC-Subset-*.ttf"))  # the TrueType copy, cached
    charts._cjk_subset_family.cache_clear()
