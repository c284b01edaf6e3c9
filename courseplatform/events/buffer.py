"""Impressions off the request path.

1. Notes per request: a selector or a template hook that shows courses calls :func:`note_impressions`; nothing
   touches the database then. ``middleware.PendingEventsMiddleware`` hands the notes to
   ``services.pending_flush`` once the response is rendered.
2. The durable buffer: with ``EVENTS_BUFFER_URL`` (default ``REDIS_URL``) set, ``services.impressions_log``
   appends each list of rows to a Redis stream (one ``XADD``, no database write) and the ``events.flush_buffer``
   worker task writes them in batches (``services.buffer_flush``).

No loss on a worker crash: a flusher reads entries through a consumer group (``XREADGROUP``), so each entry it
took stays in the group's pending list until it is acknowledged (``XACK`` + ``XDEL``) *after* the rows are
committed. Entries of a flusher that died are taken over by the next one once idle for ``EVENTS_BUFFER_CLAIM_S``
(``XAUTOCLAIM``). Every row carries the ``event_id`` given here, and the insert skips ids already stored, so an
entry written and then redelivered (a crash between commit and acknowledgement) stores nothing twice.
"""

import functools
import json
import logging
from collections.abc import Mapping, Sequence

from django.conf import settings

logger = logging.getLogger(__name__)

_ATTR = "_pending_impressions"
STREAM = "events:impressions"
GROUP = "flushers"


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


# --- the durable stream ------------------------------------------------------------------------------------

def url() -> str:
    return getattr(settings, "EVENTS_BUFFER_URL", "") or ""


@functools.cache
def _client(location: str):
    import redis

    return redis.Redis.from_url(location, socket_connect_timeout=1, socket_timeout=2)


def client():
    """The buffer's Redis client (one per process and URL), or None when the buffer is off."""
    location = url()
    return _client(location) if location else None


def errors() -> tuple[type[BaseException], ...]:
    """What an unreachable or restarted Redis raises (a deleted stream under a blocked read included)."""
    import redis

    return (redis.exceptions.RedisError, OSError)


def push(rows: list[dict]) -> bool:
    """Append ``rows`` (JSON-ready dicts, each with its ``event_id``) as one stream entry. False when the buffer
    is off or Redis refused: the caller writes the rows itself, so nothing is dropped."""
    redis_client = client()
    if redis_client is None or not rows:
        return False
    try:
        redis_client.xadd(STREAM, {"rows": json.dumps(rows, separators=(",", ":"))})
        return True
    except errors():
        logger.warning("events buffer unavailable: impressions written directly", exc_info=True)
        return False


def _ensure_group(redis_client) -> None:
    import redis

    try:
        redis_client.xgroup_create(STREAM, GROUP, id="0", mkstream=True)
    except redis.exceptions.ResponseError as exc:
        if "BUSYGROUP" not in str(exc):
            raise


def _decode(entries) -> list[tuple[str, list[dict]]]:
    out = []
    for entry_id, fields in entries or []:
        if not fields:  # claimed after being deleted: nothing left to write
            out.append((entry_id.decode(), []))
            continue
        out.append((entry_id.decode(), json.loads(fields[b"rows"])))
    return out


def claim(consumer: str, *, count: int, idle_ms: int, block_ms: int = 0) -> list[tuple[str, list[dict]]]:
    """Up to ``count`` entries for ``consumer``: first those a dead flusher left pending for ``idle_ms``, then new
    ones (waiting up to ``block_ms`` for some). They stay pending until :func:`ack`."""
    redis_client = client()
    _ensure_group(redis_client)
    _next, stale, *_deleted = redis_client.xautoclaim(STREAM, GROUP, consumer, min_idle_time=idle_ms, count=count)
    taken = _decode(stale)
    if len(taken) < count:
        reply = redis_client.xreadgroup(GROUP, consumer, {STREAM: ">"}, count=count - len(taken),
                                        block=block_ms or None)
        for _stream, entries in reply or []:
            taken += _decode(entries)
    return taken


def ack(entry_ids: Sequence[str]) -> None:
    """The entries' rows are committed: forget them."""
    if not entry_ids:
        return
    pipe = client().pipeline(transaction=False)
    pipe.xack(STREAM, GROUP, *entry_ids)
    pipe.xdel(STREAM, *entry_ids)
    pipe.execute()


def backlog() -> dict[str, int]:
    """``{"entries": in the stream, "pending": taken and not acknowledged}`` (0 when the buffer is off)."""
    redis_client = client()
    if redis_client is None:
        return {"entries": 0, "pending": 0}
    _ensure_group(redis_client)
    pending = redis_client.xpending(STREAM, GROUP)
    return {"entries": int(redis_client.xlen(STREAM)), "pending": int(pending["pending"])}
