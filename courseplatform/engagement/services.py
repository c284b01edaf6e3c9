"""Engagement writes: polls and votes, challenges and joins, progress and completion, rewards and redemption.
Views, admin and receivers call these; nothing else writes the engagement tables."""

import secrets
from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from courseplatform.catalog.models import Course, Enrollment, Storefront
from courseplatform.commerce.coupons import coupon_issue_personal
from courseplatform.learning.models import LessonProgress

from . import points
from .models import (
    Badge,
    Challenge,
    ChallengeParticipant,
    GoalKind,
    LearnerBadge,
    PointsReason,
    Poll,
    PollOption,
    PollVote,
    Redemption,
    RewardOffer,
)

MAX_OPTIONS = 8


def ensure_can_manage(actor, storefront: Storefront) -> None:
    if not (actor.is_authenticated and (actor.is_staff or storefront.owner_id == actor.pk)):
        raise PermissionDenied


def _own_course(storefront: Storefront, course: Course | None) -> None:
    if course is not None and course.storefront_id != storefront.pk:
        raise ValidationError({"course": _("Pick one of this storefront's courses.")})


# --- polls --------------------------------------------------------------------------------------------------

@transaction.atomic
def poll_create(*, storefront: Storefront, actor, question: str, options: Sequence[str],
                course: Course | None = None) -> Poll:
    ensure_can_manage(actor, storefront)
    _own_course(storefront, course)
    question = (question or "").strip()
    answers = list(dict.fromkeys(o.strip() for o in options if o and o.strip()))
    if not question:
        raise ValidationError({"question": _("Ask a question.")})
    if not 2 <= len(answers) <= MAX_OPTIONS:
        raise ValidationError({"options": _("Give between 2 and %(n)d different answers.") % {"n": MAX_OPTIONS}})
    poll = Poll(storefront=storefront, course=course, question=question, created_by=actor)
    poll.full_clean()
    poll.save()
    for position, text in enumerate(answers):
        option = PollOption(poll=poll, text=text, position=position)
        option.full_clean()
        option.save()
    return poll


@transaction.atomic
def poll_set_closed(*, poll: Poll, actor, closed: bool) -> Poll:
    ensure_can_manage(actor, poll.storefront)
    Poll.objects.filter(pk=poll.pk).update(closed=closed)
    poll.closed = closed
    return poll


def poll_vote(*, poll: Poll, option_id: int, learner=None, session_key: str = "",
              session_vote_id: int | None = None) -> tuple[PollVote, bool]:
    """Record one vote: ``(vote, created)``; a second vote by the same learner or session returns the first
    (``created`` False), also under concurrency (unique constraints decide). A logged-in learner whose session
    voted anonymously before (``session_vote_id``) takes that vote over instead of adding one."""
    if poll.closed:
        raise ValidationError(_("This poll is closed."))
    option = PollOption.objects.filter(poll=poll, pk=option_id).first()
    if option is None:
        raise ValidationError(_("Choose one of the answers."))
    authenticated = learner is not None and learner.is_authenticated
    if not authenticated and not session_key:
        raise ValueError("an anonymous vote needs a session")
    voter = {"learner": learner} if authenticated else {"session_key": session_key, "learner__isnull": True}
    existing = PollVote.objects.filter(poll=poll, **voter).first()
    if existing is not None:
        return existing, False
    if authenticated and session_vote_id:
        try:
            with transaction.atomic():
                claimed = PollVote.objects.filter(pk=session_vote_id, poll=poll, learner__isnull=True).update(
                    learner=learner)
        except IntegrityError:  # the learner's vote from another session was stored (or claimed) meanwhile
            return PollVote.objects.get(poll=poll, **voter), False
        if claimed:
            return PollVote.objects.get(pk=session_vote_id), False
    try:
        with transaction.atomic():
            vote = PollVote.objects.create(poll=poll, option=option, learner=learner if authenticated else None,
                                           session_key="" if authenticated else session_key)
            return vote, True
    except IntegrityError:  # a concurrent request of the same voter won
        return PollVote.objects.get(poll=poll, **voter), False


# --- challenges ---------------------------------------------------------------------------------------------

@transaction.atomic
def challenge_create(*, storefront: Storefront, actor, title: str, goal: str, ends_at: datetime,
                     target: int = 1, course: Course | None = None, description: str = "", points_reward: int = 100,
                     max_participants: int | None = None) -> Challenge:
    ensure_can_manage(actor, storefront)
    _own_course(storefront, course)
    if goal == GoalKind.COURSE and course is None:
        raise ValidationError({"course": _("Choose the course to complete.")})
    if ends_at <= timezone.now():
        raise ValidationError({"ends_at": _("The deadline must be in the future.")})
    code = f"challenge-{slugify(title)[:40] or 'x'}-{secrets.token_hex(4)}"
    badge = Badge.objects.create(code=code, name=title[:120], storefront=storefront,
                                 description=_("Completed the challenge “%(title)s”.") % {"title": title[:120]})
    challenge = Challenge(storefront=storefront, title=title, description=description, goal=goal, course=course,
                          target=1 if goal == GoalKind.COURSE else target, ends_at=ends_at, points=points_reward,
                          max_participants=max_participants, badge=badge, created_by=actor)
    challenge.full_clean()
    challenge.save()
    return challenge


