"""Writes for storefront pages. Every change to a page goes through here; the views are thin callers.

Edits go to the draft: the newest version if it is unpublished, otherwise a new version copied from the
newest one. Publishing flips ``StorefrontPage.published_version`` in one transaction; restoring copies an
old version into a new draft. Writes lock the page row, so two tabs cannot interleave a read-modify-write.
"""

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courseplatform.catalog.models import Course, Storefront
from courseplatform.catalog.permissions import ensure_can_manage

from . import cache as page_cache
from . import newsletter
from .models import LANGUAGE_KEY, NewsletterSignup, PageVersion, StorefrontPage
from .sanitize import sanitize_html
from .sections import sections_registry

MAX_SECTIONS = 30


def _plugin(section_type: str):
    plugin = sections_registry().get(section_type)
    if plugin is None:
        raise ValidationError({"type": _("Unknown section type.")})
    return plugin


def clean_section_data(storefront: Storefront, section_type: str, data: dict[str, Any]) -> dict:
    """The plugin's ``clean``; then rich text is sanitised again (whatever the plugin did) and chosen
    course ids must belong to this storefront."""
    plugin = _plugin(section_type)
    data = dict(data)
    language = str(data.pop(LANGUAGE_KEY, "") or "")
    if language and language not in ("en", "zh-hans"):
        raise ValidationError({LANGUAGE_KEY: _("Choose English or Simplified Chinese.")})
    cleaned = plugin.clean(data)
    if language:
        cleaned[LANGUAGE_KEY] = language
    for field in getattr(plugin, "fields", ()):
        if getattr(field, "kind", "") == "richtext" and field.name in cleaned:
            cleaned[field.name] = sanitize_html(cleaned[field.name])
        if getattr(field, "kind", "") == "course_ids" and cleaned.get(field.name):
            own = set(Course.objects.filter(storefront=storefront, pk__in=cleaned[field.name])
                      .values_list("pk", flat=True))
            if own != set(cleaned[field.name]):
                raise ValidationError({field.name: _("Choose courses from this storefront.")})
    return cleaned


def _locked_page(storefront: Storefront) -> StorefrontPage:
    page, _created = StorefrontPage.objects.get_or_create(storefront=storefront)
    return StorefrontPage.objects.select_for_update().get(pk=page.pk)


def _draft(page: StorefrontPage, actor) -> PageVersion:
    """The page's draft (call with the page row locked); created from the newest version when needed."""
    latest = page.versions.order_by("-number").first()
    if latest is not None and latest.published_at is None:
        return latest
    return PageVersion.objects.create(page=page, number=(latest.number + 1) if latest else 1,
                                      sections=list(latest.sections) if latest else [], created_by=actor)


def _save(draft: PageVersion, sections: list[dict]) -> PageVersion:
    draft.sections = sections
    draft.save(update_fields=["sections"])
    return draft


def _index(sections: list[dict], section_id: str) -> int:
    for i, section in enumerate(sections):
        if section.get("id") == section_id:
            return i
    raise ValidationError(_("That section is no longer on the page; reload the editor."))


@transaction.atomic
def draft_get_or_create(*, storefront: Storefront, actor) -> PageVersion:
    ensure_can_manage(actor, storefront)
    return _draft(_locked_page(storefront), actor)


@transaction.atomic
def section_add(*, storefront: Storefront, actor, section_type: str, position: int | None = None) -> dict:
    """Add a section with the plugin's initial data (at ``position``, default the end)."""
    ensure_can_manage(actor, storefront)
    plugin = _plugin(section_type)
    draft = _draft(_locked_page(storefront), actor)
    sections = list(draft.sections)
    if len(sections) >= MAX_SECTIONS:
        raise ValidationError(_("A page has at most %(n)d sections.") % {"n": MAX_SECTIONS})
    section = {"id": uuid.uuid4().hex[:12], "type": plugin.slug,
               "data": clean_section_data(storefront, plugin.slug, plugin.initial(storefront))}
    position = len(sections) if position is None else max(0, min(int(position), len(sections)))
    sections.insert(position, section)
    _save(draft, sections)
    return section


@transaction.atomic
def section_update(*, storefront: Storefront, actor, section_id: str, data: dict[str, Any]) -> dict:
    ensure_can_manage(actor, storefront)
    draft = _draft(_locked_page(storefront), actor)
    sections = [dict(s) for s in draft.sections]
    i = _index(sections, section_id)
    sections[i]["data"] = clean_section_data(storefront, sections[i]["type"], data)
    _save(draft, sections)
    return sections[i]


