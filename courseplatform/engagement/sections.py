"""The poll page section: a poll of the storefront, voted on in place (per-visitor: never cached)."""

from django.utils.translation import gettext_lazy as _

from courseplatform.pages.sections import Field, Section

from . import selectors
from .experiment_arms import mechanics_hidden
from .models import Poll


class PollSection(Section):
    slug, label, template = "poll", _("Poll"), "engagement/sections/poll.html"
    description = _("One of your polls: visitors vote, then see the results.")
    fields = (
        Field("poll_id", _("Poll number"), kind="int", required=True, min_value=1, max_value=2_000_000_000,
              help_text=_("The number shown beside the poll on your Engagement page.")),
    )
    palette_roles = {"panel": "surface", "bars": "primary", "button": "primary", "button text": "on-primary"}

    def initial(self, storefront) -> dict:
        poll = Poll.objects.filter(storefront=storefront, closed=False).first()
        return {"poll_id": poll.pk if poll else 1}

    def cache_variant(self, data: dict, request) -> str | None:
        return None  # per visitor: their vote, and a CSRF token in the form

    def context(self, data: dict, ctx) -> dict:
        poll = Poll.objects.filter(storefront=ctx.storefront, pk=data.get("poll_id") or 0).prefetch_related(
            "options").first()
        if poll is None or ctx.request is None or mechanics_hidden(ctx.request, ctx.storefront):
            return {"poll": None}
        vote = selectors.visitor_vote(poll, ctx.request)
        results, total = selectors.poll_results(poll) if vote is not None or poll.closed else ([], 0)
        return {"poll": poll, "vote": vote, "results": results, "total": total}