def challenge_join(*, challenge: Challenge, learner, on_leaderboard: bool = False) -> tuple[ChallengeParticipant, bool]:
    """Join once: ``(participation, created)``. The challenge row is locked while its places are counted, so
    concurrent joins never exceed ``max_participants`` and never create two rows for one learner."""
    if not learner.is_authenticated:
        raise PermissionDenied
    for _attempt in range(3):
        try:
            with transaction.atomic():
                locked = Challenge.objects.select_for_update().get(pk=challenge.pk)
                existing = ChallengeParticipant.objects.filter(challenge=locked, learner=learner).first()
                if existing is not None:
                    return existing, False
                if locked.ends_at <= timezone.now():
                    raise ValidationError(_("This challenge has ended."))
                if locked.storefront.owner_id == learner.pk:
                    raise ValidationError(_("You cannot join your own challenge."))
                taken = Challenge.objects.filter(pk=locked.pk).filter(
                    Q(max_participants__isnull=True) | Q(participant_count__lt=F("max_participants"))
                ).update(participant_count=F("participant_count") + 1)
                if not taken:
                    raise ValidationError(_("This challenge is full."))
                participant = ChallengeParticipant.objects.create(challenge=locked, learner=learner,
                                                                  on_leaderboard=bool(on_leaderboard))
        except IntegrityError:  # the same learner joined concurrently (SQLite has no row lock): use that row
            continue
        challenge_refresh(participant=participant)
        participant.refresh_from_db()
        return participant, True
    return ChallengeParticipant.objects.get(challenge=challenge, learner=learner), False


@transaction.atomic
def challenge_set_leaderboard(*, challenge: Challenge, learner, shown: bool) -> int:
    return ChallengeParticipant.objects.filter(challenge=challenge, learner=learner).update(on_leaderboard=shown)


def _progress_now(participant: ChallengeParticipant) -> int:
    """What the server recorded: lessons completed (or the course completed) since joining, before the deadline."""
    challenge = participant.challenge
    window = {"gte": participant.joined_at, "lte": challenge.ends_at}
    if challenge.goal == GoalKind.COURSE:
        return int(Enrollment.objects.filter(
            learner_id=participant.learner_id, course_id=challenge.course_id,
            completed_at__gte=window["gte"], completed_at__lte=window["lte"]).exists())
    lessons = LessonProgress.objects.filter(learner_id=participant.learner_id,
                                            completed_at__gte=window["gte"], completed_at__lte=window["lte"])
    if challenge.course_id:
        lessons = lessons.filter(lesson__section__course_id=challenge.course_id)
    else:
        lessons = lessons.filter(lesson__section__course__storefront_id=challenge.storefront_id)
    return lessons.count()


def challenge_refresh(*, participant: ChallengeParticipant) -> ChallengeParticipant:
    """Recompute a participation's progress from the server's records; on reaching the goal, complete it once
    (badge and points). Idempotent: a repeated call (a redelivered signal) changes nothing."""
    with transaction.atomic():
        row = ChallengeParticipant.objects.select_for_update().select_related("challenge").get(pk=participant.pk)
        if row.completed_at is not None:
            return row
        progress = min(_progress_now(row), row.challenge.goal_size)
        completed = progress >= row.challenge.goal_size
        row.progress = progress
        if completed:
            row.completed_at = timezone.now()
        row.save(update_fields=["progress", "completed_at"])
        if completed:
            LearnerBadge.objects.get_or_create(learner_id=row.learner_id, badge_id=row.challenge.badge_id)
    if completed and row.challenge.points:
        points.points_award(learner_id=row.learner_id, reason=PointsReason.CHALLENGE,
                            source=f"challenge:{row.challenge_id}", amount=row.challenge.points)
    return row


def challenges_refresh_for(*, learner_id: int, storefront_id: int) -> int:
    """Refresh the learner's open participations in the storefront's running challenges; how many completed."""
    now = timezone.now()
    done = 0
    for participant in ChallengeParticipant.objects.filter(
            learner_id=learner_id, completed_at__isnull=True, challenge__storefront_id=storefront_id,
            challenge__ends_at__gte=now - timezone.timedelta(minutes=5)):
        done += challenge_refresh(participant=participant).completed_at is not None
    return done


# --- rewards --------------------------------------------------------------------------------------------------

@transaction.atomic
def offer_create(*, storefront: Storefront, actor, title: str, points_cost: int, percent_off: int,
                 course: Course | None = None, valid_days: int = 30) -> RewardOffer:
    ensure_can_manage(actor, storefront)
    _own_course(storefront, course)
    offer = RewardOffer(storefront=storefront, course=course, title=title, points_cost=points_cost,
                        percent_off=percent_off, valid_days=valid_days)
    offer.full_clean()
    offer.save()
    return offer


@transaction.atomic
def offer_set_active(*, offer: RewardOffer, actor, active: bool) -> RewardOffer:
    ensure_can_manage(actor, offer.storefront)
    RewardOffer.objects.filter(pk=offer.pk).update(active=active)
    offer.active = active
    return offer


def reward_redeem(*, offer: RewardOffer, learner) -> Redemption:
    """Spend the offer's points on a single-use coupon only this learner can use. The debit, the coupon and the
    redemption commit together or not at all; concurrent redemptions never overspend (``points_spend``)."""
    if not learner.is_authenticated:
        raise PermissionDenied
    if offer.storefront.owner_id == learner.pk:
        raise ValidationError(_("You cannot redeem a reward of your own storefront."))
    with transaction.atomic():
        current = RewardOffer.objects.select_related("storefront").get(pk=offer.pk)
        if not current.active:
            raise ValidationError(_("This reward is no longer offered."))
        try:
            entry = points.points_spend(learner_id=learner.pk, amount=current.points_cost,
                                        source=f"reward:{current.pk}:{secrets.token_hex(6)}")
        except points.NotEnoughPoints:
            raise ValidationError(_("You do not have enough points for this reward.")) from None
        coupon = coupon_issue_personal(storefront=current.storefront, learner=learner,
                                       percent_off=current.percent_off, course=current.course,
                                       valid_days=current.valid_days)
        return Redemption.objects.create(learner=learner, offer=current, entry=entry, coupon=coupon)
