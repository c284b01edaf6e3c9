"""Engagement reads (never write): poll results, a visitor's vote, leaderboards, a learner's points and badges,
and participation analytics per mechanic."""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courseplatform.catalog.models import Course, Enrollment
from courseplatform.events.selectors import storefront_learner_ids
from courseplatform.experiments.stats import wilson_interval

from .models import (
    Challenge,
    ChallengeParticipant,
    LearnerBadge,
    PointsAccount,
    PointsEntry,
    Poll,
    PollVote,
    Redemption,
    RewardOffer,
)

SESSION_VOTES = "engagement_votes"  # session data: {poll id: vote id}, kept across log-in (cycle_key keeps data)


@dataclass(frozen=True)
class OptionResult:
    option: object
    votes: int
    percent: int


def poll_results(poll: Poll) -> tuple[list[OptionResult], int]:
    counts = dict(PollVote.objects.filter(poll=poll).values_list("option_id").annotate(n=Count("id")))
    total = sum(counts.values())
    rows = [OptionResult(o, counts.get(o.pk, 0), round(100 * counts.get(o.pk, 0) / total) if total else 0)
            for o in poll.options.all()]
    return rows, total


def visitor_vote(poll: Poll, request) -> PollVote | None:
    """The vote of this visitor (their account's, else their session's), or ``None``."""
    user = request.user
    if user.is_authenticated:
        vote = PollVote.objects.filter(poll=poll, learner=user).first()
        if vote is not None:
            return vote
    vote_id = (request.session.get(SESSION_VOTES) or {}).get(str(poll.pk))
    if vote_id:
        return PollVote.objects.filter(poll=poll, pk=vote_id).first()
    if request.session.session_key:
        return PollVote.objects.filter(poll=poll, session_key=request.session.session_key).first()
    return None


def course_polls(course) -> list[Poll]:
    return list(Poll.objects.filter(course=course, closed=False).prefetch_related("options")[:3])


def storefront_polls(storefront) -> list[Poll]:
    return list(Poll.objects.filter(storefront=storefront).prefetch_related("options")
                .annotate(n_votes=Count("votes")))


def running_challenges(storefront, *, course=None) -> list[Challenge]:
    qs = Challenge.objects.filter(storefront=storefront, ends_at__gt=timezone.now())
    if course is not None:
        qs = qs.filter(Q(course=course) | Q(course__isnull=True))
    return list(qs.select_related("course")[:5])


def storefront_challenges(storefront) -> list[Challenge]:
    return list(Challenge.objects.filter(storefront=storefront).select_related("course", "badge")
                .annotate(n_done=Count("participants", filter=Q(participants__completed_at__isnull=False))))


def leaderboard(challenge: Challenge, limit: int = 20) -> list[dict]:
    """Opted-in participants only, by their display name (never an e-mail address or an id)."""
    rows = (ChallengeParticipant.objects.filter(challenge=challenge, on_leaderboard=True)
            .select_related("learner").order_by("-progress", "completed_at", "joined_at", "id")[:limit])
    return [{"rank": i, "name": r.learner.display_name or r.learner.username, "progress": r.progress,
             "completed": r.completed_at is not None} for i, r in enumerate(rows, start=1)]


def participation(challenge: Challenge, learner) -> ChallengeParticipant | None:
    if not learner.is_authenticated:
        return None
    return ChallengeParticipant.objects.filter(challenge=challenge, learner=learner).first()


def balance(learner) -> int:
    return PointsAccount.objects.filter(learner=learner).values_list("balance", flat=True).first() or 0


def ledger(learner, limit: int = 50) -> list[PointsEntry]:
    return list(PointsEntry.objects.filter(learner=learner)[:limit])


def badges(learner) -> list[LearnerBadge]:
    return list(LearnerBadge.objects.filter(learner=learner).select_related("badge", "badge__storefront"))


