"""Feed cache keys and invalidation on the shared Django cache (Redis when configured, else the database).

* ``rec:active`` holds the active version (id, created_at timestamp); deleted when a version activates.
* ``rec:feed:u<user id>`` holds a learner's ranked candidates together with the version they came from, so a
  new active version makes every entry stale at once; deleted when the learner enrols or clicks.
* ``rec:popular:<version id>`` holds the popularity table used for cold start.
"""

from django.core.cache import cache

ACTIVE_KEY = "rec:active"
FEED_TTL_S = 300
POPULAR_TTL_S = 300
ACTIVE_TTL_S = 60


def feed_key(user_id: int | None) -> str:
    return f"rec:feed:u{user_id}" if user_id else "rec:feed:anon"


def popular_key(version_id: int | None) -> str:
    return f"rec:popular:{version_id or 0}"


def new_courses_key(version_id: int | None) -> str:
    return f"rec:new:{version_id or 0}"


def invalidate_user(user_id: int | None) -> None:
    if user_id:
        cache.delete(feed_key(user_id))


def invalidate_active_version() -> None:
    cache.delete_many([ACTIVE_KEY, feed_key(None)])
