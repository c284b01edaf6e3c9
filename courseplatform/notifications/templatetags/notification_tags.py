"""``{% notifications_link %}`` for the header (unread count) and ``{% follow_button creator %}``."""

from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("notifications/_nav_link.html", takes_context=True)
def notifications_link(context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"unread": selectors.unread_count(user) if user is not None else 0}


@register.inclusion_tag("notifications/_follow_button.html", takes_context=True)
def follow_button(context, creator) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"creator": creator, "user": user, "request": request, "csrf_token": context.get("csrf_token"),
            "following": selectors.is_following(user, creator) if user is not None else False,
            "can_follow": bool(creator and getattr(creator, "is_creator", False)
                               and (user is None or user.pk != creator.pk))}
