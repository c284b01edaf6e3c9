"""A worker's pool process warms the cover renderer once at start (issue 17: fonts loaded once per process)."""

import weakref

from celery.signals import worker_process_init

from themes import tasks
from themes.covers import fonts
from themes.covers.warm import warm_up


def test_after_warm_up_common_text_needs_no_new_font_or_glyph_probe():
    fonts.get_font.cache_clear()
    fonts.face_has_glyph.cache_clear()
    warm_up()
    glyphs, opened = fonts.face_has_glyph.cache_info(), fonts.get_font.cache_info()
    assert glyphs.currsize >= 90 and opened.currsize > 0
    for weight in ("bold", "regular"):
        fonts.split_runs("Data Science, 2nd edition (2026): R & Python!", fonts.chain_for("Data", weight))
    assert fonts.face_has_glyph.cache_info().misses == glyphs.misses


def test_each_pool_process_warms_the_renderer_at_start():
    handlers = [ref() if isinstance(ref, weakref.ReferenceType) else ref for _key, ref in worker_process_init.receivers]
    assert tasks.warm_cover_renderer in handlers
