"""Reads never write: every main page renders with no INSERT, UPDATE or DELETE from template rendering, plugin
hooks or selectors (tests/readonly.py). What a page shows is still logged, by explicit service calls: the feed's
impressions after the response is rendered, an A/B test's exposure by the view before it renders."""

import pytest
from django.test import Client
from django.urls import reverse

from courseplatform import hooks
from courseplatform.catalog.models import Course
from courseplatform.events.models import EventType, Interaction
from courseplatform.experiments import services as experiments
from courseplatform.pages import services as pages
from tests.experiments.conftest import BRIEF, DARK, LIGHT, LIGHT_B
from tests.factories import CourseFactory, EnrollmentFactory, UserFactory
from tests.readonly import reads_never_write
from themes.models import Palette, PaletteJob

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _palette(storefront, colors, status):
    job = PaletteJob.objects.create(storefront=storefront, brief=BRIEF, brief_hash="r" * 64)
    return Palette.objects.create(storefront=storefront, job=job, rank=0, colors=colors, dark=DARK, status=status,
                                  scores={"U": 2.5, "H": 0.8, "V": 0.9, "B": 0.9},
                                  contrast={"light": {"text/background": 15.0}})


@pytest.fixture
def site(storefront, creator, course, learner, staff):
    """A storefront with courses, a learner enrolled in one, a running palette A/B test, and a second storefront
    whose published page shows the visitor's recommendations."""
    others = [CourseFactory(storefront=storefront, category=course.category) for _ in range(3)]
    EnrollmentFactory(learner=learner, course=others[0])
    arms = [_palette(storefront, LIGHT, "active"), _palette(storefront, LIGHT_B, "approved")]
    experiment = experiments.experiment_create(storefront=storefront, actor=creator, name="A/B", kind="palette",
                                               arms=[str(p.pk) for p in arms], baseline_rate=0.1,
                                               minimum_detectable_effect=0.05)
    experiments.experiment_start(experiment=experiment, actor=creator)
    composed = CourseFactory().storefront
    section = pages.section_add(storefront=composed, actor=composed.owner, section_type="featured")
    pages.section_update(storefront=composed, actor=composed.owner, section_id=section["id"],
                         data={"mode": "recommended", "limit": 2})
    pages.page_publish(storefront=composed, actor=composed.owner)
    return {"storefront": storefront, "course": course, "composed": composed, "creator": creator,
            "learner": learner, "staff": staff, "experiment": experiment}


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _pages(site) -> dict[str, list[str]]:
    s, c, composed = site["storefront"], site["course"], site["composed"]
    public = [reverse("catalog:home"), reverse("catalog:home") + "?q=python", s.get_absolute_url(),
              composed.get_absolute_url(), c.get_absolute_url(), reverse("themes:style_guide", args=[s.slug]),
              "/api/feed", "/api/docs", "/api/schema", reverse("search:results") + "?q=python"]
    return {
        "anonymous": public,
        "learner": [*public, reverse("catalog:my_learning"), reverse("commerce:orders"), reverse("search:wishlist")],
        "creator": [reverse("catalog:studio"), reverse("catalog:studio_storefront", args=[s.slug]),
                    reverse("catalog:studio_course_new", args=[s.slug]), reverse("catalog:studio_course", args=[c.pk]),
                    reverse("pages:editor", args=[s.slug]), reverse("pages:preview", args=[s.slug]),
                    reverse("themes:palette_studio", args=[s.slug]), reverse("experiments:list", args=[s.slug]),
                    reverse("experiments:detail", args=[s.slug, site["experiment"].pk]),
                    reverse("experiments:analytics", args=[s.slug]), reverse("commerce:sales", args=[s.slug]),
                    reverse("commerce:coupons", args=[s.slug]), reverse("commerce:statement", args=[s.slug]),
                    s.get_absolute_url(), c.get_absolute_url()],
        "staff": [reverse("recommender_staff:dashboard"), reverse("themes:review_queue"), reverse("search:analytics"),
                  reverse("catalog:home")],
    }


def test_every_main_page_renders_without_writing(site, monkeypatch):
    users = {"anonymous": None, "learner": site["learner"], "creator": site["creator"], "staff": site["staff"]}
    with reads_never_write(monkeypatch) as guard:
        for role, urls in _pages(site).items():
            client = _client(users[role])
            for url in urls:
                response = client.get(url)
                assert response.status_code == 200, (role, url, response.status_code)
    assert guard.writes == []


def test_what_pages_show_is_still_logged_outside_rendering(site, monkeypatch):
    learner, course, storefront = site["learner"], site["course"], site["storefront"]
    with reads_never_write(monkeypatch) as guard:
        _client(learner).get(reverse("catalog:home"))
        anonymous = _client()
        anonymous.get(course.get_absolute_url())  # starts the session (not yet a counted visitor)
        anonymous.get(course.get_absolute_url())  # back with the cookie: exposures are logged
        anonymous.get(site["composed"].get_absolute_url())
    assert guard.writes == []
    home = Interaction.objects.filter(user=learner, surface="home", type=EventType.IMPRESSION)
    assert home.exists() and sorted(home.values_list("position", flat=True))[0] == 1
    tag = site["experiment"].tag
    exposure = Interaction.objects.filter(course=course, experiment=tag, user__isnull=True).exclude(session_key="")
    assert set(exposure.values_list("type", flat=True)) == {EventType.IMPRESSION, EventType.VIEW}
    assert anonymous.session.session_key == exposure.first().session_key  # the session the first view started
    assert storefront.pk != site["composed"].pk


def test_the_check_catches_a_hook_that_writes(site, monkeypatch):
    course = site["course"]

    class WritingPanel:
        @hooks.hookimpl
        def home_panels(self, request):
            Interaction.objects.create(user=None, session_key="x", course=course, type=EventType.VIEW,
                                       ts=course.created_at)
            return ""

    with hooks.plugin_registered(WritingPanel()), reads_never_write(monkeypatch) as guard:
        _client().get(reverse("catalog:home"))
    assert [label for label, _sql in guard.writes] == ["hook call"]
    assert "INSERT" in guard.writes[0][1].upper()


def test_a_new_learners_first_enrolment_is_tagged_with_the_variant_they_saw(site):
    Course.objects.filter(pk=site["course"].pk).update(price=0)  # free: enrolment without checkout
    newcomer = UserFactory()
    client = _client(newcomer)
    client.get(site["course"].get_absolute_url())
    client.post(reverse("catalog:course_enroll", args=[site["course"].pk]))
    enrol = Interaction.objects.get(user=newcomer, type=EventType.ENROLL)
    seen = Interaction.objects.filter(user=newcomer, type=EventType.VIEW).first()
    assert enrol.experiment == site["experiment"].tag and enrol.variant == seen.variant != ""
