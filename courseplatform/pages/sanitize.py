"""Rich text sanitising with nh3 (ammonia): a small allow-list, applied when content is saved.

Everything not listed is removed: ``<script>``/``<style>`` with their content, every event handler and
``style`` attribute, and any link whose URL is not absolute http(s) or mailto (so ``javascript:``,
``data:`` and relative URLs lose their ``href``).
"""

import nh3

ALLOWED_TAGS = frozenset({"p", "br", "strong", "em", "a", "ul", "ol", "li", "h3", "h4", "blockquote"})
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
DROP_WITH_CONTENT = frozenset({"script", "style", "template", "iframe", "object", "embed", "noscript"})


def sanitize_html(html: str) -> str:
    """The allow-listed subset of ``html``; links get ``rel="noopener"``. Idempotent."""
    return nh3.clean(
        str(html or ""),
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROP_WITH_CONTENT),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        url_relative="deny",
        link_rel="noopener",
        strip_comments=True,
    ).strip()
