"""Extension point of the search index (collected by ``courseplatform.hooks`` with the core's specs)."""

from courseplatform.hooks.hookspecs import hookspec


@hookspec
def search_course_extras(course_ids: list[int]) -> dict[int, dict] | None:
    """More to index for these courses, e.g. from the curriculum: ``{course_id: {"text": str, "duration_s":
    float}}``. ``text`` (section and lesson titles) is indexed with the description (weight D); ``duration_s``
    is the course's length, for the duration filter. Called once per batch of up to 500 courses being indexed:
    a few queries at most, never one per course; must not write. With several plugins the texts are joined and
    the largest duration counts. A plugin whose data change calls ``search.services.index_courses(ids)`` on
    commit."""
