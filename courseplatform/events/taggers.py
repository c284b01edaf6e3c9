"""Taggers label events with the experiment and variant the server assigned, without this app knowing who
runs experiments: an app registers a tagger (in its ``AppConfig.ready``), the events services call every one.

A tagger is called as ``tagger(user=…, session_key=…, courses={course_id: storefront_id})`` and returns
``{course_id: {"experiment": str, "variant": str}}`` for the courses it tags (usually none). Tags come from the
server's own assignment, never from the client (no self-tagging).

A tagger registered with ``reads`` (cache keys it reads on every call) is called with ``cache_reads`` too: what
the cache held for its keys, read ahead in the request's throttle round trip (``POST /api/events``), with a key
missing where the cache had nothing or was not read (the tagger then reads it itself).
"""

from collections.abc import Callable, Iterable, Mapping

Tags = Mapping[str, str]
Tagger = Callable[..., Mapping[int, Tags]]
TAG_FIELDS = ("experiment", "variant")
TAG_MAX = 64

_taggers: list[Tagger] = []
_reads: dict[Tagger, tuple[str, ...]] = {}


def register(tagger: Tagger, reads: Iterable[str] = ()) -> Tagger:
    """Add ``tagger`` (once; registering it again does nothing). Usable as a decorator."""
    if tagger not in _taggers:
        _taggers.append(tagger)
        if reads:
            _reads[tagger] = tuple(reads)
    return tagger


def unregister(tagger: Tagger) -> None:
    if tagger in _taggers:
        _taggers.remove(tagger)
        _reads.pop(tagger, None)


def read_ahead_keys() -> list[str]:
    """The cache keys every registered tagger reads on each call."""
    return [key for tagger in _taggers for key in _reads.get(tagger, ())]


def tags_for(*, user, session_key: str, courses: Mapping[int, int],
             cache_reads: Mapping[str, object] | None = None) -> dict[int, dict[str, str]]:
    """``{course_id: {"experiment", "variant"}}`` from every registered tagger; the first tagger to tag a
    course wins (one experiment column per row). ``cache_reads``: values of :func:`read_ahead_keys` read ahead."""
    out: dict[int, dict[str, str]] = {}
    if not courses:
        return out
    for tagger in _taggers:
        extra = {}
        if reads := _reads.get(tagger):
            held = cache_reads or {}
            extra["cache_reads"] = {key: held[key] for key in reads if key in held}
        for course_id, tags in (tagger(user=user, session_key=session_key, courses=courses, **extra) or {}).items():
            if course_id in courses and course_id not in out:
                out[course_id] = {name: str(tags.get(name, ""))[:TAG_MAX] for name in TAG_FIELDS}
    return out
