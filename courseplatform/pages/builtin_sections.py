"""The core's built-in page sections (hero, featured courses, course grid, testimonials, about, FAQ, newsletter),
contributed through the ``page_sections`` hook like any plugin's (:mod:`.platform_hooks`)."""

import re

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from courseplatform import hooks
from courseplatform.catalog.models import Category, Course, Review

from .sections import Field, Section, title_field

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,50}")  # a Category.slug (SlugField: ASCII, 50 at most)


class HeroSection(Section):
    slug, label, template = "hero", _("Hero"), "pages/sections/hero.html"
    description = _("A large headline with a short line and a call to action.")
    fields = (
        Field("headline", _("Headline"), required=True, max_length=120),
        Field("subline", _("Subline"), max_length=240),
        Field("cta_label", _("Button label"), max_length=40),
        Field("cta_url", _("Button link"), kind="link", max_length=300,
              help_text=_("An http(s) address or a path on this site, e.g. /s/your-store/.")),
    )
    palette_roles = {"band": "primary", "text": "on-primary", "button": "accent", "button text": "on-accent"}

    def initial(self, storefront) -> dict:
        return {"headline": storefront.name[:120], "subline": storefront.tagline[:240], "cta_label": "", "cta_url": ""}

    def validate(self, cleaned: dict) -> None:
        if bool(cleaned["cta_label"]) != bool(cleaned["cta_url"]):
            field_name = "cta_url" if cleaned["cta_label"] else "cta_label"
            raise ValidationError({field_name: _("Give the button both a label and a link, or neither.")})


class FeaturedCoursesSection(Section):
    slug, label, template = "featured", _("Featured courses"), "pages/sections/featured.html"
    description = _("Courses you choose, or picked automatically.")
    MODES = (("chosen", _("Chosen by me")), ("newest", _("Newest")), ("popular", _("Most popular")),
             ("recommended", _("Recommended for the visitor")))
    fields = (
        title_field(_("Featured courses")),
        Field("mode", _("Which courses"), kind="choice", choices=MODES, required=True, default="newest"),
        Field("course_ids", _("Chosen courses"), kind="course_ids", max_items=12,
              help_text=_("Used when “Chosen by me” is selected, in this order.")),
        Field("limit", _("How many"), kind="int", min_value=1, max_value=12, required=True, default=4),
    )
    palette_roles = {"heading": "text", "cards": "surface", "reason": "accent"}

    def validate(self, cleaned: dict) -> None:
        if cleaned["mode"] == "chosen" and not cleaned["course_ids"]:
            raise ValidationError({"course_ids": _("Choose at least one course, or pick courses automatically.")})

    def cache_variant(self, data: dict, request) -> str | None:
        return None if data.get("mode") == "recommended" else ""

    def context(self, data: dict, ctx) -> dict:
        limit, mode = data.get("limit") or 4, data.get("mode")
        courses = ctx.courses()
        if mode == "chosen":
            by_id = {c.pk: c for c in courses.filter(pk__in=data.get("course_ids") or [])}
            items = [{"course": by_id[i], "reason": ""} for i in data.get("course_ids") or [] if i in by_id]
        elif mode == "recommended":
            items = self._recommended(ctx, limit)
        elif mode == "popular":
            ranked = courses.annotate(n=Count("enrollments")).order_by("-n", "-created_at")[:limit]
            items = [{"course": c, "reason": ""} for c in ranked]
        else:
            items = [{"course": c, "reason": ""} for c in courses.order_by("-created_at", "-id")[:limit]]
        return {"items": items[:limit]}

    @staticmethod
    def _recommended(ctx, limit: int) -> list[dict]:
        """The visitor's picks on this storefront from a personalising plugin (hook ``personal_course_picks``:
        the recommender's feed), topped up with its most popular courses."""
        items = list(hooks.first("personal_course_picks", request=ctx.request, storefront=ctx.storefront,
                                 limit=limit) or [])
        for item in items:
            item["course"].storefront = ctx.storefront
        if len(items) < limit:
            taken = [i["course"].pk for i in items]
            extra = (ctx.courses().exclude(pk__in=taken).annotate(n=Count("enrollments"))
                     .order_by("-n", "-created_at")[: limit - len(items)])
            items += [{"course": c, "reason": gettext("Popular on this storefront")} for c in extra]
        return items


class CourseGridSection(Section):
    slug, label, template = "course_grid", _("Course grid with filters"), "pages/sections/course_grid.html"
    description = _("All published courses, filterable by category, language and level.")
    fields = (
        title_field(_("All courses")),
        Field("show_filters", _("Show filters"), kind="bool", default=True),
        Field("limit", _("Courses shown at most"), kind="int", min_value=1, max_value=60, required=True, default=24),
    )
    palette_roles = {"filters": "surface", "cards": "surface", "active filter": "primary"}

    @staticmethod
    def filters(request) -> dict[str, str]:
        """The filters from the query string, normalised: what the grid filters on is exactly what its cache
        entry is keyed by (an unknown language or level, or a category that is no slug, means no filter)."""
        get = request.GET if request is not None else {}
        category, language, level = (str(get.get(name, "")) for name in ("category", "language", "level"))
        return {"category": category if SLUG.fullmatch(category) else "",
                "language": language if language in Course.Language.values else "",
                "level": level if level in Course.Level.values else ""}

    def cache_variant(self, data: dict, request) -> str | None:
        return "|".join(self.filters(request).values()) if data.get("show_filters") else ""

    def context(self, data: dict, ctx) -> dict:
        chosen = self.filters(ctx.request) if data.get("show_filters") else {}
        courses = ctx.courses().order_by("-created_at", "-id")
        if chosen.get("category"):
            courses = courses.filter(category__slug=chosen["category"])
        if chosen.get("language"):
            courses = courses.filter(language=chosen["language"])
        if chosen.get("level"):
            courses = courses.filter(level=chosen["level"])
        categories = []
        if data.get("show_filters"):
            categories = list(Category.objects.filter(courses__storefront=ctx.storefront, courses__published=True)
                              .distinct().order_by("name"))
        return {"courses": list(courses[: data.get("limit") or 24]), "chosen": chosen, "categories": categories,
                "languages": Course.Language.choices, "levels": Course.Level.choices}


