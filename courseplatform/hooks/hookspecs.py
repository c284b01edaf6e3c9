"""The core's extension points, readable top to bottom (the Datasette/Wagtail pattern: the core owns the hook
names, every plugin, built-in or third-party, implements them the same way).

A plugin is an installed app with a ``platform_hooks`` module (or a module listed in ``PLATFORM_PLUGINS``)
whose functions are decorated with :data:`hookimpl` and named like a spec below. Each spec's docstring is its
contract. Every argument is passed by keyword; an implementation may accept any subset of them.

HTML-returning hooks return a string the plugin has escaped (``render_to_string``), or ``None``; the core
joins the results of all plugins in ``INSTALLED_APPS`` order. ``firstresult`` hooks stop at the first
non-``None`` answer; the core ships a ``trylast`` default for each of those that needs one.
More specs live next to the code that calls them: ``courseplatform.pages.hookspecs`` (page sections) and
``courseplatform.experiments.hookspecs`` (what an experiment arm is).
"""

import pluggy

PROJECT = "courseplatform"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


# --- what a storefront looks like ---------------------------------------------------------------------------

@hookspec
def storefront_stylesheet_urls(request, storefront) -> list[str]:
    """Stylesheet URLs for a page shown in ``storefront``'s look (storefront page, course page, page preview).
    Called once per page view; must not write. The core renders one ``<link rel="stylesheet">`` per URL."""


@hookspec
def storefront_head_tags(request, storefront) -> str | None:
    """Extra escaped HTML for ``<head>`` on the same pages (meta tags, preloads). Must not write."""


@hookspec
def storefront_body_classes(storefront) -> list[str]:
    """CSS classes for ``<body>`` on the storefront and course pages (e.g. the theme preset's class)."""


@hookspec(firstresult=True)
def storefront_template(storefront) -> str | None:
    """The template of the storefront page (it must extend ``catalog/storefront.html``). Core default:
    ``catalog/storefront.html``."""


@hookspec
def storefront_cache_key_parts(storefront) -> list[str]:
    """Strings a cached rendering of the storefront's page depends on beyond its content (e.g. the active
    palette's version): when one changes, cached page fragments are not reused."""


@hookspec(firstresult=True)
def course_image_url(request, course, size: str) -> str | None:
    """URL of ``course``'s image at ``size`` ("card": 1280×720, "thumb": 480×270) for this visitor. First
    non-``None`` wins; the core's default is a plain placeholder. Must not write (render lazily on GET)."""


@hookspec
def cover_layouts() -> list[tuple[str, str]]:
    """``(name, label)`` of the cover layouts a creator may pick for a course or storefront. None registered:
    the course form has no layout picker."""


# --- panels and links on core pages -----------------------------------------------------------------------------

@hookspec
def home_panels(request) -> str | None:
    """Escaped HTML shown above the catalogue on the home page (when no search or filter is applied)."""


@hookspec(firstresult=True)
def personal_course_picks(request, storefront, limit: int) -> list | None:
    """Up to ``limit`` of ``storefront``'s published courses picked for this visitor, best first:
    ``[{"course": Course, "reason": str}]``. ``None``: no plugin personalises (the caller falls back, e.g. to
    popular courses). Must not write: what is shown is noted with ``courseplatform.events.buffer``."""


@hookspec
def course_page_panels(request, course) -> str | None:
    """Escaped HTML shown below a course page's description (e.g. "you may also like")."""


@hookspec
def studio_panels(request, storefront) -> str | None:
    """Escaped HTML on a storefront's studio page (its edit form), below the form."""


@hookspec
def course_form_panels(request, storefront, course, form) -> str | None:
    """Escaped HTML inside the course form before its submit button (``course`` is None when creating).
    A panel may render fields of ``form`` the core leaves out (``form.plugin_field_names``)."""


@hookspec
def studio_links(request, storefront, place: str) -> list:
    """:class:`courseplatform.hooks.Link` items for a storefront: ``place`` is "studio" (its row in the
    studio's table: short labels) or "storefront" (its edit page)."""


@hookspec
def staff_links(request) -> list:
    """:class:`courseplatform.hooks.Link` items for staff in the site's navigation (review queues, dashboards)."""


@hookspec(firstresult=True)
def page_preview_extras(request, storefront) -> dict | None:
    """For the page builder's preview: ``{"stylesheet_urls": [...], "panel": html, "note": text,
    "css_class": str}`` chosen from ``request.GET`` (e.g. a candidate palette); may raise ``Http404`` for a
    bad parameter. ``None``: the storefront's normal look."""


# --- search -----------------------------------------------------------------------------------------------------

@hookspec(firstresult=True)
def search_personal_scores(user, course_ids: list[int]) -> dict[int, float] | None:
    """How likely the logged-in ``user`` is to take each of ``course_ids`` (search results), from 0 to 1, e.g.
    from the active recommender model; a course left out scores 0. Search blends it with text relevance. One
    or two queries at most (it runs on every search); must not write. ``None``: no personal order."""


# --- moderation -------------------------------------------------------------------------------------------------

@hookspec
def content_moderated(kind: str, object_id: int, hidden: bool, course_ids: list[int]) -> None:
    """Moderators hid or restored content (``courseplatform.moderation``), called once the decision commits.
    ``kind`` is "storefront", "page", "course" or "review"; ``course_ids`` are the courses whose public listings
    change (a storefront's courses, the course, a review's course). Drop what you cached or materialised about
    them: ``Course.objects.published()`` already leaves hidden courses out of every later query. Must not raise
    for a course you do not know."""


# --- personal data (courseplatform.privacy) ---------------------------------------------------------------------

@hookspec
def personal_data_export(user) -> dict[str, list[dict]] | None:
    """The plugin's data about ``user`` for their export archive: ``{section name: [JSON-serialisable rows]}``
    (one file per section). Rows in tables with a foreign key to the user are exported by the core already;
    return what only the plugin knows how to find. Runs in a worker; must not write."""


@hookspec
def personal_data_erase(user) -> dict[str, int] | None:
    """``user``'s account is being erased, inside the erasure's transaction, before the account row is
    deleted: remove or anonymise every trace of them the plugin keeps (rows, caches, files, ids inside saved
    artifacts), so that nothing refers to ``user.pk`` afterwards. Returns ``{what: rows changed}`` for the
    erasure's audit row. File work that cannot be rolled back belongs in ``transaction.on_commit``."""
