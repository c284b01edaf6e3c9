"""Shared world for the security tests: two creators (B owns everything), a learner, staff, and one object of
every kind a URL can point at. URL walking and kwargs building live here so every security test agrees."""

from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import CourseFactory, CreatorFactory, StaffFactory, StorefrontFactory, UserFactory

LIGHT = {"background": "#fafafa", "surface": "#eceff1", "text": "#212121", "primary": "#1e88e5",
         "secondary": "#455a64", "accent": "#d81b60"}
DARK = {"background": "#121212", "surface": "#1e1e1e", "text": "#eeeeee", "primary": "#64b5f6",
        "secondary": "#90a4ae", "accent": "#f48fb1"}


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    params: tuple[str, ...]


def _params(pattern) -> tuple[str, ...]:
    names = list(getattr(pattern, "converters", {}) or {})
    regex = getattr(pattern, "regex", None)
    if regex is not None:
        names += [n for n in regex.groupindex if n not in names]
    return tuple(names)


def walk_urlconf(resolver=None, namespace: str | None = None, prefix: str = ""):
    """Every named URL pattern in the project, recursively, as ``Route(name="ns:name", ...)``."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            child_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from (Route(r.name, r.pattern, _params(entry.pattern) + r.params)
                        for r in walk_urlconf(entry, child_ns, prefix + str(entry.pattern)))
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield Route(name, prefix + str(entry.pattern), _params(entry.pattern))


@pytest.fixture
def world(db):
    from themes.models import Palette, PaletteJob

    creator_b = CreatorFactory(username="creator-b")
    storefront = StorefrontFactory(owner=creator_b, slug="b-store")
    course = CourseFactory(storefront=storefront)
    job = PaletteJob.objects.create(storefront=storefront, requested_by=creator_b, brief={"k": 6},
                                    brief_hash="b" * 64, status="succeeded", progress=1.0, attempts=1)

    def palette(status: str, rank: int) -> Palette:
        return Palette.objects.create(
            storefront=storefront, job=job, rank=rank, colors=LIGHT, dark=DARK, status=status,
            scores={"U": 2.5, "H": 0.8, "V": 0.9, "B": 0.9},
            contrast={"light": {"text/background": 15.0}, "dark": {"text/background": 14.0}})

    objects = {"proposed": palette("proposed", 0), "submitted": palette("submitted", 1),
               "approved": palette("approved", 2), "active": palette("active", 3)}
    learner = UserFactory(username="learner-x")
    return {
        "anonymous": None,
        "learner": learner,
        **_commerce_objects(learner, course),
        **_learning_objects(learner, course),
        **_engagement_objects(learner, course),
        "creator_a": CreatorFactory(username="creator-a"),
        "creator_b": creator_b,
        "staff": StaffFactory(username="staff-x"),
        "storefront": storefront, "course": course, "job": job, **objects,
        "case": _moderation_case(course),
    }


def _commerce_objects(learner, course) -> dict:
    """The learner's paid order of the course (with a refund requested) and a coupon of its storefront."""
    from decimal import Decimal

    from courseplatform.commerce import refunds
    from courseplatform.commerce import services as commerce
    from courseplatform.commerce.models import Coupon

    order = commerce.checkout_start(learner=learner, course=course)
    commerce.payment_succeeded(payment=commerce.payment_for(order, "dummy"), amount=order.amount,
                               currency=order.currency)
    order.refresh_from_db()
    refund = refunds.refund_request(order=order, learner=learner)
    coupon = Coupon.objects.create(storefront=course.storefront, code="WORLD", kind="percent", value=Decimal("10"))
    return {"order": order, "refund": refund, "coupon": coupon}


def _learning_objects(learner, course) -> dict:
    """A free course of the same storefront the learner is enrolled in (the paid one is refunded) with a video
    lesson (a file, captions) and a quiz question; the learner's certificate."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from courseplatform.catalog.services import enroll
    from courseplatform.learning.models import Certificate, Choice, Lesson, Question, Section

    free = CourseFactory(storefront=course.storefront, price=0, title="Free course")
    enroll(learner=learner, course=free)
    section = Section.objects.create(course=free, title="Section")
    lesson = Lesson(section=section, title="Video", kind="video", duration_s=60)
    lesson.video.save("world.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64), save=False)
    lesson.captions.save("world.vtt", ContentFile(b"WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n"), save=False)
    lesson.save()
    question = Question.objects.create(lesson=lesson, text="Q?")
    Choice.objects.create(question=question, text="A", correct=True)
    certificate = Certificate.objects.create(learner=learner, course=course, learner_name="Learner X",
                                             course_title=course.title, issued_at=timezone.now())
    return {"section": section, "lesson": lesson, "question": question, "certificate": certificate}


def _engagement_objects(learner, course) -> dict:
    """A poll, a challenge and a reward of the storefront (courseplatform/engagement)."""
    from datetime import timedelta

    from django.utils import timezone

    from courseplatform.engagement import services as engagement

    owner = course.storefront.owner
    poll = engagement.poll_create(storefront=course.storefront, actor=owner, question="Q?", options=["A", "B"],
                                  course=course)
    challenge = engagement.challenge_create(storefront=course.storefront, actor=owner, title="C", goal="lessons",
                                            target=2, ends_at=timezone.now() + timedelta(days=7))
    offer = engagement.offer_create(storefront=course.storefront, actor=owner, title="R", points_cost=10,
                                    percent_off=10)
    return {"poll": poll, "challenge": challenge, "offer": offer}


def _moderation_case(course):
    """A report on the course by an account outside the roles (so every role may still report it)."""
    from courseplatform.moderation.services import report_submit

    report, _created = report_submit(reporter=UserFactory(username="reporter-x"), kind="course", content=course,
                                     reason="spam", note="World report")
    return report.case
