"""Engagement on the core's extension points: the poll page section, the course-page panel (polls and running
challenges), the studio link and the analytics panel."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from courseplatform.hooks import Link, hookimpl

from . import selectors
from .experiment_arms import ARMS, mechanics_hidden
from .nudges import ARMS as NUDGE_ARMS
from .sections import PollSection


@hookimpl
def page_sections() -> list:
    return [PollSection()]


@hookimpl
def course_page_panels(request, course) -> str | None:
    if not course.published or mechanics_hidden(request, course.storefront):
        return None
    polls = selectors.course_polls(course)
    challenges = selectors.running_challenges(course.storefront, course=course)
    if not polls and not challenges:
        return None
    rendered = []
    for poll in polls:
        vote = selectors.visitor_vote(poll, request)
        results, total = selectors.poll_results(poll) if vote is not None else ([], 0)
        rendered.append({"poll": poll, "vote": vote, "results": results, "total": total})
    return render_to_string("engagement/_course_panel.html", {
        "course": course, "polls": rendered, "challenges": challenges}, request=request)


@hookimpl
def studio_links(request, storefront, place: str) -> list:
    return [Link(_("Engagement"), reverse("engagement:studio", args=[storefront.slug])),
            Link(_("Participation"), reverse("engagement:participation", args=[storefront.slug]))]


@hookimpl
def experiment_arm_kinds() -> list:
    return [ARMS, NUDGE_ARMS]
