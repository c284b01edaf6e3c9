"""Nudges: stalled learners of a storefront running a nudges experiment are entered once per stall in the
framework's variant; only the "reminder" arm is notified (unless they switched the kind off); resumed progress is
the outcome the framework's results count."""

import threading
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courseplatform.catalog.models import Enrollment
from courseplatform.engagement import nudges
from courseplatform.engagement.models import NudgeExposure
from courseplatform.events.models import Interaction
from courseplatform.experiments import services as experiments
from courseplatform.experiments.selectors import experiment_results, variant_for
from courseplatform.learning import services as learning
from courseplatform.learning.models import LessonProgress
from courseplatform.notifications.models import Notification
from courseplatform.notifications.services import preferences_set
from tests.factories import EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db
DAYS = nudges.DEFAULT_STALL_DAYS


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def experiment(storefront, creator):
    draft = experiments.experiment_create(storefront=storefront, actor=creator, name="Nudges", kind=nudges.KIND,
                                          arms=[nudges.NONE, nudges.REMINDER])
    return experiments.experiment_start(experiment=draft, actor=creator)


def ago(days: float):
    return timezone.now() - timedelta(days=days)


def learners_in(experiment, arm: str, n: int) -> list:
    """``n`` new learners whom the framework's assignment puts in ``arm``."""
    found = []
    while len(found) < n:
        user = UserFactory()
        if variant_for(experiment, f"u:{user.pk}").arm == arm:
            found.append(user)
    return found


def complete(learner, lesson, when):
    LessonProgress.objects.update_or_create(learner=learner, lesson=lesson, defaults={"completed_at": when})


def test_stalled_means_enrolled_unfinished_and_no_lesson_for_n_days(free_course, lessons):
    stalled_new, stalled_old, recent, finished, never = (UserFactory() for _ in range(5))
    EnrollmentFactory(learner=stalled_new, course=free_course, created_at=ago(DAYS + 1))  # enrolled, no lesson
    EnrollmentFactory(learner=stalled_old, course=free_course, created_at=ago(60))
    complete(stalled_old, lessons[0], ago(DAYS + 2))
    EnrollmentFactory(learner=recent, course=free_course, created_at=ago(60))
    complete(recent, lessons[0], ago(30))
    complete(recent, lessons[1], ago(DAYS - 1))  # the latest lesson counts
    EnrollmentFactory(learner=finished, course=free_course, created_at=ago(60), completed_at=ago(20))
    complete(never, lessons[0], ago(30))  # progress without an enrolment: not a learner of the course
    EnrollmentFactory(learner=UserFactory(), course=free_course, created_at=ago(DAYS - 1))  # enrolled yesterday
    EnrollmentFactory(learner=UserFactory(is_active=False), course=free_course, created_at=ago(60))  # deactivated

    rows = {e.learner_id: e.last_progress for e in nudges.stalled_enrolments()}
    assert set(rows) == {stalled_new.pk, stalled_old.pk}
    assert rows[stalled_old.pk] == LessonProgress.objects.get(learner=stalled_old).completed_at


def test_stall_days_come_from_the_setting(settings, free_course):
    learner = UserFactory()
    EnrollmentFactory(learner=learner, course=free_course, created_at=ago(4))
    assert not list(nudges.stalled_enrolments())
    settings.NUDGE_STALL_DAYS = 3
    assert [e.learner_id for e in nudges.stalled_enrolments()] == [learner.pk]


def test_only_the_reminder_arm_is_notified_and_the_none_arm_is_exposed_silently(experiment, free_course):
    reminded = learners_in(experiment, nudges.REMINDER, 3)
    silent = learners_in(experiment, nudges.NONE, 3)
    for learner in reminded + silent:
        EnrollmentFactory(learner=learner, course=free_course, created_at=ago(DAYS + 3))

    assert nudges.nudges_send() == 6

    notified = Notification.objects.filter(kind=nudges.NOTIFICATION_KIND)
    assert set(notified.values_list("user_id", flat=True)) == {u.pk for u in reminded}
    assert free_course.title in str(notified.first().params)
    exposures = NudgeExposure.objects.filter(experiment=experiment)
    assert {(e.learner_id, e.arm, e.notified) for e in exposures} == (
        {(u.pk, nudges.REMINDER, True) for u in reminded} | {(u.pk, nudges.NONE, False) for u in silent})


