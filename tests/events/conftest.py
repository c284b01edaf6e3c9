import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache(db):
    """The throttle counters and feed entries live in the shared cache, which outlives a test's transaction."""
    cache.clear()
    yield
    cache.clear()