def learner_challenges(learner) -> list[ChallengeParticipant]:
    return list(ChallengeParticipant.objects.filter(learner=learner).select_related("challenge",
                                                                                     "challenge__storefront"))


def offers_available(limit: int = 50) -> list[RewardOffer]:
    public = Course.objects.published()  # hidden storefronts and courses have none here
    return list(RewardOffer.objects.filter(active=True, storefront__in=public.values("storefront_id"))
                .filter(Q(course__isnull=True) | Q(course__in=public))
                .select_related("storefront", "course")[:limit])


def storefront_offers(storefront) -> list[RewardOffer]:
    return list(RewardOffer.objects.filter(storefront=storefront).annotate(n_redeemed=Count("redemptions")))


def redemptions(learner) -> list[Redemption]:
    return list(Redemption.objects.filter(learner=learner).select_related("offer", "offer__storefront", "coupon"))


# --- participation analytics --------------------------------------------------------------------------------

MECHANICS = (("polls", _("Polls")), ("challenges", _("Challenges")), ("rewards", _("Rewards")))


@dataclass
class Group:
    learners: int = 0
    enrolled: int = 0
    completed: int = 0

    @property
    def enrol_rate(self) -> float:
        return self.enrolled / self.learners if self.learners else 0.0

    @property
    def completion_rate(self) -> float:
        return self.completed / self.enrolled if self.enrolled else 0.0

    @property
    def enrol_interval(self) -> tuple[float, float]:
        return wilson_interval(self.enrolled, self.learners) if self.learners else (0.0, 0.0)

    @property
    def completion_interval(self) -> tuple[float, float]:
        return wilson_interval(self.completed, self.enrolled) if self.enrolled else (0.0, 0.0)


@dataclass
class MechanicRow:
    key: str
    label: str
    participants: Group = field(default_factory=Group)
    others: Group = field(default_factory=Group)

    @staticmethod
    def _lift(a: float, b: float) -> float | None:
        return (a / b - 1.0) if b else None

    @property
    def enrol_lift(self) -> float | None:
        # no participants is no data, not a -100 % lift
        if not self.participants.learners:
            return None
        return self._lift(self.participants.enrol_rate, self.others.enrol_rate)

    @property
    def completion_lift(self) -> float | None:
        if not self.participants.enrolled:
            return None
        return self._lift(self.participants.completion_rate, self.others.completion_rate)


def _participants(storefront) -> dict[str, set[int]]:
    return {
        "polls": set(PollVote.objects.filter(poll__storefront=storefront, learner__isnull=False)
                     .values_list("learner_id", flat=True)),
        "challenges": set(ChallengeParticipant.objects.filter(challenge__storefront=storefront)
                          .values_list("learner_id", flat=True)),
        "rewards": set(Redemption.objects.filter(offer__storefront=storefront).values_list("learner_id", flat=True)),
    }


def participation_analytics(storefront) -> list[MechanicRow]:
    """Per mechanic: participants vs the storefront's other learners (anyone logged in who viewed, enrolled in
    or took part in it), their enrolment rate (enrolled in any of its courses) and completion rate (completed
    one, among the enrolled). Learners choose to take part, so this is a comparison, not a causal effect."""
    owner = storefront.owner_id
    enrolled = set(Enrollment.objects.filter(course__storefront=storefront).values_list("learner_id", flat=True))
    completed = set(Enrollment.objects.filter(course__storefront=storefront, completed_at__isnull=False)
                    .values_list("learner_id", flat=True))
    seen = storefront_learner_ids(storefront)
    takers = _participants(storefront)
    population = (seen | enrolled | set().union(*takers.values())) - {owner}
    rows = []
    for key, label in MECHANICS:
        row = MechanicRow(key, str(label))
        for group, members in ((row.participants, takers[key] & population),
                               (row.others, population - takers[key])):
            group.learners = len(members)
            group.enrolled = len(members & enrolled)
            group.completed = len(members & completed)
        rows.append(row)
    return rows
