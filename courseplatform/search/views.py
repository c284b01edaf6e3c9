"""Search and wishlist pages. The results page keeps its whole state in the URL (shareable; the back button
works) and logs page 1 of each search; the autocomplete answers JSON; clicks arrive as a beacon."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from courseplatform.accounts.decorators import staff_required
from courseplatform.catalog.models import Course
from courseplatform.privacy.consent import tracking_allowed

from . import selectors, services
from .forms import SearchForm

WISHLIST_PAGE_SIZE = 24
CLICK_SALT = "search.click"
CLICK_MAX_AGE_S = 24 * 3600
MAX_ID = 2**63 - 1


@require_GET
def results(request):
    form = SearchForm(request.GET)
    if not form.is_valid():
        return render(request, "search/results.html", {"form": form, "invalid": True}, status=400)
    params = form.cleaned_data
    found = selectors.search(params, request.user)
    log = None
    searched = params["q"] or any(params.get(name) not in (None, "") for name in selectors.FILTERS)
    if searched and params["page"] == 1:
        log = services.search_log(user=request.user, query=params["q"], filters=filters_of(params),
                                  results=found.total, corrected=found.corrected, candidates=found.candidates,
                                  blend_weight=found.blend_weight)
    _facet_links(request.GET, found.facets)
    return render(request, "search/results.html", {
        "form": form, "params": params, "found": found, "log": log,
        "log_token": signing.dumps(log.pk, salt=CLICK_SALT) if log else "",
        "offset": (found.page - 1) * selectors.PAGE_SIZE,
        "filtered": any(params.get(name) not in (None, "") for name in selectors.FILTERS),
    })


def _facet_links(query, facets: dict) -> None:
    """Each facet value's URL: the current state with that value picked (or dropped when it is), page 1."""
    for name, items in facets.items():
        for facet in items:
            state = query.copy()
            state.pop("page", None)
            if facet.selected:
                state.pop(name, None)
            else:
                state[name] = facet.value
            facet.url = f"?{state.urlencode()}" if state else "?"


def filters_of(params: dict) -> dict:
    return {name: params.get(name) for name in (*selectors.FILTERS, "sort")}


@require_GET
def suggest(request):
    """Autocomplete: ``{"suggestions": [{"label", "kind", "url"}]}`` for ``q`` (empty below one letter)."""
    text = request.GET.get("q", "")
    if len(text) > 100:
        return JsonResponse({"detail": _("The query is too long (at most 100 characters).")}, status=400)
    items = selectors.suggestions(text)
    base = reverse("search:results")
    for item in items:
        if item["kind"] == "category":
            item["url"] = f"{base}?{urlencode({'category': item.pop('category')})}"
            item["kind_label"] = _("Category")
        else:
            item["url"] = reverse("catalog:course", args=[item.pop("course")])
            item["kind_label"] = _("Course")
    return JsonResponse({"suggestions": items})


def _int(value, low: int, high: int) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


@require_POST
def click(request):
    """A result was opened (a beacon from the results page): ``log`` (the page's signed search id), ``course``,
    ``position``."""
    course_id = _int(request.POST.get("course"), 1, MAX_ID)
    position = _int(request.POST.get("position"), 1, 10_000)
    if None in (course_id, position):
        return JsonResponse({"detail": _("log, course and position must be positive whole numbers.")}, status=400)
    try:  # the page's signed search id: a click counts only for a search this visitor was shown
        log_id = signing.loads(request.POST.get("log", ""), salt=CLICK_SALT, max_age=CLICK_MAX_AGE_S)
    except signing.BadSignature:
        return JsonResponse({"detail": _("Unknown or expired search.")}, status=400)
    if not tracking_allowed(request):  # a result click is usage measurement: only with consent
        return HttpResponse(status=204)
    session_key = getattr(request.session, "session_key", None) or ""
    services.search_click(log_id=log_id, course_id=course_id, position=position, user=request.user,
                          session_key=session_key)
    return HttpResponse(status=204)


@login_required
@require_GET
def wishlist(request):
    page = Paginator(selectors.wishlist(request.user), WISHLIST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "search/wishlist.html", {"page": page})


@login_required
@require_POST
def wishlist_toggle(request, pk: int):
    """Save a course (``action=add``) or take it off the wishlist (``action=remove``); back to ``next``."""
    course = Course.objects.published().select_related("storefront").filter(pk=pk).first() if pk <= MAX_ID else None
    if course is None:
        raise Http404
    action = request.POST.get("action", "add")
    if action not in ("add", "remove"):
        return HttpResponse(_("Unknown action."), status=400, content_type="text/plain; charset=utf-8")
    if action == "add":
        services.wishlist_add(user=request.user, course=course, surface=request.POST.get("surface", "")[:32])
        messages.success(request, _("Saved to your wishlist."))
    else:
        services.wishlist_remove(user=request.user, course=course)
        messages.success(request, _("Removed from your wishlist."))
    target = request.POST.get("next", "")
    # a path on this site only: redirect() would take a bare word ("²", "-1") for a URL name and raise (a 500)
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = course.get_absolute_url()
    return redirect(target)


@staff_required
@require_GET
def analytics(request):
    days = _int(request.GET.get("days", 30), 1, 365)
    if days is None:
        return HttpResponse(_("days must be a whole number from 1 to 365."), status=400,
                            content_type="text/plain; charset=utf-8")
    return render(request, "search/analytics.html", {
        "days": days, "totals": selectors.search_totals(days), "top": selectors.top_queries(days),
        "zero": selectors.zero_result_queries(days), "blend": selectors.latest_blend()})
