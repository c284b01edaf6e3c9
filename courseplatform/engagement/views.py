"""Engagement pages. Learners: a poll (vote, then results), a challenge (join, leaderboard), their points, badges
and rewards. Creators: the storefront's polls, challenges and rewards, and participation analytics (chart, CSV).
Every outcome is decided by the services; the request only says what the visitor chose."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courseplatform.catalog import selectors as catalog
from courseplatform.catalog.models import Course, Storefront
from courseplatform.catalog.permissions import creator_required

from . import charts, selectors, services
from .forms import ChallengeForm, PollForm, RewardOfferForm
from .models import Challenge, Poll, RewardOffer


def _storefront_or_404(request, slug) -> Storefront:
    storefront = Storefront.objects.filter(slug=slug).first()
    if storefront is None or not (request.user.is_staff or storefront.owner_id == request.user.pk):
        raise Http404
    return storefront


def _public_or_404(request, storefront: Storefront, course_id: int | None) -> None:
    """A mechanic of a storefront moderators hid, or of an unpublished or hidden course, exists only for the
    owner and moderators (the catalog's own visibility rules)."""
    try:
        catalog.storefront_visible_to(storefront.slug, request.user)
        if course_id is not None:
            catalog.course_visible_to(course_id, request.user)
    except (Storefront.DoesNotExist, Course.DoesNotExist):
        raise Http404 from None


def _back(request, fallback: str) -> str:
    """``next`` when it is a path on this site, else ``fallback``."""
    target = request.POST.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                                   require_https=request.is_secure()) \
            and not any(ch.isspace() or ord(ch) < 32 for ch in target):
        return target
    return fallback


def _int(value) -> int | None:
    text = str(value or "")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 12 else None


def _bad(message: str) -> HttpResponseBadRequest:
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


# --- polls ------------------------------------------------------------------------------------------------------

@require_GET
def poll_detail(request, pk):
    poll = get_object_or_404(Poll.objects.select_related("storefront"), pk=pk)
    _public_or_404(request, poll.storefront, poll.course_id)
    return render(request, "engagement/poll.html", {"poll": poll, **poll_context(poll, request)})


def poll_context(poll: Poll, request) -> dict:
    vote = selectors.visitor_vote(poll, request)
    results, total = selectors.poll_results(poll) if vote is not None or poll.closed else ([], 0)
    return {"poll": poll, "vote": vote, "results": results, "total": total}


@require_POST
def poll_vote(request, pk):
    poll = get_object_or_404(Poll.objects.select_related("storefront"), pk=pk)
    _public_or_404(request, poll.storefront, poll.course_id)
    option_id = _int(request.POST.get("option"))
    back = _back(request, poll_url(poll))
    if option_id is None:
        messages.error(request, _("Choose one of the answers."))
        return redirect(back) if request.POST.get("next") else _bad(_("Choose one of the answers."))
    if not request.session.session_key:
        request.session.save()  # an anonymous visitor's vote is counted once per session
    session_votes = dict(request.session.get(selectors.SESSION_VOTES) or {})
    try:
        vote, created = services.poll_vote(
            poll=poll, option_id=option_id, learner=request.user, session_key=request.session.session_key,
            session_vote_id=_int(session_votes.get(str(poll.pk))))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    session_votes[str(poll.pk)] = vote.pk
    request.session[selectors.SESSION_VOTES] = dict(list(session_votes.items())[-200:])
    messages.success(request, _("Thank you for voting.") if created else _("You have already voted in this poll."))
    return redirect(back)


def poll_url(poll: Poll) -> str:
    from django.urls import reverse

    return reverse("engagement:poll", args=[poll.pk])


# --- challenges -----------------------------------------------------------------------------------------------

@require_GET
def challenge_detail(request, pk):
    challenge = get_object_or_404(Challenge.objects.select_related("storefront", "course", "badge"), pk=pk)
    _public_or_404(request, challenge.storefront, challenge.course_id)
    return render(request, "engagement/challenge.html", {
        "challenge": challenge, "me": selectors.participation(challenge, request.user),
        "leaderboard": selectors.leaderboard(challenge)})


@login_required
@require_POST
def challenge_join(request, pk):
    challenge = get_object_or_404(Challenge.objects.select_related("storefront"), pk=pk)
    _public_or_404(request, challenge.storefront, challenge.course_id)
    try:
        _row, created = services.challenge_join(challenge=challenge, learner=request.user,
                                                on_leaderboard=request.POST.get("on_leaderboard") == "on")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You joined the challenge.") if created else _("You are already taking part."))
    return redirect("engagement:challenge", pk=challenge.pk)


@login_required
@require_POST
def challenge_leaderboard(request, pk):
    challenge = get_object_or_404(Challenge, pk=pk)
    shown = request.POST.get("shown") == "on"
    if services.challenge_set_leaderboard(challenge=challenge, learner=request.user, shown=shown):
        messages.success(request, _("You are on the leaderboard.") if shown else _("You left the leaderboard."))
    else:
        messages.error(request, _("Join the challenge first."))
    return redirect("engagement:challenge", pk=challenge.pk)


# --- points, badges, rewards ----------------------------------------------------------------------------------

@login_required
@require_GET
def my_points(request):
    user = request.user
    return render(request, "engagement/my_points.html", {
        "balance": selectors.balance(user), "entries": selectors.ledger(user), "badges": selectors.badges(user),
        "challenges": selectors.learner_challenges(user), "offers": selectors.offers_available(),
        "redemptions": selectors.redemptions(user)})


