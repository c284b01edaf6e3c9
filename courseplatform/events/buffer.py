"""Impressions noted while a page is rendered, written after it (reads never write).

A selector or a template hook that shows courses calls :func:`note_impressions`; nothing touches the database
then. ``middleware.PendingEventsMiddleware`` hands the notes to ``services.pending_flush`` once the response is
rendered.
"""

from collections.abc import Sequence

_ATTR = "_pending_impressions"


def note_impressions(request, *, course_ids: Sequence[int], surface: str) -> None:
    """Remember that ``course_ids`` were shown on ``surface`` (position 1 first) during this request."""
    if request is None or not course_ids:
        return
    request.__dict__.setdefault(_ATTR, []).append((tuple(course_ids), surface))


def take(request) -> list[tuple[tuple[int, ...], str]]:
    """The notes of ``request`` (emptied: a second flush writes nothing)."""
    return request.__dict__.pop(_ATTR, [])