@transaction.atomic
def section_remove(*, storefront: Storefront, actor, section_id: str) -> None:
    ensure_can_manage(actor, storefront)
    draft = _draft(_locked_page(storefront), actor)
    sections = list(draft.sections)
    sections.pop(_index(sections, section_id))
    _save(draft, sections)


@transaction.atomic
def section_move(*, storefront: Storefront, actor, section_id: str, offset: int) -> int:
    """Move a section up (``offset`` < 0) or down; returns its new index (clamped to the page)."""
    ensure_can_manage(actor, storefront)
    draft = _draft(_locked_page(storefront), actor)
    sections = list(draft.sections)
    i = _index(sections, section_id)
    j = max(0, min(len(sections) - 1, i + int(offset)))
    sections.insert(j, sections.pop(i))
    _save(draft, sections)
    return j


@transaction.atomic
def sections_reorder(*, storefront: Storefront, actor, order: list[str]) -> None:
    """Put the sections in ``order`` (their ids); it must name every section exactly once."""
    ensure_can_manage(actor, storefront)
    draft = _draft(_locked_page(storefront), actor)
    by_id = {s["id"]: s for s in draft.sections}
    if len(order) != len(by_id) or set(order) != set(by_id):
        raise ValidationError(_("The page changed meanwhile; reload the editor and try again."))
    _save(draft, [by_id[i] for i in order])


def page_publish(*, storefront: Storefront, actor, note: str = "") -> PageVersion:
    """Publish the draft: freeze it and point the page at it, in one transaction."""
    ensure_can_manage(actor, storefront)
    with transaction.atomic():
        page = _locked_page(storefront)
        latest = page.versions.order_by("-number").first()
        if latest is None or latest.published_at is not None:
            raise ValidationError(_("There is no draft to publish."))
        for section in latest.sections:  # re-validate: a plugin's rules may have changed since the edit
            clean_section_data(storefront, section["type"], section["data"])
        latest.published_at = timezone.now()
        latest.note = note[:200]
        latest.save(update_fields=["published_at", "note"])
        page.published_version = latest
        page.save(update_fields=["published_version", "updated_at"])
        transaction.on_commit(lambda: page_cache.invalidate(storefront.pk))
    return latest


@transaction.atomic
def page_unpublish(*, storefront: Storefront, actor) -> None:
    """Back to the plain storefront (hero + course grid); versions are kept."""
    ensure_can_manage(actor, storefront)
    page = _locked_page(storefront)
    page.published_version = None
    page.save(update_fields=["published_version", "updated_at"])
    transaction.on_commit(lambda: page_cache.invalidate(storefront.pk))


@transaction.atomic
def page_restore(*, storefront: Storefront, actor, number: int) -> PageVersion:
    """Copy version ``number`` into a new draft (the current draft, if any, stays in the history)."""
    ensure_can_manage(actor, storefront)
    page = _locked_page(storefront)
    old = page.versions.filter(number=number).first()
    if old is None:
        raise ValidationError(_("That version does not exist."))
    latest = page.versions.order_by("-number").first()
    return PageVersion.objects.create(page=page, number=latest.number + 1, sections=list(old.sections),
                                      created_by=actor, note=_("Restored from version %(n)d") % {"n": number})


def newsletter_signup(*, storefront: Storefront, email: str, language: str = "") -> tuple[NewsletterSignup, bool]:
    """Store a sign-up and mail its confirmation link (double opt-in: it counts once confirmed); signing up
    again mails the link again (at most once per ``newsletter.RESEND_WINDOW_S``). Raises ``ValidationError``
    for a bad address."""
    email = (email or "").strip()
    if len(email) > 254:
        raise ValidationError({"email": _("Enter a valid email address.")})
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid email address.")}) from None
    local, _sep, domain = email.rpartition("@")
    email = f"{local}@{domain.lower()}"
    with transaction.atomic():
        try:
            with transaction.atomic():
                signup = NewsletterSignup.objects.create(storefront=storefront, email=email, language=language[:16])
                created = True
        except IntegrityError:
            signup, created = NewsletterSignup.objects.get(storefront=storefront, email=email), False
        if signup.confirmed_at is None:
            newsletter.confirmation_queue(signup)
    return signup, created
