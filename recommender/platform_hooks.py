"""The recommender as a plugin of the core (hookspecs in ``courseplatform.hooks.hookspecs``).

Panels only read: the feed's impressions are noted on the request (``courseplatform.events.buffer``) and written
by the events middleware once the page is rendered.
"""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from courseplatform.events.buffer import note_impressions
from courseplatform.experiments.selectors import visitor_arm
from courseplatform.hooks import Link, hookimpl

from . import cache as cache_keys
from . import experiment_arms, interleaving, personal_data, selectors
from .models import FeedItem

#: courses in the home page's "Recommended for you"
HOME_FEED_LIMIT = 8
#: query parameters that make the home page a search: no personal feed then
_SEARCH_PARAMS = ("q", "category", "language")


@hookimpl
def home_panels(request) -> str | None:
    """ "Recommended for you" above the catalogue (not on a search or filtered listing)."""
    if request is None or any(request.GET.get(name) for name in _SEARCH_PARAMS):
        return None
    # while an interleaving experiment runs, a learner's feed merges both versions' rankings, each course
    # logged with the team that placed it
    interleaved = interleaving.interleaved_feed(getattr(request, "user", None), HOME_FEED_LIMIT)
    feed, course_tags = interleaved if interleaved else (selectors.feed_for_request(request, limit=HOME_FEED_LIMIT),
                                                         None)
    if not feed:
        return None
    note_impressions(request, course_ids=[item["course"].pk for item in feed], surface="home",
                     course_tags=course_tags)
    return render_to_string("recommender/_home_feed.html", {"feed": feed}, request=request)


@hookimpl
def personal_course_picks(request, storefront, limit: int) -> list[dict] | None:
    """The visitor's feed restricted to ``storefront`` (a storefront page's "recommended" section)."""
    if request is None:
        return None
    # a model-version A/B test on this storefront: the visitor's arm picks the version
    arm = visitor_arm(request, storefront, experiment_arms.KIND)
    version_id = int(arm) if arm and arm.isdigit() else None
    items = selectors.feed_for_request(request, limit, storefront_id=storefront.pk, version_id=version_id)
    note_impressions(request, course_ids=[item["course"].pk for item in items], surface="storefront")
    return items


@hookimpl
def course_page_panels(request, course) -> str | None:
    """ "You may also like": the active model's neighbours of ``course``, topped up with popular ones."""
    user = getattr(request, "user", None)
    items = selectors.also_like(course, user) if user is not None else []
    if not items:
        return None
    return render_to_string("recommender/_also_like.html", {"also_like": items}, request=request)


@hookimpl
def staff_links(request) -> list[Link]:
    user = getattr(request, "user", None)
    if user is None or not user.is_staff:
        return []
    return [Link(_("Recommender"), reverse("recommender_staff:dashboard"))]


@hookimpl
def search_personal_scores(user, course_ids) -> dict[int, float] | None:
    """Search's personal order: each course's rank in the learner's materialised feed of the active version,
    as 1/sqrt(rank) (rank 1 → 1.0, rank 4 → 0.5); courses outside the feed score 0 (left out)."""
    version_id = selectors.active_version_id()
    if version_id is None or user is None or not user.is_authenticated:
        return None
    rows = FeedItem.objects.filter(version_id=version_id, user=user, course_id__in=list(course_ids))
    return {course_id: rank ** -0.5 for course_id, rank in rows.values_list("course_id", "rank")}


@hookimpl
def experiment_arm_kinds() -> list:
    return [experiment_arms.ARMS]


@hookimpl
def personal_data_export(user) -> dict:
    return personal_data.feed_export(user)


@hookimpl
def personal_data_erase(user) -> dict:
    return personal_data.person_erase(user)


@hookimpl
def content_moderated(kind, object_id, hidden, course_ids) -> None:
    """Moderators hid or restored courses: the cached popularity and new-course lists (cold start, fill-ups)
    are rebuilt; learners' cached rankings are filtered when served (``selectors.feed_for_user``)."""
    if course_ids:
        cache_keys.invalidate_course_lists(selectors.active_version_id())