def test_no_running_nudge_experiment_means_no_nudge(free_course):
    EnrollmentFactory(learner=UserFactory(), course=free_course, created_at=ago(DAYS + 3))
    assert nudges.nudges_send() == 0
    assert not NudgeExposure.objects.exists() and not Notification.objects.exists()


def test_one_nudge_per_stall_across_runs_and_a_new_stall_after_resuming(experiment, free_course, lessons):
    [learner] = learners_in(experiment, nudges.REMINDER, 1)
    EnrollmentFactory(learner=learner, course=free_course, created_at=ago(30))
    nudges.nudges_send()
    nudges.nudges_send()  # a second run, or a redelivered task
    assert NudgeExposure.objects.count() == 1
    assert Notification.objects.filter(user=learner, kind=nudges.NOTIFICATION_KIND).count() == 1

    complete(learner, lessons[0], ago(DAYS + 1))  # resumed once, then stalled again: a new stall
    nudges.nudges_send()
    assert NudgeExposure.objects.count() == 2
    assert Notification.objects.filter(user=learner, kind=nudges.NOTIFICATION_KIND).count() == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_nudge_each_stall_once(experiment, free_course):
    learners = learners_in(experiment, nudges.REMINDER, 4)
    for learner in learners:
        EnrollmentFactory(learner=learner, course=free_course, created_at=ago(30))
    barrier, errors = threading.Barrier(3), []

    def run():
        try:
            barrier.wait()
            nudges.nudges_send()
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert NudgeExposure.objects.count() == 4
    assert Notification.objects.filter(kind=nudges.NOTIFICATION_KIND).count() == 4


def test_a_learner_who_switched_the_kind_off_gets_no_reminder_but_stays_exposed(experiment, free_course):
    [learner] = learners_in(experiment, nudges.REMINDER, 1)
    preferences_set(user=learner, channels={nudges.NOTIFICATION_KIND: "off"})
    EnrollmentFactory(learner=learner, course=free_course, created_at=ago(30))
    nudges.nudges_send()
    assert not Notification.objects.filter(user=learner).exists()
    exposure = NudgeExposure.objects.get(learner=learner)
    assert exposure.arm == nudges.REMINDER and not exposure.notified


