"""The page sections plugins contribute (hook ``page_sections``, spec in :mod:`courseplatform.pages.hookspecs`),
looked up by slug. Without plugins there are none: the page builder then offers nothing to add."""

from courseplatform import hooks

#: the section types a course page shows when no plugin says otherwise (hook ``course_page_section_types``)
DEFAULT_COURSE_PAGE_SECTIONS: tuple[str, ...] = ("about",)


class SectionRegistry:
    """Sections by slug, in the order plugins return them (first registration of a slug wins)."""

    def __init__(self, sections: list):
        self._items: dict[str, object] = {}
        for section in sections:
            self._items.setdefault(section.slug, section)

    def get(self, slug: str, default=None):
        return self._items.get(slug, default)

    def __contains__(self, slug: str) -> bool:
        return slug in self._items

    def all(self) -> list:
        return list(self._items.values())

    def keys(self) -> list[str]:
        return list(self._items)


def sections_registry() -> SectionRegistry:
    """Every contributed section, asked of the plugins on each call (cheap: a list per plugin), so sections a
    plugin registers at run time (tests, ``register_temporarily``) are seen at once."""
    return SectionRegistry(hooks.call_flat("page_sections"))
