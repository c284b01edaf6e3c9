"""Taggers label events with the experiment and variant the server assigned, without this app knowing who
runs experiments: an app registers a tagger (in its ``AppConfig.ready``), the events services call every one.

A tagger is called as ``tagger(user=…, session_key=…, courses={course_id: storefront_id})`` and returns
``{course_id: {"experiment": str, "variant": str}}`` for the courses it tags (usually none). Tags come from the
server's own assignment, never from the client (no self-tagging).
"""

from collections.abc import Callable, Mapping

Tags = Mapping[str, str]
Tagger = Callable[..., Mapping[int, Tags]]
TAG_FIELDS = ("experiment", "variant")
TAG_MAX = 64

_taggers: list[Tagger] = []


def register(tagger: Tagger) -> Tagger:
    """Add ``tagger`` (once; registering it again does nothing). Usable as a decorator."""
    if tagger not in _taggers:
        _taggers.append(tagger)
    return tagger


def unregister(tagger: Tagger) -> None:
    if tagger in _taggers:
        _taggers.remove(tagger)


def tags_for(*, user, session_key: str, courses: Mapping[int, int]) -> dict[int, dict[str, str]]:
    """``{course_id: {"experiment", "variant"}}`` from every registered tagger; the first tagger to tag a
    course wins (one experiment column per row)."""
    out: dict[int, dict[str, str]] = {}
    if not courses:
        return out
    for tagger in _taggers:
        for course_id, tags in (tagger(user=user, session_key=session_key, courses=courses) or {}).items():
            if course_id in courses and course_id not in out:
                out[course_id] = {name: str(tags.get(name, ""))[:TAG_MAX] for name in TAG_FIELDS}
    return out