def test_resumed_progress_is_counted_by_the_framework_results(experiment, free_course, lessons, creator,
                                                              storefront):
    reminded = learners_in(experiment, nudges.REMINDER, 3)
    silent = learners_in(experiment, nudges.NONE, 2)
    for learner in reminded + silent:
        EnrollmentFactory(learner=learner, course=free_course, created_at=ago(30), price_paid=0)
    nudges.nudges_send()
    # two reminded learners and one silent one come back, through the real lesson service
    for learner in reminded[:2] + silent[:1]:
        learning.lesson_complete(learner=learner, lesson=lessons[1])
    assert Enrollment.objects.filter(completed_at__isnull=False).count() == 0

    results = experiment_results(experiment)
    by_arm = {r.variant.arm: (r.visitors, r.enrollers) for r in results["variants"]}
    assert by_arm == {nudges.REMINDER: (3, 2), nudges.NONE: (2, 1)}
    verdict = results["verdict"]
    assert verdict.code == "keep_collecting" and verdict.smallest_sample == 2  # the planned sample decides
    assert verdict.planned_per_variant == experiment.min_sample_per_variant > 2

    client = Client()
    client.force_login(creator)
    page = client.get(reverse("experiments:detail", args=[storefront.slug, experiment.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Resumed progress" in html
    # its units are learners, and click-through (a storefront visitor's measure) is not shown
    assert "<th>Learners</th>" in html and "Click-through" not in html and "<th>Visitors</th>" not in html


def test_a_nudges_experiment_tags_no_storefront_visitor(experiment, free_course, learner):
    # its units are stalled learners: browsing the storefront is no exposure and carries no variant
    client = Client()
    client.force_login(learner)
    assert client.get(free_course.get_absolute_url()).status_code == 200
    assert client.get(reverse("catalog:storefront", args=[free_course.storefront.slug])).status_code == 200
    assert not Interaction.objects.exclude(experiment="").exists()


def test_resumption_after_the_attribution_window_does_not_count(experiment, free_course, lessons, settings):
    settings.EXPERIMENTS_ATTRIBUTION_WINDOW = timedelta(days=2)
    late, prompt = learners_in(experiment, nudges.REMINDER, 2)
    for learner in (late, prompt):
        EnrollmentFactory(learner=learner, course=free_course, created_at=ago(30))
    nudges.nudges_send(now=ago(5))
    complete(late, lessons[0], ago(1))  # four days after the reminder
    complete(prompt, lessons[0], ago(4))  # one day after
    [reminder] = [r for r in experiment_results(experiment)["variants"] if r.variant.arm == nudges.REMINDER]
    assert (reminder.visitors, reminder.enrollers) == (2, 1)


def test_the_command_and_the_beat_entry_run_the_same_service(experiment, free_course):
    from io import StringIO

    from django.apps import apps
    from django.core.management import call_command

    [learner] = learners_in(experiment, nudges.REMINDER, 1)
    EnrollmentFactory(learner=learner, course=free_course, created_at=ago(30))
    out = StringIO()
    call_command("send_nudges", stdout=out)
    assert "1 learner(s) entered" in out.getvalue()
    assert apps.get_app_config("engagement").celery_beat_schedule["nudges"]["task"] == "engagement.nudges"


def test_the_framework_decides_on_resumed_progress_at_the_planned_sample(experiment, free_course, lessons):
    type(experiment).objects.filter(pk=experiment.pk).update(min_sample_per_variant=2, primary_metric="click")
    experiment.refresh_from_db()
    reminded = learners_in(experiment, nudges.REMINDER, 2)
    silent = learners_in(experiment, nudges.NONE, 2)
    for learner in reminded + silent:
        EnrollmentFactory(learner=learner, course=free_course, created_at=ago(40))
    nudges.nudges_send(now=ago(10))  # the horizon and its 7-day attribution window have passed
    for learner in reminded:
        complete(learner, lessons[2], ago(9))

    results = experiment_results(experiment)
    # 2/2 against 0/2: z = 2.0, p = 0.0455 < 0.05 (the decision metric is the kind's outcome, not clicks)
    assert results["horizon"].final
    assert results["verdict"].code == "winner" and results["verdict"].winner == "B"
    assert "resumed progress" in results["verdict_text"]


def test_the_creator_starts_a_nudges_experiment_from_the_framework_pages(storefront, creator, free_course):
    client = Client()
    client.force_login(creator)
    listing = reverse("experiments:list", args=[storefront.slug])
    assert "nudges:reminder" in client.get(listing).content.decode()
    response = client.post(listing, {
        "name": "Remind stalled learners", "arms": ["nudges:reminder", "nudges:none"], "shares": "",
        "primary_metric": "enroll", "baseline_rate": "30", "minimum_detectable_effect": "8"})
    assert response.status_code == 302
    experiment = storefront.experiments.get()
    assert experiment.kind == nudges.KIND
    assert [(v.key, v.arm) for v in experiment.variants.all()] == [("A", nudges.NONE), ("B", nudges.REMINDER)]
    started = client.post(reverse("experiments:action", args=[storefront.slug, experiment.pk, "start"]))
    assert started.status_code == 302
    experiment.refresh_from_db()
    assert experiment.status == "running"

    EnrollmentFactory(learner=UserFactory(), course=free_course, created_at=ago(30))
    assert nudges.nudges_send() == 1
