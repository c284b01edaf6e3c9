"""Reads for storefront pages."""

from django.db.models import Count, Max

from courseplatform.catalog.models import Course

from .models import NewsletterSignup, PageVersion, StorefrontPage


def page_for(storefront) -> StorefrontPage | None:
    return StorefrontPage.objects.filter(storefront=storefront).first()


def published_version(storefront) -> PageVersion | None:
    """The published version, in one query."""
    page = (StorefrontPage.objects.select_related("published_version").filter(storefront_id=storefront.pk)
            .exclude(moderation__hidden=True).only("id", "published_version").first())  # hidden: none shown
    return page.published_version if page else None


def draft_or_latest(storefront) -> PageVersion | None:
    return PageVersion.objects.filter(page__storefront=storefront).order_by("-number").first()


def versions(storefront, limit: int = 30):
    return (PageVersion.objects.filter(page__storefront=storefront).select_related("created_by")
            .order_by("-number")[:limit])


def courses_stamp(storefront) -> str:
    """Changes whenever one of the storefront's courses is added, removed or saved."""
    row = Course.objects.filter(storefront_id=storefront.pk).aggregate(n=Count("id"), last=Max("updated_at"))
    return f"{row['n']}-{row['last'].timestamp() if row['last'] else 0}"


def storefront_courses(storefront):
    """Published courses of the storefront (category joined; the storefront instance is shared later)."""
    return Course.objects.published().filter(storefront_id=storefront.pk).select_related("category")


def newsletter_signups(storefront):
    """Confirmed sign-ups only (double opt-in): an unconfirmed address is nobody's consent."""
    return NewsletterSignup.objects.filter(storefront=storefront, confirmed_at__isnull=False)


def published_has_section(storefront, section_type: str) -> bool:
    version = published_version(storefront)
    return bool(version) and any(s.get("type") == section_type for s in version.sections)
