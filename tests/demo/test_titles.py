"""Seeded course titles read like real ones: unique without "(148)"-style suffixes, editions only once every
topic and pattern of a category is used."""

import re

import pytest
from django.core.management import call_command

from courseplatform.catalog.models import Course
from courseplatform.demo.data import EN_PATTERNS, TOPICS, ZH_PATTERNS
from courseplatform.demo.steps import fresh_title

NUMBER_SUFFIX = re.compile(r"\(\s*\d+\s*\)\s*$")


@pytest.mark.django_db
def test_the_default_demo_catalogue_has_natural_unique_titles():
    call_command("seed_demo", "--courses", "200", "--learners", "5", "--seed", "7", "--no-themes", verbosity=0)
    titles = list(Course.objects.values_list("title", flat=True))
    assert len(titles) == 200 == len(set(titles))
    assert not [t for t in titles if NUMBER_SUFFIX.search(t)]
    assert not [t for t in titles if "Edition" in t or "版）" in t]  # 200 courses never exhaust a category's grid


def test_a_taken_title_moves_to_the_next_unused_pair_of_the_grid():
    topics = TOPICS["programming"][0]
    taken = {EN_PATTERNS[2].format(t=topics[1])}
    assert fresh_title(topics, EN_PATTERNS, 1, 2, taken, chinese=False) == (EN_PATTERNS[3].format(t=topics[1]),
                                                                             topics[1])
    assert fresh_title(topics, EN_PATTERNS, 1, 2, set(), chinese=False)[0] == EN_PATTERNS[2].format(t=topics[1])


@pytest.mark.parametrize(("chinese", "second"), [(False, ", 2nd Edition"), (True, "（第2版）")])
def test_past_every_pair_of_a_category_titles_get_an_edition(chinese, second):
    topics, patterns = TOPICS["music"][1 if chinese else 0], ZH_PATTERNS if chinese else EN_PATTERNS
    seen = {p.format(t=t) for t in topics for p in patterns}
    title, topic = fresh_title(topics, patterns, 0, 0, seen, chinese=chinese)
    assert title == patterns[0].format(t=topics[0]) + second and topic == topics[0]
    seen |= {p.format(t=t) + second for t in topics for p in patterns}
    assert fresh_title(topics, patterns, 5, 5, seen, chinese=chinese)[0].endswith(
        "（第3版）" if chinese else ", 3rd Edition")
