"""Built-in storefront page sections, registered like any third-party plugin (hook ``themes_page_sections``).

A section declares its ``fields`` (validated by ``clean(data)``, which returns the cleaned dict or raises
``ValidationError`` keyed by field name), its ``template`` and the palette roles it uses (``palette_roles``:
what part of the section takes which ``--c-*`` role; the CSS in ``css/sections.css`` only ever uses
``var(--c-*)``). ``context(data, ctx)`` gathers what the template needs (queries live here, bounded);
``cache_variant(data, request)`` says how the rendered HTML may be cached (``None``: render per request).

A third-party section is one subclass of :class:`Section` and one template; see themes/README.md.
"""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from themes.plugins.hookspecs import hookimpl

PALETTE_ROLES = ("background", "surface", "text", "primary", "secondary", "accent", "on-primary", "on-accent")


def _validate_link(value: str) -> None:
    """A call-to-action link: absolute http(s) or a path on this site (``/…`` but not ``//…``)."""
    if value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return
    URLValidator(schemes=["http", "https"], message=_("Enter an http(s) address or a path starting with /."))(value)


@dataclass(frozen=True)
class Field:
    """One declared field of a section. ``kind``: text, textarea, richtext, link, email, choice, int, bool,
    course_ids (courses of the storefront) or list (rows of ``item_fields``)."""

    name: str
    label: Any
    kind: str = "text"
    required: bool = False
    max_length: int = 200
    choices: tuple = ()
    min_value: int | None = None
    max_value: int | None = None
    default: Any = None
    help_text: Any = ""
    #: shown in the empty input as an example; never saved (a placeholder, not content)
    placeholder: Any = ""
    item_fields: tuple = ()
    max_items: int = 12

    def formfield(self, course_choices: list | None = None) -> forms.Field:
        """The Django form field the editor renders for this field (list fields are expanded by the form)."""
        common = {"label": self.label, "required": self.required, "help_text": self.help_text}
        hint = {"placeholder": self.placeholder} if self.placeholder else {}
        if self.kind in ("text", "link"):
            validators = [_validate_link] if self.kind == "link" else []
            return forms.CharField(max_length=self.max_length, validators=validators,
                                   widget=forms.TextInput(attrs=hint), **common)
        if self.kind in ("textarea", "richtext"):
            return forms.CharField(max_length=self.max_length, widget=forms.Textarea(attrs={"rows": 6, **hint}),
                                   **common)
        if self.kind == "email":
            return forms.EmailField(max_length=self.max_length, widget=forms.EmailInput(attrs=hint), **common)
        if self.kind == "choice":
            return forms.ChoiceField(choices=self.choices, **common)
        if self.kind == "int":
            return forms.IntegerField(min_value=self.min_value, max_value=self.max_value, **common)
        if self.kind == "bool":
            return forms.BooleanField(**{**common, "required": False})
        if self.kind == "course_ids":
            choices = course_choices if course_choices is not None else []
            return forms.TypedMultipleChoiceField(choices=choices, coerce=int, widget=forms.CheckboxSelectMultiple,
                                                  **common)
        raise ValueError(f"no form field for kind {self.kind!r}")

    def clean(self, value: Any) -> Any:
        """The cleaned value (rich text sanitised), or ``ValidationError``."""
        if self.kind == "list":
            return self._clean_list(value)
        if self.kind == "course_ids":
            if value in (None, ""):
                value = []
            if not isinstance(value, list | tuple) or len(value) > self.max_items:
                raise ValidationError(_("Choose at most %(n)d courses.") % {"n": self.max_items})
            try:
                ids = [int(v) for v in value]
            except (TypeError, ValueError):
                raise ValidationError(_("Choose courses from the list.")) from None
            if self.required and not ids:
                raise ValidationError(_("This field is required."))
            return list(dict.fromkeys(ids))
        if value is None:
            value = self.default if self.default is not None else ""
        if isinstance(value, Promise):
            value = str(value)
        if self.kind in ("text", "textarea", "richtext", "link", "email") and not isinstance(value, str):
            raise ValidationError(_("Enter text."))
        if isinstance(value, str):
            value = "".join(ch for ch in value if ch in "\n\t" or ord(ch) >= 32).strip()
        cleaned = self.formfield(course_choices=[]).clean(value)
        if self.kind == "richtext":
            from courseplatform.pages.sanitize import sanitize_html

            cleaned = sanitize_html(cleaned)
            if self.required and not cleaned:
                raise ValidationError(_("This field is required."))
        return cleaned

    def _clean_list(self, value: Any) -> list[dict]:
        if value in (None, ""):
            value = []
        if not isinstance(value, list | tuple):
            raise ValidationError(_("Enter a list of items."))
        if len(value) > self.max_items:
            raise ValidationError(_("At most %(n)d items.") % {"n": self.max_items})
        rows, messages = [], []
        for position, item in enumerate(value, start=1):
            if not isinstance(item, dict):
                messages.append(gettext("Item %(n)d is not valid.") % {"n": position})
                continue
            row = {}
            for sub in self.item_fields:
                try:
                    row[sub.name] = sub.clean(item.get(sub.name))
                except ValidationError as error:
                    messages += [f"{gettext('Item %(n)d') % {'n': position}}, {sub.label}: {m}" for m in error.messages]
            rows.append(row)
        if messages:
            raise ValidationError(messages)
        if self.required and not rows:
            raise ValidationError(_("Add at least one item."))
        return rows


