"""Writes for the marketplace core. Views, forms, admin and tasks call these; they own the invariants."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courseplatform.events.models import EventType
from courseplatform.events.services import record_server_event
from courseplatform.hooks.signals import (
    course_completed,
    course_enrolled,
    course_published,
    course_reviewed,
    send_on_commit,
)

from .models import Course, Enrollment, Review, Storefront
from .permissions import ensure_can_manage

STOREFRONT_FIELDS = ("name", "slug", "tagline", "brand_keywords", "brand_colors", "logo")
COURSE_FIELDS = (
    "title", "subtitle", "description", "category", "tags", "level", "language", "price", "currency",
    "published",
    "cover_layout",
)


def _ensure_creator(actor) -> None:
    if not (actor.is_authenticated and (actor.is_creator or actor.is_staff)):
        raise PermissionDenied(_("Only course creators can do this."))


def _apply(instance, data: dict[str, Any], allowed: tuple[str, ...]) -> list[str]:
    changed = []
    for field in allowed:
        if field in data:
            setattr(instance, field, data[field])
            changed.append(field)
    return changed


@transaction.atomic
def storefront_create(*, owner, data: dict[str, Any]) -> Storefront:
    _ensure_creator(owner)
    storefront = Storefront(owner=owner)
    _apply(storefront, data, STOREFRONT_FIELDS)
    storefront.full_clean()
    storefront.save()
    return storefront


@transaction.atomic
def storefront_update(*, storefront: Storefront, actor, data: dict[str, Any]) -> Storefront:
    ensure_can_manage(actor, storefront)
    old_logo = Storefront.objects.filter(pk=storefront.pk).values_list("logo", flat=True).first() or ""
    changed = _apply(storefront, data, STOREFRONT_FIELDS)
    storefront.full_clean()
    storefront.save(update_fields=[*changed, "updated_at"])
    if old_logo and old_logo != storefront.logo.name:  # the replaced file goes once the new one is committed
        storage = storefront.logo.storage
        transaction.on_commit(lambda: storage.delete(old_logo))
    return storefront


@transaction.atomic
def course_create(*, storefront: Storefront, actor, data: dict[str, Any]) -> Course:
    ensure_can_manage(actor, storefront)
    course = Course(storefront=storefront)
    _apply(course, data, COURSE_FIELDS)
    course.full_clean()
    course.save()
    if course.published:
        send_on_commit(course_published, Course, course=course)
    return course


@transaction.atomic
def course_update(*, course: Course, actor, data: dict[str, Any]) -> Course:
    ensure_can_manage(actor, course.storefront)
    # read from the database: a bound ModelForm has already set the new values on ``course``
    was_published = Course.objects.filter(pk=course.pk).values_list("published", flat=True).first()
    changed = _apply(course, data, COURSE_FIELDS)
    course.full_clean()
    course.save(update_fields=[*changed, "updated_at"])
    if course.published and not was_published:
        send_on_commit(course_published, Course, course=course)
    return course


def enroll(*, learner, course: Course, order=None) -> tuple[Enrollment, bool]:
    """Enrol ``learner`` in ``course``; returns (enrolment, created). Enrolling twice is harmless. A paid course
    enrols only with its paid ``order`` (commerce's ``order_paid`` receiver), recording the amount paid."""
    if order is None:
        if not course.published:
            raise ValidationError(_("This course is not open for enrolment."))
        if course.price > 0:
            raise ValidationError(_("This course is paid: buy it to enrol."))
    elif (order.status != "paid" or order.learner_id != learner.pk or order.course_id != course.pk):
        raise ValidationError(_("This order does not pay for this course."))
    if course.storefront.owner_id == learner.pk:
        raise ValidationError(_("You cannot enrol in your own course."))
    try:
        with transaction.atomic():
            enrollment = Enrollment.objects.create(
                learner=learner, course=course, price_paid=order.amount if order is not None else 0,
                created_at=timezone.now()
            )
    except IntegrityError:
        return Enrollment.objects.get(learner=learner, course=course), False
    # tagged: the enrolment is an outcome of the experiment the learner is in (events.taggers)
    record_server_event(user=learner, course=course, event_type=EventType.ENROLL, surface="course_page", tag=True)
    send_on_commit(course_enrolled, Enrollment, learner=learner, course=course, enrollment=enrollment)
    return enrollment, True


@transaction.atomic
def course_complete(*, learner, course: Course) -> Enrollment:
    enrollment = Enrollment.objects.select_for_update().filter(learner=learner, course=course).first()
    if enrollment is None:
        raise ValidationError(_("Enrol in the course before marking it complete."))
    if enrollment.completed_at is None:
        enrollment.completed_at = timezone.now()
        enrollment.save(update_fields=["completed_at"])
        record_server_event(user=learner, course=course, event_type=EventType.COMPLETE, surface="course_page")
        send_on_commit(course_completed, Enrollment, learner=learner, course=course, enrollment=enrollment)
    return enrollment


@transaction.atomic
def review_submit(*, learner, course: Course, rating: int, text: str = "") -> Review:
    if not Enrollment.objects.filter(learner=learner, course=course).exists():
        raise ValidationError(_("Only learners enrolled in this course can review it."))
    review, created = Review.objects.update_or_create(
        learner=learner, course=course, defaults={"rating": rating, "text": text}
    )
    review.full_clean()
    record_server_event(user=learner, course=course, event_type=EventType.RATE, surface="course_page", value=rating)
    send_on_commit(course_reviewed, Review, learner=learner, course=course, review=review, created=created)
    return review