@login_required
@require_POST
def reward_redeem(request, pk):
    offer = get_object_or_404(RewardOffer.objects.select_related("storefront"), pk=pk, active=True)
    _public_or_404(request, offer.storefront, offer.course_id)
    try:
        redemption = services.reward_redeem(offer=offer, learner=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your coupon code is %(code)s: enter it at checkout.") % {
            "code": redemption.coupon.code})
    return redirect("engagement:my_points")


# --- creator studio ---------------------------------------------------------------------------------------------

@creator_required
@require_http_methods(["GET", "POST"])
def studio(request, slug):
    storefront = _storefront_or_404(request, slug)
    which = request.POST.get("form") if request.method == "POST" else None
    data = request.POST if which else None
    poll_form = PollForm(data if which == "poll" else None, storefront=storefront, prefix="poll")
    challenge_form = ChallengeForm(data if which == "challenge" else None, storefront=storefront, prefix="challenge")
    offer_form = RewardOfferForm(data if which == "offer" else None, storefront=storefront, prefix="offer")
    if request.method == "POST":
        form = {"poll": poll_form, "challenge": challenge_form, "offer": offer_form}.get(which)
        if form is None:
            return _bad(_("Say which form you are sending."))
        if form.is_valid():
            try:
                _create(which, form.cleaned_data, storefront, request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, {"poll": _("Poll created."), "challenge": _("Challenge created."),
                                           "offer": _("Reward created.")}[which])
                return redirect("engagement:studio", slug=slug)
    bound = [f for f in (poll_form, challenge_form, offer_form) if f.is_bound]
    return render(request, "engagement/studio.html", {
        "storefront": storefront, "poll_form": poll_form, "challenge_form": challenge_form, "offer_form": offer_form,
        "polls": selectors.storefront_polls(storefront), "challenges": selectors.storefront_challenges(storefront),
        "offers": selectors.storefront_offers(storefront)}, status=400 if bound and bound[0].errors else 200)


def _create(which: str, data: dict, storefront, actor) -> None:
    if which == "poll":
        services.poll_create(storefront=storefront, actor=actor, question=data["question"],
                             options=data["options"], course=data.get("course"))
    elif which == "challenge":
        services.challenge_create(
            storefront=storefront, actor=actor, title=data["title"], goal=data["goal"], ends_at=data["ends_at"],
            target=1 if data.get("target") is None else data["target"], course=data.get("course"),
            description=data.get("description") or "", points_reward=data["points"],
            max_participants=data.get("max_participants"))  # the service's full_clean checks the ranges
    else:
        services.offer_create(storefront=storefront, actor=actor, title=data["title"],
                              points_cost=data["points_cost"], percent_off=data["percent_off"],
                              course=data.get("course"), valid_days=data["valid_days"])


@creator_required
@require_POST
def studio_poll_close(request, slug, pk):
    storefront = _storefront_or_404(request, slug)
    poll = get_object_or_404(Poll, storefront=storefront, pk=pk)
    services.poll_set_closed(poll=poll, actor=request.user, closed=not poll.closed)
    messages.success(request, _("Poll closed.") if poll.closed else _("Poll reopened."))
    return redirect("engagement:studio", slug=slug)


@creator_required
@require_POST
def studio_offer_toggle(request, slug, pk):
    storefront = _storefront_or_404(request, slug)
    offer = get_object_or_404(RewardOffer, storefront=storefront, pk=pk)
    services.offer_set_active(offer=offer, actor=request.user, active=not offer.active)
    messages.success(request, _("Reward offered again.") if offer.active else _("Reward withdrawn."))
    return redirect("engagement:studio", slug=slug)


def _cell(value) -> str:
    """Neutralise spreadsheet formulas in text cells (OWASP "CSV Injection")."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv(filename: str) -> tuple[HttpResponse, object]:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # a BOM, so spreadsheet programs read Chinese text as UTF-8
    return response, csv.writer(response)


@creator_required
@require_GET
def studio_poll_csv(request, slug, pk):
    storefront = _storefront_or_404(request, slug)
    poll = get_object_or_404(Poll, storefront=storefront, pk=pk)
    results, total = selectors.poll_results(poll)
    response, writer = _csv(f"{storefront.slug}-poll-{poll.pk}.csv")
    writer.writerow(["poll_id", "question", "answer", "votes", "share"])
    for row in results:
        writer.writerow([poll.pk, _cell(poll.question), _cell(row.option.text), row.votes,
                         f"{row.votes / total:.4f}" if total else "0.0000"])
    return response


@creator_required
@require_GET
def participation(request, slug):
    storefront = _storefront_or_404(request, slug)
    return render(request, "engagement/participation.html", {
        "storefront": storefront, "rows": selectors.participation_analytics(storefront)})


@creator_required
@require_GET
def participation_chart(request, slug):
    storefront = _storefront_or_404(request, slug)
    response = HttpResponse(charts.participation_chart(selectors.participation_analytics(storefront)),
                            content_type="image/png")
    response["Cache-Control"] = "private, max-age=60"
    return response


@creator_required
@require_GET
def participation_csv(request, slug):
    storefront = _storefront_or_404(request, slug)
    response, writer = _csv(f"{storefront.slug}-participation.csv")
    writer.writerow(["mechanic", "group", "learners", "enrolled", "enrolment_rate", "completed",
                     "completion_rate", "enrolment_lift", "completion_lift"])
    for row in selectors.participation_analytics(storefront):
        for name, group in (("participants", row.participants), ("others", row.others)):
            lift = name == "participants"
            writer.writerow([row.key, name, group.learners, group.enrolled, f"{group.enrol_rate:.4f}",
                             group.completed, f"{group.completion_rate:.4f}",
                             _fmt(row.enrol_lift) if lift else "", _fmt(row.completion_lift) if lift else ""])
    return response


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"