class Section:
    """Base class for page sections. Subclasses set ``slug``, ``label``, ``template``, ``fields`` and
    ``palette_roles``, and may override ``initial``, ``validate``, ``context`` and ``cache_variant``."""

    slug: str = ""
    label: Any = ""
    template: str = ""
    description: Any = ""
    fields: tuple[Field, ...] = ()
    #: part of the section → palette role (one of PALETTE_ROLES); documented and checked by the tests.
    palette_roles: dict[str, str] = {}

    def __repr__(self) -> str:
        return f"<section {self.slug}>"

    def initial(self, storefront) -> dict:
        """Data for a newly added section; it must pass ``clean``."""
        return {f.name: f.default for f in self.fields if f.default is not None}

    def display_data(self, data: dict) -> dict:
        """``data`` as a visitor sees it: a field still holding its default text (a title such as "About the
        creator", in whichever language the creator added the section in) shows that default in the page's
        language; text the creator wrote is shown as written."""
        shown = dict(data)
        for f in self.fields:
            value = shown.get(f.name)
            if isinstance(f.default, Promise) and value and value in _in_every_language(f.default):
                shown[f.name] = str(f.default)
        return shown

    def clean(self, data: dict) -> dict:
        if not isinstance(data, dict):
            raise ValidationError(_("Section data must be an object."))
        cleaned, errors = {}, {}
        for f in self.fields:
            try:
                cleaned[f.name] = f.clean(data.get(f.name))
            except ValidationError as error:
                errors[f.name] = error.messages
        if not errors:
            try:
                self.validate(cleaned)
            except ValidationError as error:
                errors.update(error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages})
        if errors:
            raise ValidationError(errors)
        return cleaned

    def validate(self, cleaned: dict) -> None:
        """Cross-field checks; raise ``ValidationError({field: message})``."""

    def cache_variant(self, data: dict, request) -> str | None:
        """A key part for the rendered HTML, or ``None`` when it must be rendered for every request."""
        return ""

    def context(self, data: dict, ctx) -> dict:
        """Extra template context. ``ctx`` has ``storefront``, ``request`` and ``courses()`` (a queryset)."""
        return {}


def _in_every_language(text: Promise) -> set[str]:
    """``text`` (lazily translated) in each language the site offers."""
    out = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            out.add(str(text))
    return out


def _title(default) -> Field:
    return Field("title", _("Title"), max_length=120, default=default)


# --- the built-ins ------------------------------------------------------------------------------------