class TestimonialsSection(Section):
    slug, label, template = "testimonials", _("Testimonials"), "pages/sections/testimonials.html"
    description = _("Quotes from your learners' reviews, or quotes you enter.")
    SOURCES = (("reviews", _("Learners' reviews of my courses")), ("entered", _("Quotes I enter")))
    fields = (
        title_field(_("What learners say")),
        Field("source", _("Source"), kind="choice", choices=SOURCES, required=True, default="reviews"),
        Field("min_rating", _("Lowest rating shown"), kind="int", min_value=1, max_value=5, required=True,
              default=4),
        Field("limit", _("How many"), kind="int", min_value=1, max_value=12, required=True, default=3),
        Field("quotes", _("Quotes"), kind="list", max_items=12, item_fields=(
            Field("quote", _("Quote"), kind="textarea", required=True, max_length=400),
            Field("author", _("Author"), required=True, max_length=80),
            Field("role", _("Author's role"), max_length=80),
        )),
    )
    palette_roles = {"cards": "surface", "quote mark": "accent", "author": "secondary"}

    def validate(self, cleaned: dict) -> None:
        if cleaned["source"] == "entered" and not cleaned["quotes"]:
            raise ValidationError({"quotes": _("Enter at least one quote, or show learners' reviews.")})

    def context(self, data: dict, ctx) -> dict:
        limit = data.get("limit") or 3
        if data.get("source") == "entered":
            return {"quotes": data.get("quotes", [])[:limit]}
        reviews = (Review.objects.visible().filter(course__storefront=ctx.storefront, course__published=True,
                                         rating__gte=data.get("min_rating") or 4)
                   .exclude(text="").select_related("learner", "course").order_by("-rating", "-created_at")[:limit])
        return {"quotes": [{"quote": r.text[:400], "author": str(r.learner), "role": r.course.title,
                            "rating": r.rating} for r in reviews]}


class AboutSection(Section):
    slug, label, template = "about", _("About the creator"), "pages/sections/about.html"
    description = _("Who you are, in rich text (paragraphs, bold, italics, links, lists).")
    fields = (
        title_field(_("About the creator")),
        Field("body", _("Text"), kind="richtext", max_length=10000,
              help_text=_("Allowed: paragraphs, bold, italics, links, lists, small headings and quotes."),
              placeholder=_("Tell visitors who you are and why you teach.")),
    )
    palette_roles = {"panel": "surface", "rule": "secondary", "links": "primary"}

    def initial(self, storefront) -> dict:
        # the body starts empty (its hint is the editor's placeholder): an untouched section stays off the page
        return {"title": gettext("About the creator"), "body": ""}


class FAQSection(Section):
    slug, label, template = "faq", _("Frequently asked questions"), "pages/sections/faq.html"
    description = _("Questions and answers, opened one at a time.")
    fields = (
        title_field(_("Frequently asked questions")),
        Field("items", _("Questions"), kind="list", required=True, max_items=20, item_fields=(
            Field("question", _("Question"), required=True, max_length=200),
            Field("answer", _("Answer"), kind="textarea", required=True, max_length=2000),
        )),
    )
    palette_roles = {"question": "text", "divider": "secondary", "marker": "accent"}

    def initial(self, storefront) -> dict:
        return {"title": gettext("Frequently asked questions"),
                "items": [{"question": gettext("Who are these courses for?"),
                           "answer": gettext("Anyone curious; each course says what it expects.")}]}


class NewsletterSection(Section):
    slug, label, template = "newsletter", _("Newsletter and contact"), "pages/sections/newsletter.html"
    description = _("An email sign-up form, and optionally a contact address.")
    fields = (
        title_field(_("Stay in touch")),
        Field("text", _("Text"), kind="textarea", max_length=300,
              default=_("New courses and offers, at most once a month.")),
        Field("button_label", _("Button label"), required=True, max_length=40, default=_("Subscribe")),
        Field("contact_email", _("Contact address"), kind="email", max_length=254,
              help_text=_("Shown as a link; leave empty to hide.")),
    )
    palette_roles = {"band": "secondary", "panel": "surface", "button": "primary", "button text": "on-primary"}

    def initial(self, storefront) -> dict:
        return {"title": gettext("Stay in touch"), "text": gettext("New courses and offers, at most once a month."),
                "button_label": gettext("Subscribe"), "contact_email": ""}

    def cache_variant(self, data: dict, request) -> str | None:
        return None  # the form carries the visitor's CSRF token


BUILTIN_SECTIONS = [HeroSection(), FeaturedCoursesSection(), CourseGridSection(), TestimonialsSection(),
                    AboutSection(), FAQSection(), NewsletterSection()]
