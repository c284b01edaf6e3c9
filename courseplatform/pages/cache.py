"""Cache keys for rendered storefront sections.

A fragment's key names everything its HTML depends on: the page generation (bumped by the page services),
the published version, the storefront's ``updated_at``, a stamp of its courses (count and newest
``updated_at``: any course edit, addition or removal changes it), the active palette and its colours, the
language and the section's own variant (e.g. the grid's filters). Reviews and enrolments only shift
testimonials and "most popular" lists, so those follow within ``FRAGMENT_TTL_S``.
"""

from django.core.cache import cache

FRAGMENT_TTL_S = 600
GENERATION_TTL_S = 30 * 24 * 3600


def _generation_key(storefront_id: int) -> str:
    return f"pages:gen:{storefront_id}"


def generation(storefront_id: int) -> int:
    value = cache.get(_generation_key(storefront_id))
    if value is None:
        value = 1
        cache.add(_generation_key(storefront_id), value, GENERATION_TTL_S)
    return int(value)


def invalidate(storefront_id: int) -> None:
    """Drop every cached fragment of the storefront's page (call after any change that shows on it)."""
    key = _generation_key(storefront_id)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 2, GENERATION_TTL_S)