class HeroSection(Section):
    slug, label, template = "hero", _("Hero"), "themes/sections/hero.html"
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
    slug, label, template = "featured", _("Featured courses"), "themes/sections/featured.html"
    description = _("Courses you choose, or picked automatically.")
    MODES = (("chosen", _("Chosen by me")), ("newest", _("Newest")), ("popular", _("Most popular")),
             ("recommended", _("Recommended for the visitor")))
    fields = (
        _title(_("Featured courses")),
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
        from django.db.models import Count

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
        from django.db.models import Count

        from courseplatform import hooks

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
    slug, label, template = "course_grid", _("Course grid with filters"), "themes/sections/course_grid.html"
    description = _("All published courses, filterable by category, language and level.")
    fields = (
        _title(_("All courses")),
        Field("show_filters", _("Show filters"), kind="bool", default=True),
        Field("limit", _("Courses shown at most"), kind="int", min_value=1, max_value=60, required=True, default=24),
    )
    palette_roles = {"filters": "surface", "cards": "surface", "active filter": "primary"}

    @staticmethod
    def filters(request) -> dict[str, str]:
        get = request.GET if request is not None else {}
        return {"category": str(get.get("category", ""))[:50], "language": str(get.get("language", ""))[:16],
                "level": str(get.get("level", ""))[:16]}

    def cache_variant(self, data: dict, request) -> str | None:
        from courseplatform.catalog.models import Course

        chosen = self.filters(request)
        if chosen["language"] not in Course.Language.values:
            chosen["language"] = ""
        if chosen["level"] not in Course.Level.values:
            chosen["level"] = ""
        chosen["category"] = "".join(ch for ch in chosen["category"] if ch.isalnum() or ch in "-_")
        return "|".join(chosen.values())

    def context(self, data: dict, ctx) -> dict:
        from courseplatform.catalog.models import Category, Course

        chosen = self.filters(ctx.request) if data.get("show_filters") else {}
        courses = ctx.courses().order_by("-created_at", "-id")
        if chosen.get("category"):
            courses = courses.filter(category__slug=chosen["category"])
        if chosen.get("language") in Course.Language.values:
            courses = courses.filter(language=chosen["language"])
        if chosen.get("level") in Course.Level.values:
            courses = courses.filter(level=chosen["level"])
        categories = []
        if data.get("show_filters"):
            categories = list(Category.objects.filter(courses__storefront=ctx.storefront, courses__published=True)
                              .distinct().order_by("name"))
        return {"courses": list(courses[: data.get("limit") or 24]), "chosen": chosen, "categories": categories,
                "languages": Course.Language.choices, "levels": Course.Level.choices}


class TestimonialsSection(Section):
    slug, label, template = "testimonials", _("Testimonials"), "themes/sections/testimonials.html"
    description = _("Quotes from your learners' reviews, or quotes you enter.")
    SOURCES = (("reviews", _("Learners' reviews of my courses")), ("entered", _("Quotes I enter")))
    fields = (
        _title(_("What learners say")),
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
        from courseplatform.catalog.models import Review

        limit = data.get("limit") or 3
        if data.get("source") == "entered":
            return {"quotes": data.get("quotes", [])[:limit]}
        reviews = (Review.objects.filter(course__storefront=ctx.storefront, course__published=True,
                                         rating__gte=data.get("min_rating") or 4)
                   .exclude(text="").select_related("learner", "course").order_by("-rating", "-created_at")[:limit])
        return {"quotes": [{"quote": r.text[:400], "author": str(r.learner), "role": r.course.title,
                            "rating": r.rating} for r in reviews]}


class AboutSection(Section):
    slug, label, template = "about", _("About the creator"), "themes/sections/about.html"
    description = _("Who you are, in rich text (paragraphs, bold, italics, links, lists).")
    fields = (
        _title(_("About the creator")),
        Field("body", _("Text"), kind="richtext", max_length=10000,
              help_text=_("Allowed: paragraphs, bold, italics, links, lists, small headings and quotes."),
              placeholder=_("Tell visitors who you are and why you teach.")),
    )
    palette_roles = {"panel": "surface", "rule": "secondary", "links": "primary"}

    def initial(self, storefront) -> dict:
        # the body starts empty (its hint is the editor's placeholder): an untouched section stays off the page
        return {"title": gettext("About the creator"), "body": ""}


class FAQSection(Section):
    slug, label, template = "faq", _("Frequently asked questions"), "themes/sections/faq.html"
    description = _("Questions and answers, opened one at a time.")
    fields = (
        _title(_("Frequently asked questions")),
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
    slug, label, template = "newsletter", _("Newsletter and contact"), "themes/sections/newsletter.html"
    description = _("An email sign-up form, and optionally a contact address.")
    fields = (
        _title(_("Stay in touch")),
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


@hookimpl
def themes_page_sections():
    return list(BUILTIN_SECTIONS)


__all__ = ["Field", "PALETTE_ROLES", "Section", "BUILTIN_SECTIONS", "themes_page_sections"]
