"""The learners' history as training reads it: streamed from the interaction log into numpy columns.

Memory grows with ~30 bytes per event (an :class:`~recommender.engine.EventLog`), never with model instances or
a list of tuples: the events app's selector yields chunks from a server-side cursor (PostgreSQL) and each chunk
is copied into preallocated arrays, then dropped (bench/growth.py measures it at 1 M - 20 M events).
"""

from __future__ import annotations

import numpy as np
from django.db import transaction

from courseplatform.events import selectors as events

#: rows fetched per round trip of the server-side cursor
CHUNK = 20_000


def learner_history(*, chunk_size: int = CHUNK):
    """Every learner event except impressions as an ``EventLog`` (one consistent snapshot on PostgreSQL)."""
    from .engine import EventLogBuilder

    with transaction.atomic():
        builder = EventLogBuilder(events.learner_history_count())
        for chunk in events.learner_history_chunks(chunk_size):
            builder.add(chunk)
    return builder.build()


def vetted(log, *, trusted: set[int], cheap_types: tuple[str, ...], suffix: str):
    """``log`` with the cheap events (``cheap_types``) of learners not in ``trusted`` renamed ``<type><suffix>``,
    and dropped on courses no trusted event vouches for (an event of another type by anyone, or a cheap event of a
    trusted learner). Vectorised: the same rows as the tuple-by-tuple rule, in any order."""
    if not len(log):
        return log
    cheap_codes = [code for code, name in enumerate(log.type_names) if name in cheap_types]
    cheap = np.isin(log.types, cheap_codes)
    trusted_rows = np.isin(log.users, np.fromiter(trusted, np.int64, len(trusted)))
    untrusted_cheap = cheap & ~trusted_rows
    vouched = np.unique(log.items[~untrusted_cheap])
    keep = ~untrusted_cheap | np.isin(log.items, vouched)
    return log.subset(keep).renamed(untrusted_cheap[keep], suffix)
