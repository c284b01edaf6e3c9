"""Moderation as a plugin of the core's own hooks: the staff link, notices on the owner's studio pages."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from courseplatform.hooks import Link, hookimpl

from . import selectors
from .models import ContentKind


@hookimpl
def staff_links(request) -> list[Link]:
    user = getattr(request, "user", None)
    if user is None or not user.is_staff or not user.has_perm("moderation.moderate_content"):
        return []
    return [Link(_("Moderation"), reverse("moderation:queue"))]


@hookimpl
def studio_panels(request, storefront) -> str | None:
    """On the storefront's edit page: the moderators' notice when the storefront or its page is hidden."""
    cases = [c for c in (selectors.case_for(ContentKind.STOREFRONT, storefront),
                         selectors.case_for_page_of(storefront)) if c is not None and c.hidden]
    if not cases:
        return None
    return "".join(render_to_string("moderation/_notice.html", {"case": c, "owner_view": True}, request=request) for c in cases)
