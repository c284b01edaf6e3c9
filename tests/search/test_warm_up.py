"""A server process loads jieba's dictionary while it starts, so no learner's first Chinese search waits ~1 s."""

import subprocess
import sys

from django.conf import settings


def test_the_wsgi_entry_point_loads_the_chinese_segmenter_before_the_first_request():
    code = ("import os; os.environ['DJANGO_SETTINGS_MODULE']='courseplatform.settings.test'; import jieba; "
            "assert not jieba.dt.initialized; import courseplatform.wsgi; print(jieba.dt.initialized)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         cwd=settings.BASE_DIR)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().endswith("True")
