"""Online team-draft interleaving of two model versions: staff start and stop it on the recommender page,
learners' home feeds are the interleaved list (the same on a reload), each shown course is logged with the team
that placed it, outcomes are credited to that team, and the staff page reads per-team credit, the sign test and
a verdict. A simulated population with a planted preference shows the analysis finds the better version."""

import random

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from courseplatform.catalog import services as catalog
from courseplatform.events import services as events
from courseplatform.events.models import EventType, Interaction
from recommender import interleaving, platform_hooks, services
from recommender.models import FeedItem, InterleavingExperiment
from tests.factories import CategoryFactory, CourseFactory, StorefrontFactory, UserFactory
from tests.recommender.factories import ModelVersionFactory

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def staff_client(staff):
    client = Client()
    client.force_login(staff)
    return client


def _courses(n: int):
    shops = [StorefrontFactory() for _ in range(4)]
    cats = [CategoryFactory(slug=f"c{k}", name=f"Cat {k}") for k in range(4)]
    return [CourseFactory(storefront=shops[k % 4], category=cats[(k // 4) % 4], price=0, title=f"Course {k}")
            for k in range(n)]


def _feeds(version, learners, course_order):
    FeedItem.objects.bulk_create([FeedItem(version=version, user=u, course=c, rank=r, score=1.0 / r,
                                           reason_code="for_you")
                                  for u in learners for r, c in enumerate(course_order(u), start=1)])


def _show_home(user):
    """The home page's feed panel for ``user``, then what the events middleware writes after the response."""
    request = RequestFactory().get("/")
    request.user = user
    html = platform_hooks.home_panels(request)
    written = events.pending_flush(request)
    return html, written


def test_staff_start_an_interleaving_and_learners_see_both_versions_merged_the_same_on_reload(staff_client):
    courses = _courses(16)
    learner = UserFactory()
    a, b = ModelVersionFactory(is_active=True), ModelVersionFactory()
    _feeds(a, [learner], lambda u: courses[:8])
    _feeds(b, [learner], lambda u: courses[8:])
    response = staff_client.post(reverse("recommender_staff:interleaving_start"),
                                 {"version_a": a.pk, "version_b": b.pk})
    assert response.status_code == 302
    experiment = InterleavingExperiment.objects.get()
    assert experiment.status == "running" and (experiment.version_a, experiment.version_b) == (a, b)

    items, tags = interleaving.interleaved_feed(learner, 8)
    again, _tags = interleaving.interleaved_feed(learner, 8)
    assert [i["course"].pk for i in items] == [i["course"].pk for i in again]  # deterministic per learner
    teams = {i["course"].pk: i["team"] for i in items}
    assert set(teams.values()) == {"A", "B"}
    assert all((team == "A") == (cid in {c.pk for c in courses[:8]}) for cid, team in teams.items())
    assert sorted(teams.values()).count("A") == 4  # team draft: each team places half of an even list

    html, written = _show_home(learner)
    assert written == 8 and "Course" in html
    logged = dict(Interaction.objects.filter(user=learner, type=EventType.IMPRESSION, experiment=experiment.tag)
                  .values_list("course_id", "variant"))
    assert logged == teams

    page = staff_client.get(reverse("recommender_staff:dashboard")).content.decode()
    assert f"Interleaving #{experiment.pk}" in page and "Stop this experiment" in page
    assert "1 learner shown an interleaved feed" in page


def test_an_enrolment_and_a_click_on_a_shown_course_are_credited_to_the_team_that_placed_it(staff):
    courses = _courses(8)
    learner = UserFactory()
    a, b = ModelVersionFactory(is_active=True), ModelVersionFactory()
    _feeds(a, [learner], lambda u: courses[:4])
    _feeds(b, [learner], lambda u: courses[4:])
    experiment = services.interleaving_start(version_a=a, version_b=b, actor=staff)
    _show_home(learner)
    catalog.enroll(learner=learner, course=courses[5])  # placed by B
    events.events_ingest(events=[{"index": 0, "event_id": "6f1c1f35-8d5e-4a57-9b5f-0d6b2c0f7a11",
                                  "type": "click", "course": courses[1].pk, "ts": timezone.now(),
                                  "context": {"surface": "home"}}], user=learner)
    enrol = Interaction.objects.get(user=learner, type=EventType.ENROLL)
    click = Interaction.objects.get(user=learner, type=EventType.CLICK)
    assert (enrol.experiment, enrol.variant) == (experiment.tag, "B")
    assert (click.experiment, click.variant) == (experiment.tag, "A")
    catalog.course_complete(learner=learner, course=courses[5])

    result = interleaving.results(experiment)
    by = {o.outcome: o for o in result.outcomes}
    assert (by["enroll"].credit_a, by["enroll"].credit_b) == (0, 1)
    assert (by["click"].credit_a, by["click"].credit_b) == (1, 0)
    assert (by["complete"].credit_a, by["complete"].credit_b) == (0, 1)
    assert result.learners == 1 and result.verdict == ""  # one learner decides nothing


def test_a_course_not_shown_in_the_interleaved_feed_is_not_credited(staff):
    courses = _courses(10)
    learner = UserFactory()
    a, b = ModelVersionFactory(is_active=True), ModelVersionFactory()
    _feeds(a, [learner], lambda u: courses[:4])
    _feeds(b, [learner], lambda u: courses[4:8])
    experiment = services.interleaving_start(version_a=a, version_b=b, actor=staff)
    _show_home(learner)
    catalog.enroll(learner=learner, course=courses[9])
    assert Interaction.objects.get(user=learner, type=EventType.ENROLL).experiment == ""
    assert all(o.credit_a == o.credit_b == 0 for o in interleaving.results(experiment).outcomes)


def _simulate(a_order, b_order, *, learners: int, seed: int, staff):
    """Learners who like a known set of courses: each enrols in the first liked course of their shown feed
    (with probability 0.9), else in a random shown one (0.1). Returns the experiment."""
    rng = random.Random(seed)
    courses = _courses(24)
    liked, other = courses[:12], courses[12:]
    users = [UserFactory() for _ in range(learners)]
    a, b = ModelVersionFactory(is_active=True), ModelVersionFactory()
    _feeds(a, users, lambda u: a_order(liked, other, u))
    _feeds(b, users, lambda u: b_order(liked, other, u))
    experiment = services.interleaving_start(version_a=a, version_b=b, actor=staff)
    liked_ids = {c.pk for c in liked}
    for user in users:
        items, _tags = interleaving.interleaved_feed(user, 8)
        _show_home(user)
        shown = [i["course"] for i in items]
        pick = next((c for c in shown if c.pk in liked_ids), None)
        if pick is None or rng.random() < 0.1:
            pick = rng.choice(shown)
        catalog.enroll(learner=user, course=pick)
    return experiment


def test_a_simulated_interleaving_finds_the_planted_better_version(staff, staff_client):
    """Version B ranks what learners like first, version A ranks it after the rest: B must win."""
    def worse(liked, other, u):
        return other[:8] + liked[:4]

    def better(liked, other, u):
        return liked[(u.pk % 4):(u.pk % 4) + 8] + other[:4]

    experiment = _simulate(worse, better, learners=40, seed=1, staff=staff)
    result = interleaving.results(experiment)
    enrol = next(o for o in result.outcomes if o.outcome == "enroll")
    assert enrol.credit_b > enrol.credit_a
    assert enrol.summary.p_value < 0.05 and result.verdict == "B"
    page = staff_client.get(reverse("recommender_staff:dashboard")).content.decode()
    assert f"Version #{experiment.version_b_id} wins on enrolments" in page


def test_two_equally_good_versions_split_the_learners_about_evenly(staff):
    """The null case: both versions rank at random. (The bound fails by chance with probability ~0.2 %, not
    the sign test's 5 %: the learners' ids, which seed the team draft, vary between runs.)"""
    def same(liked, other, u):
        order = liked + other
        return random.Random(u.pk).sample(order, 12)

    def same_too(liked, other, u):
        order = liked + other
        return random.Random(u.pk + 10_000).sample(order, 12)

    experiment = _simulate(same, same_too, learners=40, seed=2, staff=staff)
    enrol = next(o for o in interleaving.results(experiment).outcomes if o.outcome == "enroll")
    assert enrol.summary.wins_a + enrol.summary.wins_b >= 20
    assert abs(enrol.summary.preference) < 0.5


def test_staff_stop_the_experiment_and_feeds_are_plain_again(staff_client, staff):
    courses = _courses(8)
    learner = UserFactory()
    a, b = ModelVersionFactory(is_active=True), ModelVersionFactory()
    _feeds(a, [learner], lambda u: courses[:4])
    _feeds(b, [learner], lambda u: courses[4:])
    experiment = services.interleaving_start(version_a=a, version_b=b, actor=staff)
    assert interleaving.interleaved_feed(learner, 8) is not None
    response = staff_client.post(reverse("recommender_staff:interleaving_stop", args=[experiment.pk]))
    assert response.status_code == 302
    experiment.refresh_from_db()
    assert experiment.status == "stopped" and experiment.stopped_by == staff and experiment.stopped_at
    assert interleaving.interleaved_feed(learner, 8) is None
    _show_home(learner)
    assert not Interaction.objects.filter(user=learner).exclude(experiment="").exists()
    page = staff_client.get(reverse("recommender_staff:dashboard")).content.decode()
    assert "Stopped" in page and "Start interleaving" in page


def test_starting_is_refused_for_one_version_twice_an_unknown_one_or_while_one_runs(staff_client, staff):
    a, b, c = ModelVersionFactory(is_active=True), ModelVersionFactory(), ModelVersionFactory()
    url = reverse("recommender_staff:interleaving_start")
    staff_client.post(url, {"version_a": a.pk, "version_b": a.pk})
    staff_client.post(url, {"version_a": a.pk, "version_b": "99999999999999999999"})
    staff_client.post(url, {"version_a": "x", "version_b": b.pk})
    assert not InterleavingExperiment.objects.exists()
    assert staff_client.post(url, {"version_a": a.pk, "version_b": b.pk}).status_code == 302
    response = staff_client.post(url, {"version_a": a.pk, "version_b": c.pk}, follow=True)
    assert "already running" in response.content.decode()
    assert InterleavingExperiment.objects.count() == 1
    assert staff_client.get(url).status_code == 405


def test_a_version_with_pruned_feeds_gets_them_rebuilt_when_the_experiment_starts(
        staff, django_capture_on_commit_callbacks):
    a, b = ModelVersionFactory(is_active=True), ModelVersionFactory(feed_count=0)
    with django_capture_on_commit_callbacks() as callbacks:
        services.interleaving_start(version_a=a, version_b=b, actor=staff)
    assert len(callbacks) == 2  # the rebuild of b's feeds is queued, and the running-experiment cache dropped
