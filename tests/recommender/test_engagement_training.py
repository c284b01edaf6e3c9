"""The engagement model wired into training: feature rows from logged impressions joined to later enrolments,
fitted and scored on a time holdout, stored on the new version and shown on the staff page. Real database."""

import random
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courseplatform.events.models import Interaction
from courseplatform.learning.models import Lesson, LessonProgress, Section
from recommender.models import ModelVersion
from recommender.training import engagement_dataset, train_version
from tests.factories import CategoryFactory, CourseFactory, EnrollmentFactory, UserFactory
from tests.recommender.factories import InteractionFactory, catalogue

pytestmark = pytest.mark.django_db


def impression(user, course, ts, position, **kw):
    return InteractionFactory(user=user, course=course, type="impression", ts=ts, position=position, **kw)


def test_engagement_rows_label_an_impression_by_a_later_enrolment_of_the_same_learner():
    now = timezone.now()
    design = CategoryFactory(slug="design")
    code = CategoryFactory(slug="code")
    x = CourseFactory(category=design)
    y = CourseFactory(category=code)
    a, b, c = UserFactory(), UserFactory(), UserFactory()
    c.interests.add(code)
    EnrollmentFactory(learner=b, course=x, created_at=now - timedelta(days=5))  # b owned x before seeing it
    impression(a, x, now - timedelta(days=3), 1)
    EnrollmentFactory(learner=a, course=x, created_at=now - timedelta(days=2))  # a enrolled after seeing x
    impression(a, y, now - timedelta(days=3), 2)  # a never enrols in y
    impression(b, x, now - timedelta(days=1), 1)  # dropped: already owned
    impression(b, y, now - timedelta(days=1), 4)  # b has a design course, y is code: no category match
    impression(c, x, now - timedelta(hours=1), 3)  # x has two enrolments by now; c did not enrol
    impression(c, y, now - timedelta(hours=1), 5)  # c's interests include code
    # a client-sent enroll event is no enrolment: the label comes from the catalog
    InteractionFactory(user=c, course=y, type="enroll", ts=now)
    impression(None, x, now - timedelta(hours=2), 1, session_key="anon")  # anonymous: cannot be joined
    impression(a, y, now - timedelta(hours=2), None)  # no feed position: not a feed impression

    data = engagement_dataset()

    got = {pair: (label, row) for pair, label, row in zip(data["pairs"], data["labels"], data["rows"], strict=True)}
    assert set(got) == {(a.pk, x.pk), (a.pk, y.pk), (b.pk, y.pk), (c.pk, x.pk), (c.pk, y.pk)}
    assert {pair: label for pair, (label, _row) in got.items()} == {
        (a.pk, x.pk): 1.0, (a.pk, y.pk): 0.0, (b.pk, y.pk): 0.0, (c.pk, x.pk): 0.0, (c.pk, y.pk): 0.0}
    assert got[(a.pk, x.pk)][1] == {"popularity": 1.0, "category_match": 0.0, "price": 19.0, "position": 1.0,
                                    "lessons_30d": 0.0, "courses_completed": 0.0}
    assert got[(c.pk, x.pk)][1]["popularity"] == 2.0  # enrolments created before the impression
    assert got[(c.pk, y.pk)][1]["category_match"] == 1.0  # a sign-up interest
    assert got[(b.pk, y.pk)][1]["category_match"] == 0.0
    assert data["timestamps"] == sorted(data["timestamps"])


def test_progress_features_count_what_the_learner_had_completed_when_the_course_was_shown():
    now = timezone.now()
    learner, shown = UserFactory(), CourseFactory()
    taken = CourseFactory()
    section = Section.objects.create(course=taken, title="One", position=1)
    for n, days_ago in enumerate([40, 20, 10, 5, 1]):  # 40 days: outside the 30-day window; 1 day: after
        lesson = Lesson.objects.create(section=section, title=f"L{n}", kind="text", position=n)
        LessonProgress.objects.create(learner=learner, lesson=lesson, completed_at=now - timedelta(days=days_ago))
    LessonProgress.objects.create(learner=learner, lesson=Lesson.objects.create(section=section, title="open",
                                                                                 kind="text", position=9))
    EnrollmentFactory(learner=learner, course=taken, created_at=now - timedelta(days=50),
                      completed_at=now - timedelta(days=4))
    impression(learner, shown, now - timedelta(days=3), 1)

    row = engagement_dataset()["rows"][0]

    assert (row["lessons_30d"], row["courses_completed"]) == (3.0, 1.0)


