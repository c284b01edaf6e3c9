"""Extension point of the search index (collected by ``courseplatform.hooks`` with the core's specs)."""

from courseplatform.hooks.hookspecs import hookspec


@hookspec
def search_document_text(course) -> str | None:
    """More text of ``course`` to index with its description (weight D), e.g. its lesson titles once the
    curriculum exists. Called when the course is indexed; must not write. Return ``None`` for nothing."""
