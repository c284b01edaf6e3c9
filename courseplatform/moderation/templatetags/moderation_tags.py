"""Report links and moderation notices on the content's own pages (reads only)."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from .. import selectors
from ..models import ContentKind

register = template.Library()


@register.simple_tag(takes_context=True)
def report_link(context, kind: str, content, label: str = "") -> SafeString:
    """A "Report" link for a signed-in visitor who does not own ``content``."""
    user = getattr(context.get("request"), "user", None)
    if content is None or user is None or not user.is_authenticated:
        return mark_safe("")
    if selectors.owner_id_of(kind, content) == user.pk:
        return mark_safe("")
    return mark_safe(render_to_string("moderation/_report_link.html",
                                      {"kind": kind, "pk": content.pk, "label": label}))


@register.simple_tag(takes_context=True)
def moderation_notice(context, kind: str, content) -> SafeString:
    """For the owner and moderators: the notice on hidden content (a course also through its storefront)."""
    user = getattr(context.get("request"), "user", None)
    if content is None or user is None or not user.is_authenticated:
        return mark_safe("")
    if selectors.owner_id_of(kind, content) != user.pk and not selectors.is_moderator(user):
        return mark_safe("")
    case = selectors.case_for(kind, content)
    if (case is None or not case.hidden) and kind == ContentKind.COURSE:
        case = selectors.case_for(ContentKind.STOREFRONT, content.storefront)
    if case is None or not case.hidden:
        return mark_safe("")
    owner_view = selectors.owner_id_of(kind, content) == user.pk
    return mark_safe(render_to_string("moderation/_notice.html", {"case": case, "owner_view": owner_view}))


@register.simple_tag(takes_context=True)
def owner_moderation_notices(context) -> SafeString:
    """The studio page's list of the user's content that moderators hid or restored with a note."""
    user = getattr(context.get("request"), "user", None)
    if user is None:
        return mark_safe("")
    return mark_safe(render_to_string("moderation/_owner_notices.html",
                                      {"notices": list(selectors.owner_notices(user))}))