@pytest.fixture
def logged_feed():
    """40 learners, each interested in one category, shown 5 courses a day for 8 days. A learner enrols (an hour
    later, a real Enrollment plus the server's enroll row) mostly in courses of their category shown near the top.
    """
    categories, courses = catalogue(n_categories=4, per_category=4)
    rng = random.Random(7)
    start = timezone.now() - timedelta(days=30)
    rows = []
    for n in range(40):
        learner = UserFactory()
        mine = categories[n % 4]
        learner.interests.add(mine)
        first = courses[(n % 4) * 4 + n % 3]
        EnrollmentFactory(learner=learner, course=first, created_at=start)
        InteractionFactory(user=learner, course=first, type="enroll", ts=start)
        owned = {first.pk}
        for day in range(8):
            ts = start + timedelta(days=day + 1, minutes=n)
            shown = rng.sample([c for c in courses if c.pk not in owned], 5)
            for position, course in enumerate(shown, start=1):
                rows.append(Interaction(user=learner, course=course, type="impression", ts=ts, position=position,
                                        surface="home"))
                p = 0.7 if course.category_id == mine.pk and position <= 2 else 0.02
                if rng.random() < p:
                    EnrollmentFactory(learner=learner, course=course, created_at=ts + timedelta(hours=1))
                    InteractionFactory(user=learner, course=course, type="enroll", ts=ts + timedelta(hours=1))
                    owned.add(course.pk)
    Interaction.objects.bulk_create(rows)
    return courses


def test_training_stores_the_engagement_model_holdout_report_on_the_new_version(logged_feed, staff):
    expected = engagement_dataset()
    version = train_version(algorithm="ease", device="cpu")

    report = version.metrics["engagement"]
    assert report["n"] == len(expected["labels"]) > 1000
    assert report["positives"] == int(sum(expected["labels"])) >= 30
    assert report["n_train"] + report["n_test"] == report["n"]
    # planted signal: category match and a top position make enrolment likely
    assert report["roc_auc"] > 0.7
    assert report["pr_auc"] > report["test_positive_rate"]
    assert report["coef"]["category_match"] > 0 and report["coef"]["position"] < 0
    # the same fit without the progress features, on the same holdout: what progress adds is measured
    assert 0.5 < report["roc_auc_without_progress"] <= 1 and report["pr_auc_without_progress"] > 0
    assert set(report["coef"]) >= {"lessons_30d", "courses_completed"}
    # offline replay of the later feeds: blend P(enrol) in only where it ranks their enrolments higher
    replay = report["replay"]
    assert replay["holdout_base"] is not None and replay["holdout_blend"] is not None
    assert set(replay["weights_tried"]) == {"0.0", "0.25", "0.5", "1.0", "2.0"}
    assert replay["use"] == (replay["weight"] > 0 and replay["holdout_blend"] > replay["holdout_base"])
    # the replay keeps what materialising needs; the version's feeds use the blend exactly when the replay says so
    assert replay["model"]["features"] and set(replay["scale"]) == {"base_mean", "base_std", "p_mean", "p_std"}
    version = ModelVersion.objects.get(pk=version.pk)
    assert (version.engagement_blend() is not None) == replay["use"]
    client = Client()
    client.force_login(staff)
    page = client.get(reverse("recommender_staff:dashboard")).content.decode()
    assert "Engagement ROC-AUC / PR-AUC" in page
    assert f"{report['roc_auc']:.3f} / {report['pr_auc']:.3f}" in page
    assert f"without progress features: {report['roc_auc_without_progress']:.3f}" in page


def test_engagement_is_skipped_with_a_reason_when_too_few_impressions(staff):
    _categories, courses = catalogue(n_categories=2, per_category=3)
    now = timezone.now()
    for n in range(6):
        learner = UserFactory()
        for t, course in enumerate(courses[n % 2 * 3:n % 2 * 3 + 2]):
            InteractionFactory(user=learner, course=course, type="enroll", ts=now - timedelta(hours=5 - t))
        impression(learner, courses[5], now - timedelta(hours=6), 1)

    version = train_version(algorithm="pop", device="cpu")

    assert version.metrics["engagement"]["skipped"] == "too_few_impressions"
    assert version.metrics["engagement"]["n"] == 6 and "roc_auc" not in version.metrics["engagement"]
    client = Client()
    client.force_login(staff)
    page = client.get(reverse("recommender_staff:dashboard")).content.decode()
    assert "Not fitted: only 6 impressions logged" in page


def test_engagement_is_skipped_when_impressions_never_lead_to_an_enrolment(logged_feed):
    from courseplatform.catalog.models import Enrollment

    start = timezone.now() - timedelta(days=29)
    Enrollment.objects.filter(created_at__gt=start).delete()  # nobody enrolled after seeing the feed

    version = train_version(algorithm="pop", device="cpu")

    assert version.metrics["engagement"]["skipped"] == "too_few_positives"
    assert version.metrics["engagement"]["positives"] == 0
