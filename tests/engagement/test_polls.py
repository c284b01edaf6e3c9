"""Polls: one vote per learner and per anonymous session, results after voting, CSV for the creator."""

import csv
import io

import pytest
from django.urls import reverse

from courseplatform.engagement import services
from courseplatform.engagement.models import PollVote
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def poll(storefront, creator, free_course):
    return services.poll_create(storefront=storefront, actor=creator, question="Next topic?",
                                options=["Python", "Rust", "Go"], course=free_course)


def _vote(client, poll, index: int, **extra):
    option = list(poll.options.all())[index]
    return client.post(reverse("engagement:poll_vote", args=[poll.pk]), {"option": option.pk, **extra})


def test_a_learner_votes_once_and_then_sees_the_results(client, learner, poll):
    client.force_login(learner)
    page = client.get(reverse("engagement:poll", args=[poll.pk])).content.decode()
    assert 'name="option"' in page and "votes in all" not in page
    _vote(client, poll, 0)
    _vote(client, poll, 1)  # a second vote (another answer) is not counted
    assert PollVote.objects.filter(poll=poll).count() == 1
    assert PollVote.objects.get(poll=poll).option.text == "Python"
    page = client.get(reverse("engagement:poll", args=[poll.pk])).content.decode()
    assert 'name="option"' not in page and "1 vote in all" in page and "your vote" in page


def test_an_anonymous_visitor_votes_once_per_session(client, poll):
    _vote(client, poll, 0)
    _vote(client, poll, 2)
    assert PollVote.objects.filter(poll=poll).count() == 1
    vote = PollVote.objects.get()
    assert vote.learner is None and vote.session_key == client.session.session_key


def test_a_visitor_who_voted_then_logs_in_is_not_counted_twice(client, poll):
    learner = UserFactory()
    _vote(client, poll, 0)
    client.force_login(learner)  # Django keeps the session's data across log-in (new key)
    _vote(client, poll, 1)
    assert PollVote.objects.filter(poll=poll).count() == 1
    assert PollVote.objects.get().learner == learner


def test_two_sessions_of_the_same_learner_count_once(poll):
    from django.test import Client

    learner = UserFactory()
    first, second = Client(), Client()
    first.force_login(learner)
    second.force_login(learner)
    _vote(first, poll, 0)
    _vote(second, poll, 1)
    assert PollVote.objects.filter(poll=poll).count() == 1


def test_the_database_refuses_a_second_vote_row(poll, learner):
    from django.db import IntegrityError, transaction

    option = poll.options.first()
    PollVote.objects.create(poll=poll, option=option, learner=learner)
    with pytest.raises(IntegrityError), transaction.atomic():
        PollVote.objects.create(poll=poll, option=option, learner=learner)
    PollVote.objects.create(poll=poll, option=option, session_key="s1")
    with pytest.raises(IntegrityError), transaction.atomic():
        PollVote.objects.create(poll=poll, option=option, session_key="s1")


def test_a_vote_for_another_polls_answer_or_garbage_is_a_clear_4xx(client, learner, poll, storefront, creator):
    other = services.poll_create(storefront=storefront, actor=creator, question="Other?", options=["A", "B"])
    client.force_login(learner)
    url = reverse("engagement:poll_vote", args=[poll.pk])
    assert client.post(url, {"option": "²"}).status_code == 400
    assert client.post(url, {}).status_code == 400
    response = client.post(url, {"option": other.options.first().pk})
    assert response.status_code == 302 and not PollVote.objects.exists()


def test_a_closed_poll_takes_no_votes(client, learner, poll, creator):
    services.poll_set_closed(poll=poll, actor=creator, closed=True)
    client.force_login(learner)
    _vote(client, poll, 0)
    assert not PollVote.objects.exists()


def test_the_poll_shows_on_its_course_page(client, learner, poll, free_course):
    client.force_login(learner)
    page = client.get(free_course.get_absolute_url()).content.decode()
    assert "Next topic?" in page and 'name="option"' in page
    _vote(client, poll, 1, next=free_course.get_absolute_url())
    page = client.get(free_course.get_absolute_url()).content.decode()
    assert "1 vote in all" in page


def test_the_creator_exports_the_results_as_csv(client, creator, poll):
    for i, voter in enumerate([UserFactory(), UserFactory(), UserFactory()]):
        services.poll_vote(poll=poll, option_id=list(poll.options.all())[min(i, 1)].pk, learner=voter)
    client.force_login(creator)
    response = client.get(reverse("engagement:studio_poll_csv", args=[poll.storefront.slug, poll.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["poll_id", "question", "answer", "votes", "share"]
    assert [(r[2], r[3]) for r in rows[1:]] == [("Python", "1"), ("Rust", "2"), ("Go", "0")]


def test_another_creator_cannot_export_the_results(client, other_creator, poll):
    client.force_login(other_creator)
    assert client.get(reverse("engagement:studio_poll_csv", args=[poll.storefront.slug, poll.pk])).status_code == 404


def test_the_poll_section_renders_on_the_storefront_page_per_visitor(rf, storefront, poll, learner):
    from django.contrib.sessions.backends.db import SessionStore

    from courseplatform.pages.rendering import render_sections

    request = rf.get("/")
    request.user, request.session = learner, SessionStore()
    html = str(render_sections(storefront, [{"id": "p1", "type": "poll", "data": {"poll_id": poll.pk}}],
                               request)[0].html)
    assert "Next topic?" in html and 'name="option"' in html
    services.poll_vote(poll=poll, option_id=poll.options.first().pk, learner=learner)
    html = str(render_sections(storefront, [{"id": "p1", "type": "poll", "data": {"poll_id": poll.pk}}],
                               request)[0].html)
    assert "1 vote in all" in html


def test_the_poll_section_shows_nothing_for_another_storefronts_poll(rf, poll, learner):
    from django.contrib.sessions.backends.db import SessionStore

    from courseplatform.pages.rendering import render_sections
    from tests.factories import StorefrontFactory

    request = rf.get("/")
    request.user, request.session = learner, SessionStore()
    html = str(render_sections(StorefrontFactory(), [{"id": "p1", "type": "poll", "data": {"poll_id": poll.pk}}],
                               request)[0].html)
    assert "Next topic?" not in html
