"""Render a page's sections through their plugins' templates, with the published page cached.

The cacheable sections of a published page are rendered together and stored as one cache entry (one
read on a warm page); sections whose ``cache_variant`` is ``None`` (personal recommendations, forms with a
CSRF token) are rendered for every request. A section that fails to render is logged and left out, so a
broken plugin never takes a storefront down.
"""

import hashlib
import logging
from dataclasses import dataclass

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from courseplatform import hooks

from . import cache as page_cache
from . import selectors
from .models import LANGUAGE_KEY
from .sections import DEFAULT_COURSE_PAGE_SECTIONS, sections_registry

logger = logging.getLogger(__name__)


@dataclass
class RenderContext:
    """What section plugins may use in ``context(data, ctx)``."""

    storefront: object
    request: object = None
    preview: bool = False

    def courses(self):
        """The storefront's published courses; every row shares this storefront instance (so the active
        palette and cover URLs are looked up once, not per course)."""
        return self.storefront.courses.published().select_related("category")


@dataclass(frozen=True)
class RenderedSection:
    id: str
    type: str
    html: SafeString


def _plugin(section_type: str):
    return sections_registry().get(section_type)


class SectionFailed(SafeString):
    """The empty HTML of a section that failed to render: shown as nothing, never cached (issue 22, item 3)."""


def render_one(plugin, section: dict, ctx: RenderContext) -> SafeString:
    data = section.get("data") or {}
    try:
        display = getattr(plugin, "display_data", None)  # untouched default titles in the page language
        if display is not None and not data.get(LANGUAGE_KEY):
            data = display(data)
        context = {"section": plugin, "data": data, "storefront": ctx.storefront, "block_id": section.get("id", ""),
                   "preview": ctx.preview, **plugin.context(data, ctx)}
        html = render_to_string(plugin.template, context, request=ctx.request)
        language = data.get(LANGUAGE_KEY)
        if language in ("en", "zh-hans"):  # validated on save; never user text in the attribute
            html = f'<div lang="{language}">{html}</div>'
        return mark_safe(html)
    except Exception:  # a broken plugin must not break the storefront
        logger.exception("section %r (%s) failed to render", section.get("id"), section.get("type"))
        return SectionFailed("")


def render_sections(storefront, sections: list[dict], request, *, preview: bool = False) -> list[RenderedSection]:
    """Render ``sections`` without any caching (the editor's preview)."""
    ctx = RenderContext(storefront, request, preview=preview)
    out = []
    for section in sections:
        plugin = _plugin(section.get("type", ""))
        if plugin is not None:
            out.append(RenderedSection(section.get("id", ""), plugin.slug, render_one(plugin, section, ctx)))
    return out


def _look_part(storefront) -> list[str]:
    """What plugins say a cached page also depends on (the theming plugin: the active palette's version)."""
    return hooks.call_flat("storefront_cache_key_parts", storefront=storefront)


def page_classes(storefront) -> str:
    """Classes of a page's section container: each of the storefront's body classes with ``-page``."""
    return " ".join(f"{cls}-page" for cls in hooks.call_flat("storefront_body_classes", storefront=storefront))


def render_published(storefront, version, request, *, only_types: tuple[str, ...] | None = None
                     ) -> list[RenderedSection]:
    """The published ``version``'s sections (optionally only some types), cacheable ones from the cache."""
    sections = [s for s in version.sections if only_types is None or s.get("type") in only_types]
    plugged = [(s, _plugin(s.get("type", ""))) for s in sections]
    plugged = [(s, p) for s, p in plugged if p is not None]
    variants = {}
    for section, plugin in plugged:
        try:
            variants[section["id"]] = plugin.cache_variant(section.get("data") or {}, request)
        except Exception:
            logger.exception("cache_variant of section %r failed", section.get("id"))
            variants[section["id"]] = None
    cacheable = [s["id"] for s, _p in plugged if variants[s["id"]] is not None]
    cached: dict[str, str] = {}
    key = None
    if cacheable:
        parts = [page_cache.generation(storefront.pk), version.pk, storefront.updated_at.timestamp(),
                 selectors.courses_stamp(storefront), _look_part(storefront), translation.get_language(),
                 only_types] + [(i, variants[i]) for i in cacheable]
        key = f"pages:html:{storefront.pk}:{hashlib.sha256(repr(parts).encode()).hexdigest()[:32]}"
        cached = cache.get(key) or {}
    ctx = RenderContext(storefront, request)
    out, fresh = [], {}
    for section, plugin in plugged:
        sid = section["id"]
        if sid in cached:
            html = mark_safe(cached[sid])
        else:
            html = render_one(plugin, section, ctx)
            if variants[sid] is not None and not isinstance(html, SectionFailed):
                fresh[sid] = str(html)
        out.append(RenderedSection(sid, plugin.slug, html))
    if key and fresh:
        cache.set(key, {**cached, **fresh}, page_cache.FRAGMENT_TTL_S)
    return out


def published_page(storefront, request) -> list[RenderedSection] | None:
    """The storefront's published sections, or ``None`` when it has no published page (show the fallback)."""
    version = selectors.published_version(storefront)
    if version is None or not version.sections:
        return None
    return render_published(storefront, version, request)


def course_page_sections(storefront, request) -> list[RenderedSection]:
    """The published sections the storefront's course pages show (hook ``course_page_section_types``, e.g. the
    theme preset's choice; default :data:`DEFAULT_COURSE_PAGE_SECTIONS`)."""
    wanted = hooks.first("course_page_section_types", storefront=storefront)
    wanted = tuple(DEFAULT_COURSE_PAGE_SECTIONS if wanted is None else wanted)
    if not wanted:
        return []
    version = selectors.published_version(storefront)
    if version is None:
        return []
    return render_published(storefront, version, request, only_types=wanted)
