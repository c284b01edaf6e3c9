"""What the interaction log tells other apps. Sent once the rows are committed."""

from django.dispatch import Signal

#: ``sender`` is the events services module; ``user_id`` (None for anonymous sessions) and ``types`` (the
#: frozenset of event types written). The recommender drops the learner's cached feed on it.
interactions_recorded = Signal()
