"""Impressions noted while a page is rendered, written after it (reads never write).

A selector or a template hook that shows courses calls :func:`note_impressions`; nothing touches the database
then. ``middleware.PendingEventsMiddleware`` hands the notes to ``services.pending_flush`` once the response is
rendered.
"""

from collections.abc import Mapping, Sequence

_ATTR = "_pending_impressions"


def note_impressions(request, *, course_ids: Sequence[int], surface: str,
                     course_tags: Mapping[int, Mapping[str, str]] | None = None) -> None:
    """Remember that ``course_ids`` were shown on ``surface`` (position 1 first) during this request.
    ``course_tags`` (``{course_id: {"experiment", "variant"}}``) label single rows with the server's own
    assignment (an interleaved feed: the team that placed each course)."""
    if request is None or not course_ids:
        return
    request.__dict__.setdefault(_ATTR, []).append((tuple(course_ids), surface, dict(course_tags or {})))


def take(request) -> list[tuple[tuple[int, ...], str, dict]]:
    """The notes of ``request`` (emptied: a second flush writes nothing)."""
    return request.__dict__.pop(_ATTR, [])
