"""Browser tests: fixtures live in tests/conftest.py (shared with pages and experiments)."""

from tests.conftest import log_in  # noqa: F401
