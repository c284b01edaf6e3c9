"""Each trigger produces its notification: palette approved / rejected (the theming plugin's signal), a failed
job, a new course from a followed creator, a certificate, a paid order, a challenge reminder (the public API)."""

import pytest

from courseplatform.catalog import services as catalog_services
from courseplatform.jobs import services as jobs
from courseplatform.learning import services as learning_services
from courseplatform.notifications import kinds, services
from courseplatform.notifications.models import Notification, OutboxEmail
from tests.factories import CourseFactory, UserFactory
from themes import services as themes_services
from themes.models import Palette, PaletteJob

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted_palette(storefront, creator):
    job = PaletteJob.objects.create(storefront=storefront, requested_by=creator, brief={"k": 6}, brief_hash="a" * 64,
                                    status="succeeded", progress=1.0, attempts=1)
    colors = {"background": "#fafafa", "surface": "#eceff1", "text": "#212121", "primary": "#1e88e5",
              "secondary": "#455a64", "accent": "#d81b60"}
    return Palette.objects.create(storefront=storefront, job=job, rank=0, colors=colors, dark=colors,
                                  status="submitted", scores={}, contrast={})


def only(user, kind) -> Notification:
    return Notification.objects.get(user=user, kind=kind)


def test_an_approved_palette_notifies_its_creator(submitted_palette, creator, reviewer,
                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        themes_services.palette_approve(palette=submitted_palette, actor=reviewer, note="On brand")
    notification = only(creator, kinds.PALETTE_REVIEWED)
    assert "was approved" in notification.message
    assert notification.url.endswith(f"/studio/storefronts/{submitted_palette.storefront.slug}/palettes/")
    assert OutboxEmail.objects.filter(user=creator, kind=kinds.PALETTE_REVIEWED).count() == 1


def test_a_rejected_palette_notifies_its_creator_with_the_reason(submitted_palette, creator, reviewer,
                                                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        themes_services.palette_reject(palette=submitted_palette, actor=reviewer, note="Too low contrast")
    assert "Too low contrast" in only(creator, kinds.PALETTE_REVIEWED).message


def test_a_rolled_back_review_notifies_nobody(submitted_palette, creator, learner,
                                              django_capture_on_commit_callbacks):
    from django.core.exceptions import PermissionDenied

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        themes_services.palette_approve(palette=submitted_palette, actor=learner)
    assert not Notification.objects.exists()


def test_a_failed_job_notifies_who_requested_it(storefront, creator, django_capture_on_commit_callbacks):
    job = PaletteJob.objects.create(storefront=storefront, requested_by=creator, brief={"k": 6},
                                    brief_hash="c" * 64, status="running", attempts=1)
    with django_capture_on_commit_callbacks(execute=True):
        jobs.job_fail(job, "The palette engine failed (MemoryError).")
    notification = only(creator, kinds.JOB_FAILED)
    assert "palette job failed" in notification.message and "MemoryError" in notification.message
    assert notification.url == f"/studio/palette-jobs/{job.pk}/"  # to the job's page, where it can be retried


def test_a_job_the_sweeper_gives_up_on_notifies_too(storefront, creator, settings,
                                                    django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    old = timezone.now() - timedelta(hours=2)
    PaletteJob.objects.create(storefront=storefront, requested_by=creator, brief={"k": 6}, brief_hash="d" * 64,
                              status="running", attempts=settings.JOBS_MAX_ATTEMPTS, heartbeat_at=old)
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.sweep_jobs()["failed"] == 1
    assert "no progress" in only(creator, kinds.JOB_FAILED).message


def test_a_new_course_notifies_the_creators_followers_once(storefront, creator, learner,
                                                           django_capture_on_commit_callbacks):
    services.follow(follower=learner, creator=creator)
    bystander = UserFactory()
    course = CourseFactory(storefront=storefront, published=False, title="Bayesian Thinking")
    with django_capture_on_commit_callbacks(execute=True):
        catalog_services.course_update(course=course, actor=creator, data={"published": True})
    with django_capture_on_commit_callbacks(execute=True):  # unpublished and published again: told once
        catalog_services.course_update(course=course, actor=creator, data={"published": False})
        catalog_services.course_update(course=course, actor=creator, data={"published": True})
    notification = only(learner, kinds.NEW_COURSE)
    assert "Bayesian Thinking" in notification.message and notification.url == f"/courses/{course.pk}/"
    assert not Notification.objects.filter(user=bystander).exists()


def test_a_certificate_notifies_the_learner(course, learner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        certificate = learning_services.certificate_issue(learner=learner, course=course)
        learning_services.certificate_issue(learner=learner, course=course)  # a repeated look-up tells nobody
    notification = only(learner, kinds.CERTIFICATE_EARNED)
    assert notification.url == f"/certificates/{certificate.uuid}/"


def test_a_paid_order_puts_its_receipt_in_the_centre_without_a_second_mail(storefront, learner, settings,
                                                                           django_capture_on_commit_callbacks):
    from decimal import Decimal

    from courseplatform.commerce import services as commerce

    settings.COMMERCE_PAYMENT_VARIANT = "dummy"
    settings.PAYMENT_VARIANTS = {"dummy": ("payments.dummy.DummyProvider", {})}
    course = CourseFactory(storefront=storefront, price=Decimal("49.00"), currency="USD")
    with django_capture_on_commit_callbacks(execute=True):
        order = commerce.checkout_start(learner=learner, course=course)
        payment = commerce.payment_for(order)
        assert commerce.payment_succeeded(payment=payment, amount=order.amount, currency=order.currency)
    notification = only(learner, kinds.ORDER_RECEIPT)
    assert str(order.number) in notification.message
    assert notification.url == f"/orders/{order.number}/receipt/"
    assert not OutboxEmail.objects.exists()  # commerce mails the receipt itself (transactional, always sent)


def test_a_challenge_reminder_through_the_public_api(learner):
    notification = services.notify(learner, kinds.CHALLENGE_REMINDER, key="challenge:3:2026-12-20",
                                   params={"challenge": "Ship it", "ends": "2026-12-24"}, url="/learning/")
    assert "Ship it" in notification.message and "2026-12-24" in notification.message
