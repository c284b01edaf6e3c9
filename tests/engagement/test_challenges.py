"""Challenges: join once, progress from what the server recorded, badge and points on completion, opt-in
leaderboard with display names only; the client cannot claim a completion."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from courseplatform.catalog.services import course_complete
from courseplatform.engagement import services
from courseplatform.engagement.models import ChallengeParticipant, GoalKind, LearnerBadge, PointsEntry
from courseplatform.learning.services import lesson_complete
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def challenge(storefront, creator, free_course):
    return services.challenge_create(storefront=storefront, actor=creator, title="Three in a week",
                                     goal=GoalKind.LESSONS, target=3, course=free_course,
                                     ends_at=timezone.now() + timedelta(days=7), points_reward=50)


def test_completing_the_lessons_completes_the_challenge_with_badge_and_points(
        enrolled, lessons, challenge, django_capture_on_commit_callbacks):
    services.challenge_join(challenge=challenge, learner=enrolled)
    for lesson in lessons[:2]:
        with django_capture_on_commit_callbacks(execute=True):
            lesson_complete(learner=enrolled, lesson=lesson)
    row = ChallengeParticipant.objects.get(challenge=challenge, learner=enrolled)
    assert (row.progress, row.completed_at) == (2, None)
    assert not LearnerBadge.objects.filter(learner=enrolled).exists()
    with django_capture_on_commit_callbacks(execute=True):
        lesson_complete(learner=enrolled, lesson=lessons[2])
    row.refresh_from_db()
    assert row.progress == 3 and row.completed_at is not None
    assert LearnerBadge.objects.get(learner=enrolled).badge == challenge.badge
    assert PointsEntry.objects.get(learner=enrolled, reason="challenge").amount == 50
    with django_capture_on_commit_callbacks(execute=True):
        lesson_complete(learner=enrolled, lesson=lessons[3])  # after completion: nothing more for the challenge
    assert PointsEntry.objects.filter(learner=enrolled, reason="challenge").count() == 1


def test_lessons_completed_before_joining_do_not_count(enrolled, lessons, challenge,
                                                        django_capture_on_commit_callbacks):
    for lesson in lessons[:3]:
        with django_capture_on_commit_callbacks(execute=True):
            lesson_complete(learner=enrolled, lesson=lesson)
    row, _ = services.challenge_join(challenge=challenge, learner=enrolled)
    assert row.progress == 0 and row.completed_at is None


def test_a_course_goal_completes_when_the_server_records_the_course_completed(
        enrolled, free_course, storefront, creator, django_capture_on_commit_callbacks):
    challenge = services.challenge_create(storefront=storefront, actor=creator, title="Finish it",
                                          goal=GoalKind.COURSE, course=free_course,
                                          ends_at=timezone.now() + timedelta(days=3))
    services.challenge_join(challenge=challenge, learner=enrolled)
    with django_capture_on_commit_callbacks(execute=True):
        course_complete(learner=enrolled, course=free_course)
    assert ChallengeParticipant.objects.get(challenge=challenge).completed_at is not None


def test_a_client_cannot_claim_progress_or_completion(client, enrolled, challenge):
    services.challenge_join(challenge=challenge, learner=enrolled)
    client.force_login(enrolled)
    for data in ({"progress": "3", "completed": "1"}, {"shown": "on", "progress": "99"}):
        client.post(reverse("engagement:challenge_join", args=[challenge.pk]), data)
        client.post(reverse("engagement:challenge_leaderboard", args=[challenge.pk]), data)
    row = ChallengeParticipant.objects.get(challenge=challenge)
    assert (row.progress, row.completed_at) == (0, None)
    assert not LearnerBadge.objects.exists() and not PointsEntry.objects.exists()


def test_joining_twice_keeps_one_participation(enrolled, challenge):
    first, created = services.challenge_join(challenge=challenge, learner=enrolled)
    second, again = services.challenge_join(challenge=challenge, learner=enrolled)
    assert created and not again and first.pk == second.pk
    challenge.refresh_from_db()
    assert challenge.participant_count == 1


def test_a_full_or_ended_challenge_refuses_joins(storefront, creator, challenge):
    full = services.challenge_create(storefront=storefront, actor=creator, title="Small", goal=GoalKind.LESSONS,
                                     target=1, ends_at=timezone.now() + timedelta(days=1), max_participants=1)
    services.challenge_join(challenge=full, learner=UserFactory())
    with pytest.raises(ValidationError, match="full"):
        services.challenge_join(challenge=full, learner=UserFactory())
    type(challenge).objects.filter(pk=challenge.pk).update(ends_at=timezone.now() - timedelta(seconds=1))
    challenge.refresh_from_db()
    with pytest.raises(ValidationError, match="ended"):
        services.challenge_join(challenge=challenge, learner=UserFactory())


def test_the_leaderboard_lists_opted_in_learners_by_display_name_only(client, challenge):
    shown = UserFactory(display_name="Ada L.", email="ada@example.com")
    hidden = UserFactory(display_name="Secret Sam")
    services.challenge_join(challenge=challenge, learner=shown, on_leaderboard=True)
    services.challenge_join(challenge=challenge, learner=hidden)
    page = client.get(reverse("engagement:challenge", args=[challenge.pk])).content.decode()
    assert "Ada L." in page and "Secret Sam" not in page and "ada@example.com" not in page
    client.force_login(hidden)
    client.post(reverse("engagement:challenge_leaderboard", args=[challenge.pk]), {"shown": "on"})
    assert "Secret Sam" in client.get(reverse("engagement:challenge", args=[challenge.pk])).content.decode()


def test_a_creator_cannot_set_a_challenge_on_another_storefronts_course(storefront, creator, other_creator):
    from tests.factories import CourseFactory, StorefrontFactory

    foreign = CourseFactory(storefront=StorefrontFactory(owner=other_creator))
    with pytest.raises(ValidationError):
        services.challenge_create(storefront=storefront, actor=creator, title="X", goal=GoalKind.COURSE,
                                  course=foreign, ends_at=timezone.now() + timedelta(days=1))


def test_the_creator_creates_a_challenge_in_the_studio(client, creator, storefront, free_course):
    client.force_login(creator)
    url = reverse("engagement:studio", args=[storefront.slug])
    assert client.get(url).status_code == 200
    ends = (timezone.localtime() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"form": "challenge", "challenge-title": "Sprint", "challenge-goal": "lessons",
                                 "challenge-target": "2", "challenge-ends_at": ends, "challenge-points": "30",
                                 "challenge-course": str(free_course.pk)})
    assert response.status_code == 302, response.content.decode()[:2000]
    challenge = storefront.challenges.get()
    assert (challenge.title, challenge.target, challenge.points, challenge.badge.name) == ("Sprint", 2, 30, "Sprint")
    bad = client.post(url, {"form": "challenge", "challenge-title": "Late", "challenge-goal": "lessons",
                            "challenge-target": "2", "challenge-ends_at": "2000-01-01T00:00", "challenge-points": "1"})
    assert bad.status_code == 400 and storefront.challenges.count() == 1


@pytest.mark.parametrize("field,value", [("target", "0"), ("target", "99999999999999999999"),
                                         ("points", "-5"), ("max_participants", "99999999999999999999"),
                                         ("ends_at", "not a date"), ("goal", "everything")])
def test_bad_challenge_input_is_a_400_that_creates_nothing(client, creator, storefront, field, value):
    client.force_login(creator)
    data = {"form": "challenge", "challenge-title": "Sprint", "challenge-goal": "lessons", "challenge-target": "2",
            "challenge-ends_at": (timezone.localtime() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M"),
            "challenge-points": "30", f"challenge-{field}": value}
    response = client.post(reverse("engagement:studio", args=[storefront.slug]), data)
    assert response.status_code == 400 and not storefront.challenges.exists()


def test_bad_reward_and_poll_input_is_a_400_that_creates_nothing(client, creator, storefront):
    client.force_login(creator)
    url = reverse("engagement:studio", args=[storefront.slug])
    assert client.post(url, {"form": "offer", "offer-title": "R", "offer-points_cost": "10",
                             "offer-percent_off": "101", "offer-valid_days": "30"}).status_code == 400
    assert client.post(url, {"form": "poll", "poll-question": "Q?", "poll-options": "only one"}).status_code == 400
    assert client.post(url, {"form": "nothing"}).status_code == 400
    assert not storefront.reward_offers.exists() and not storefront.polls.exists()
