"""Feed cache keys and invalidation on the shared Django cache (Redis when configured, else the database).

* ``rec:active`` holds the active version (id, created_at timestamp); deleted when a version activates.
* ``rec:feed:u<user id>`` holds a learner's ranked candidates together with the version they came from, so a
  new active version makes every entry stale at once; deleted when the learner enrols or clicks.
* ``rec:ilv`` holds the running interleaving experiment; ``rec:ilv:u<user id>`` a learner's two rankings
  during it (dropped with the feed entry).
* ``rec:popular:<version id>`` holds the popularity table used for cold start.
* ``rec:render:u<user id>`` (``rec:render:anon``) holds the ``GET /api/feed`` answers already rendered for the
  visitor, per language and limit, together with the version and the catalogue generation they came from: a new
  active version or any course, storefront or category change (``rec:catalog``, bumped on commit) makes them
  stale at once; the learner's own events delete the entry with their feed.
"""

import uuid

from django.core.cache import cache

ACTIVE_KEY = "rec:active"
#: the running interleaving experiment (``recommender.interleaving.running_info``)
INTERLEAVING_KEY = "rec:ilv"
FEED_TTL_S = 300
POPULAR_TTL_S = 300
ACTIVE_TTL_S = 60


def feed_key(user_id: int | None) -> str:
    return f"rec:feed:u{user_id}" if user_id else "rec:feed:anon"


def interleaving_feed_key(user_id: int) -> str:
    """A learner's two rankings while an interleaving experiment runs."""
    return f"rec:ilv:u{user_id}"


def arm_feed_key(user_id: int | None) -> str:
    """A learner's ranked candidates from a non-active version (a model-version experiment's arm)."""
    return f"rec:arm:u{user_id}" if user_id else "rec:arm:anon"


#: changes whenever a course, storefront or category is saved or deleted (titles, prices, visibility)
CATALOG_KEY = "rec:catalog"


def rendered_key(user_id: int | None) -> str:
    return f"rec:render:u{user_id}" if user_id else "rec:render:anon"


def bump_catalog() -> None:
    """A course, storefront or category changed: every rendered feed is stale."""
    cache.set(CATALOG_KEY, uuid.uuid4().hex, None)


def popular_key(version_id: int | None) -> str:
    return f"rec:popular:{version_id or 0}"


def new_courses_key(version_id: int | None) -> str:
    return f"rec:new:{version_id or 0}"


def invalidate_user(user_id: int | None) -> None:
    if user_id:
        cache.delete_many([feed_key(user_id), interleaving_feed_key(user_id), arm_feed_key(user_id),
                           rendered_key(user_id)])


def invalidate_active_version() -> None:
    cache.delete_many([ACTIVE_KEY, feed_key(None)])


def invalidate_interleaving() -> None:
    """An interleaving experiment started or stopped (learners' two-ranking entries name the experiment they
    belong to, so they go stale by themselves)."""
    cache.delete(INTERLEAVING_KEY)


def invalidate_course_lists(version_id: int | None) -> None:
    """The popularity table and new-course list of ``version_id`` (and of no version)."""
    cache.delete_many([popular_key(version_id), new_courses_key(version_id), popular_key(None),
                       new_courses_key(None)])
    bump_catalog()  # a course hidden or restored: every rendered feed is stale
