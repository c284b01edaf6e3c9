"""The page-section framework (issue 13: it belongs to ``pages``): :class:`Field`, :class:`Section`, and the
registry of the sections plugins contribute through the ``page_sections`` hook (spec in
:mod:`courseplatform.pages.hookspecs`; the core's own built-ins, :mod:`.builtin_sections`, register the same way).

A section declares its ``fields`` (validated by ``clean(data)``, which returns the cleaned dict or raises
``ValidationError`` keyed by field name), its ``template`` and the colour roles it uses (``palette_roles``:
what part of the section takes which ``--c-*`` role; the CSS in ``css/sections.css`` only ever uses
``var(--c-*)``, with plain fallbacks when no theming plugin sets them). ``context(data, ctx)`` gathers what the
template needs (queries live here, bounded); ``cache_variant(data, request)`` says how the rendered HTML may be
cached (``None``: render per request).

A third-party section is one subclass of :class:`Section` and one template, returned by a plugin's
``page_sections`` hook implementation.
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

from courseplatform import hooks

from .sanitize import sanitize_html

PALETTE_ROLES = ("background", "surface", "text", "primary", "secondary", "accent", "on-primary", "on-accent")


def _validate_link(value: str) -> None:
    """A call-to-action link: absolute http(s) or a path on this site (``/…`` but not ``//…``). No whitespace or
    control character anywhere: browsers drop tabs and newlines from a URL, so ``/<TAB>/evil.example`` would open
    ``//evil.example`` (another site); a backslash reads as a slash."""
    if any(ch.isspace() or ord(ch) < 32 or 127 <= ord(ch) < 160 for ch in value):
        raise ValidationError(_("A link cannot contain spaces, tabs, line breaks or control characters."))
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


def title_field(default) -> Field:
    return Field("title", _("Title"), max_length=120, default=default)


#: the section types a course page shows beneath the course when no plugin says otherwise (hook
#: ``course_page_section_types``; the theme presets start from it too): the creator's "about" block, so every
#: course page says who teaches it
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
