import pytest

from tests.search import corpus as corpus_module


@pytest.fixture
def corpus(db) -> dict:
    """The relevance corpus, indexed (tests/search/corpus.py)."""
    return corpus_module.build()
