"""Training reads the interaction log streamed into columns; the result is the rows the log holds, vetted like
the row-by-row rule (cheap events of untrusted learners down-weighted, dropped where nobody trusted vouches)."""

import datetime as dt
import random

import pytest
from django.utils import timezone

from courseplatform.events import selectors
from courseplatform.events.models import Interaction
from recommender import history
from recommender.engine import EventLogBuilder
from tests.factories import CourseFactory, UserFactory

pytestmark = pytest.mark.django_db

CHEAP = ("click", "view", "wishlist")


def row_by_row(rows, trusted):
    """The rule as training applied it to a list of tuples before the log was streamed."""
    vouched = {r[1] for r in rows if r[2] not in CHEAP or r[0] in trusted}
    out = []
    for r in rows:
        if r[2] in CHEAP and r[0] not in trusted:
            if r[1] not in vouched:
                continue
            r = (r[0], r[1], r[2] + ":unverified", *r[3:])
        out.append(r)
    return out


def test_the_streamed_history_holds_every_learner_event_but_impressions():
    learners, courses = [UserFactory() for _ in range(3)], [CourseFactory() for _ in range(4)]
    now = timezone.now()
    for n in range(25):
        Interaction.objects.create(user=learners[n % 3], course=courses[n % 4], ts=now - dt.timedelta(hours=n),
                                   type=("view", "enroll", "impression", "rate")[n % 4],
                                   value=4.0 if n % 4 == 3 else None)
    Interaction.objects.create(session_key="anon", course=courses[0], type="view", ts=now)
    log = history.learner_history(chunk_size=4)  # seven round trips of the cursor
    expected = sorted((u, c, t, ts.timestamp(), v) for u, c, t, ts, v in selectors.learner_history())
    assert len(log) == len(expected) == selectors.learner_history_count() == 19
    got = sorted((u, c, t, ts.timestamp(), v) for u, c, t, ts, v in log)
    assert [(u, c, t, v) for u, c, t, _s, v in got] == [(u, c, t, v) for u, c, t, _s, v in expected]
    assert [s for *_r, s, _v in got] == pytest.approx([s for *_r, s, _v in expected], abs=1e-3)


def test_vetting_the_columns_keeps_the_rows_the_row_by_row_rule_keeps():
    rng = random.Random(3)
    t0 = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    rows = [(rng.randint(1, 12), rng.randint(1, 9), rng.choice(("click", "view", "wishlist", "enroll", "rate")),
             t0 + dt.timedelta(minutes=n), None) for n in range(400)]
    trusted = {1, 2, 3}
    builder = EventLogBuilder(len(rows))
    builder.add(rows)
    got = sorted(history.vetted(builder.build(), trusted=trusted, cheap_types=CHEAP, suffix=":unverified"))
    assert got == sorted(row_by_row(rows, trusted))
