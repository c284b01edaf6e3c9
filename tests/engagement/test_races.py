"""Concurrency: real threads, real transactions. Double votes, joins past the last place, redemptions past the
balance and awards past the day's cap must all be impossible.

PostgreSQL only: SQLite has no row locks and serialises every writer on one database lock, so threads there would
test SQLite's busy timeout, not these invariants. CI runs this module on PostgreSQL."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from courseplatform.engagement import points, services
from courseplatform.engagement.models import (
    ChallengeParticipant,
    GoalKind,
    PointsAccount,
    PointsEntry,
    PointsReason,
    PollVote,
    Redemption,
)
from tests.factories import CourseFactory, CreatorFactory, StorefrontFactory, UserFactory
from tests.races import race

WORKERS = 12


@pytest.fixture
def on_postgresql(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks between concurrent transactions); SQLite serialises all writers")


@pytest.fixture
def shop(on_postgresql):
    creator = CreatorFactory()
    storefront = StorefrontFactory(owner=creator)
    CourseFactory(storefront=storefront)
    return creator, storefront


def test_concurrent_votes_of_one_learner_count_once(shop):
    creator, storefront = shop
    poll = services.poll_create(storefront=storefront, actor=creator, question="Q?", options=["A", "B"])
    learner = UserFactory()
    options = list(poll.options.values_list("pk", flat=True))
    results = race(lambda i: services.poll_vote(poll=poll, option_id=options[i % 2], learner=learner),
                    [(i,) for i in range(WORKERS)])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert PollVote.objects.filter(poll=poll).count() == 1
    assert sum(1 for _vote, created in results if created) == 1


def test_concurrent_anonymous_votes_of_one_session_count_once(shop):
    creator, storefront = shop
    poll = services.poll_create(storefront=storefront, actor=creator, question="Q?", options=["A", "B"])
    from django.contrib.auth.models import AnonymousUser

    option = poll.options.first().pk
    results = race(lambda: services.poll_vote(poll=poll, option_id=option, learner=AnonymousUser(),
                                               session_key="same-session"), [() for _ in range(WORKERS)])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert PollVote.objects.filter(poll=poll).count() == 1


def test_concurrent_joins_never_exceed_the_places(shop):
    creator, storefront = shop
    challenge = services.challenge_create(storefront=storefront, actor=creator, title="Race", goal=GoalKind.LESSONS,
                                          target=1, ends_at=timezone.now() + timedelta(days=1), max_participants=5)
    learners = [UserFactory() for _ in range(WORKERS)]
    results = race(lambda learner: services.challenge_join(challenge=challenge, learner=learner),
                    [(learner,) for learner in learners])
    joined = [r for r in results if isinstance(r, tuple)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(joined) == 5 and len(refused) == WORKERS - 5, results
    challenge.refresh_from_db()
    assert challenge.participant_count == 5 == ChallengeParticipant.objects.filter(challenge=challenge).count()


def test_concurrent_joins_of_one_learner_make_one_participation(shop):
    creator, storefront = shop
    challenge = services.challenge_create(storefront=storefront, actor=creator, title="Race", goal=GoalKind.LESSONS,
                                          target=1, ends_at=timezone.now() + timedelta(days=1))
    learner = UserFactory()
    results = race(lambda: services.challenge_join(challenge=challenge, learner=learner),
                    [() for _ in range(WORKERS)])
    assert all(isinstance(r, tuple) for r in results), results
    assert sum(1 for _row, created in results if created) == 1
    challenge.refresh_from_db()
    assert challenge.participant_count == 1 == ChallengeParticipant.objects.filter(challenge=challenge).count()


def test_concurrent_redemptions_never_overspend(shop):
    creator, storefront = shop
    offer = services.offer_create(storefront=storefront, actor=creator, title="Deal", points_cost=30, percent_off=10)
    learner = UserFactory()
    for i in range(7):
        points.points_award(learner_id=learner.pk, reason=PointsReason.LESSON, source=f"lesson:{i}")  # 70 points
    results = race(lambda: services.reward_redeem(offer=offer, learner=learner), [() for _ in range(WORKERS)])
    won = [r for r in results if isinstance(r, Redemption)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(won) == 2 and len(refused) == WORKERS - 2, results
    assert PointsAccount.objects.get(learner=learner).balance == 10
    assert sum(PointsEntry.objects.filter(learner=learner).values_list("amount", flat=True)) == 10


def test_concurrent_awards_never_pass_the_days_cap(shop):
    learner = UserFactory()
    results = race(lambda i: points.points_award(learner_id=learner.pk, reason=PointsReason.LESSON,
                                                  source=f"lesson:{i}"), [(i,) for i in range(WORKERS * 2)])
    assert not [r for r in results if isinstance(r, Exception)], results
    cap = points.rule(PointsReason.LESSON)[1]
    assert PointsAccount.objects.get(learner=learner).balance == cap
    assert sum(PointsEntry.objects.filter(learner=learner).values_list("amount", flat=True)) == cap
