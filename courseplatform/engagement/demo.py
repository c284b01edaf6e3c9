"""Demo engagement over a seeded catalogue (development only, called by ``seed_demo``): each of the first
storefronts gets a poll on its first course (with votes from its learners), a two-week challenge (some of its
learners joined, a few on the leaderboard) and a reward; learners with completed lessons get their lesson points
(through the ledger's own award, so the day's caps apply). Idempotent: storefronts with a poll are left alone.
Deterministic for a seed."""

from dataclasses import dataclass
from datetime import timedelta

import numpy as np
from django.utils import timezone

from courseplatform.catalog.models import Enrollment, Storefront
from courseplatform.learning.models import LessonProgress

from . import points, services
from .models import GoalKind, PointsReason, Poll

POLL = ("What should the next course cover?", ["More practice projects", "Deeper theory", "Career advice"])


@dataclass
class EngagementSummary:
    storefronts: int
    votes: int
    participants: int


def seed_engagement(*, seed: int = 7, storefronts: int = 3) -> EngagementSummary:
    rng = np.random.default_rng(seed + 15)
    shops = [s for s in Storefront.objects.order_by("pk")[:storefronts] if not Poll.objects.filter(storefront=s).exists()]
    votes = joined = 0
    for shop in shops:
        course = shop.courses.published().order_by("pk").first()
        if course is None:
            continue
        owner = shop.owner
        poll = services.poll_create(storefront=shop, actor=owner, question=POLL[0], options=POLL[1], course=course)
        options = list(poll.options.values_list("pk", flat=True))
        learner_ids = list(Enrollment.objects.filter(course__storefront=shop).values_list("learner_id", flat=True)
                           .distinct().order_by("learner_id")[:60])
        learners = {e.learner_id: e.learner for e in Enrollment.objects.filter(
            learner_id__in=learner_ids, course__storefront=shop).select_related("learner")}
        for learner_id in learner_ids:
            if rng.random() < 0.5:
                services.poll_vote(poll=poll, option_id=options[int(rng.integers(0, len(options)))],
                                   learner=learners[learner_id])
                votes += 1
        challenge = services.challenge_create(
            storefront=shop, actor=owner, title="Five lessons in two weeks", goal=GoalKind.LESSONS, target=5,
            ends_at=timezone.now() + timedelta(days=14), points_reward=100,
            description="Complete five lessons of any of our courses before the deadline.")
        for learner_id in learner_ids:
            if rng.random() < 0.3:
                services.challenge_join(challenge=challenge, learner=learners[learner_id],
                                        on_leaderboard=bool(rng.random() < 0.5))
                joined += 1
        services.offer_create(storefront=shop, actor=owner, title="15% off any course", points_cost=50,
                              percent_off=15)
    for row in LessonProgress.objects.filter(completed_at__isnull=False).order_by("pk").values(
            "learner_id", "lesson_id")[:2000]:
        points.points_award(learner_id=row["learner_id"], reason=PointsReason.LESSON,
                            source=f"lesson:{row['lesson_id']}")
    return EngagementSummary(len(shops), votes, joined)
