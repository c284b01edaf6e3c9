"""A learner who voted anonymously in several browsers and then votes signed in from all of them at once still
has one vote, and no request fails: only one of the anonymous votes becomes theirs (PostgreSQL, real threads)."""

from django.contrib.auth.models import AnonymousUser

from courseplatform.engagement import services
from courseplatform.engagement.models import PollVote
from tests.factories import UserFactory
from tests.races import race

from .test_races import WORKERS, on_postgresql, shop  # noqa: F401 - fixtures


def test_concurrent_claims_of_anonymous_votes_by_one_learner_count_once(shop):  # noqa: F811
    creator, storefront = shop
    poll = services.poll_create(storefront=storefront, actor=creator, question="Q?", options=["A", "B"])
    option = poll.options.first().pk
    anonymous = [services.poll_vote(poll=poll, option_id=option, learner=AnonymousUser(), session_key=f"s{i}")[0]
                 for i in range(WORKERS)]
    learner = UserFactory()

    results = race(lambda vote_id: services.poll_vote(poll=poll, option_id=option, learner=learner,
                                                       session_key="", session_vote_id=vote_id),
                    [(vote.pk,) for vote in anonymous])

    assert not [r for r in results if isinstance(r, Exception)], results
    assert PollVote.objects.filter(poll=poll, learner=learner).count() == 1
