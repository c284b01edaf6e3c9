"""Shared helpers of the accessibility browser tests: axe-core (npm, tests/e2e/axe/) and a seeded marketplace.

axe-core is injected with an init script (the DevTools protocol, not a <script> tag), so the pages keep their
Content-Security-Policy and nothing has to be allowed for the test.
"""

import os
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from courseplatform.catalog import services as catalog_services
from courseplatform.catalog.models import Review
from courseplatform.engagement import services as engagement
from courseplatform.notifications import kinds as notification_kinds
from courseplatform.notifications import services as notifications
from courseplatform.pages import services as pages
from recommender import services as recommender_services
from recommender.models import ModelVersion
from tests.factories import (
    CategoryFactory,
    CourseFactory,
    CreatorFactory,
    StaffFactory,
    StorefrontFactory,
    UserFactory,
)
from themes import services
from themes.models import PaletteJob

AXE_DIR = Path(__file__).resolve().parent / "axe"
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "pw-for-tests-123"
#: axe impacts, worst first; serious and critical fail the suite, moderate and minor are reported
IMPACTS = ("critical", "serious", "moderate", "minor")
BLOCKING = ("critical", "serious")

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({id: v.id, impact: v.impact || "minor", help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: (n.failureSummary || "").slice(0, 300)}))}));
}"""


def axe_source() -> str:
    """The axe-core script; a missing install fails (never skips) unless SKIP_BROWSER is set."""
    if not AXE_JS.exists():
        message = f"axe-core is not installed: run `npm ci --prefix {AXE_DIR}`"
        if os.environ.get("SKIP_BROWSER"):
            pytest.skip(message + " (SKIP_BROWSER is set)")
        pytest.fail(message)
    return AXE_JS.read_text()


def axe_context(browser, *, scheme: str = "light", locale: str = "en-US", width: int = 1280, height: int = 900):
    context = browser.new_context(viewport={"width": width, "height": height}, locale=locale, color_scheme=scheme)
    context.add_init_script(script=axe_source())
    return context


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")


def run_axe(page) -> list[dict]:
    page.wait_for_load_state("networkidle")
    return page.evaluate(RUN_AXE)


def counts(violations: list[dict]) -> dict[str, int]:
    """Violating nodes per impact (what the issue's counts are)."""
    out = dict.fromkeys(IMPACTS, 0)
    for v in violations:
        out[v["impact"]] += len(v["nodes"])
    return out


@dataclass
class World:
    creator: object
    learner: object
    reviewer: object
    storefront: object
    zh_storefront: object
    course: object
    job: object
    submitted: object
    active: object
    about_section_id: str = ""
    challenge: object = None
    poll: object = None
    courses: list = field(default_factory=list)


def seed_world() -> World:
    """A themed storefront with a real engine palette (the issue's green: primary #2e7d32 reaches only ~4.4:1 on
    the light surface and ~3:1 on the dark one), a published page with every section, a palette job with three
    candidates (one active, one waiting for review), a Chinese storefront, enrolments and reviews."""
    creator = CreatorFactory(username="ada")
    learner = UserFactory(username="learner1")
    reviewer = StaffFactory(username="reviewer", is_superuser=False)
    reviewer.user_permissions.add(Permission.objects.get(codename="approve_palette"))
    storefront = StorefrontFactory(owner=creator, name="Green Studio", slug="green-studio",
                                   tagline="Grow calm, useful skills", brand_colors=["#2e7d32"],
                                   brand_keywords=["nature", "calm"])
    data = CategoryFactory(slug="data", name="Data")
    design = CategoryFactory(slug="design", name="Design")
    # the first three are free (enrolment without checkout), the fourth is paid ("Buy for …")
    courses = [CourseFactory(storefront=storefront, title=title, category=cat, description="Hands-on lessons.",
                             price=Decimal(price))
               for title, cat, price in (("Practical Machine Learning", data, "0"), ("Gardening with Data", data, "0"),
                                         ("Calm Interfaces", design, "0"), ("Colour for the Web", design, "19"))]
    courses.append(CourseFactory(storefront=storefront, title="数据可视化实战", subtitle="用 Python 讲好数据故事",
                                 language="zh-hans", category=data))
    zh_creator = CreatorFactory(username="lin")
    zh_storefront = StorefrontFactory(owner=zh_creator, name="林老师的课堂", slug="lin", tagline="从零开始")
    CourseFactory(storefront=zh_storefront, title="自然冥想入门", subtitle="每天十分钟", language="zh-hans",
                  category=design, price=Decimal("0"))

    brief = {"brand_colors": ["#2e7d32"], "locks": [["#2e7d32", "primary"]], "keywords": "nature, calm", "k": 6,
             "alpha": 1.0, "beta": 1.0, "gamma": 1.0, "candidates": 3, "seed": 0, "starts": 64, "steps": 15}
    job = PaletteJob.objects.create(storefront=storefront, requested_by=creator, brief=brief,
                                    brief_hash=services.brief_hash(brief))
    services.palette_job_execute(job.pk, "cpu")
    first, second, _third = list(job.palettes.order_by("rank"))
    services.palette_submit(palette=first, actor=creator)
    services.palette_approve(palette=first, actor=reviewer, note="On brand.")
    services.palette_activate(palette=first, actor=creator)
    services.palette_submit(palette=second, actor=creator)

    about_section_id = ""
    for section_type in ("hero", "featured", "course_grid", "about", "testimonials", "faq", "newsletter"):
        section = pages.section_add(storefront=storefront, actor=creator, section_type=section_type)
        if section_type == "about":
            about_section_id = section["id"]
            pages.section_update(storefront=storefront, actor=creator, section_id=section["id"], data={
                **section["data"], "body": '<p>I teach data and design. <a href="/">Read my notes</a>.</p>'})
        if section_type == "hero":
            pages.section_update(storefront=storefront, actor=creator, section_id=section["id"], data={
                **section["data"], "cta_label": "Browse courses", "cta_url": "/s/green-studio/"})
        if section_type == "newsletter":
            pages.section_update(storefront=storefront, actor=creator, section_id=section["id"], data={
                **section["data"], "contact_email": "ada@example.com"})
    pages.page_publish(storefront=storefront, actor=creator)

    for course in courses[:2]:
        course.price = Decimal("0")  # enrolled without an order (paid courses enrol once bought: commerce)
        course.save(update_fields=["price"])
        catalog_services.enroll(learner=learner, course=course)
    Review.objects.create(course=courses[0], learner=learner, rating=5, text="Clear and kind.")
    # engagement: a poll on the course page (the learner voted: results show), a challenge they joined, a reward
    poll = engagement.poll_create(storefront=storefront, actor=creator, question="Which topic next?",
                                  options=["Testing", "Deployment"], course=courses[0])
    engagement.poll_vote(poll=poll, option_id=poll.options.first().pk, learner=learner)
    engagement.poll_create(storefront=storefront, actor=creator, question="Favourite format?",
                           options=["Video", "Text"], course=courses[1])
    challenge = engagement.challenge_create(storefront=storefront, actor=creator, title="Three lessons this week",
                                            goal="lessons", target=3, ends_at=timezone.now() + timedelta(days=7))
    engagement.challenge_join(challenge=challenge, learner=learner, on_leaderboard=True)
    engagement.offer_create(storefront=storefront, actor=creator, title="20% off", points_cost=100, percent_off=20)
    # two model versions and a running interleaving test of them (shown with its results on the recommender page)
    versions = [ModelVersion.objects.create(algorithm=name, metrics={"ndcg@10": 0.1}, artifact_dir="/nonexistent",
                                            sha256="0" * 64, feed_count=1) for name in ("ease", "itemknn")]
    recommender_services.interleaving_start(version_a=versions[0], version_b=versions[1], actor=reviewer)
    # the creator's notification centre (one unread, one read); the learner follows the creator
    for key, approved in (("seed:1", False), ("seed:2", True)):
        notifications.notify(creator, notification_kinds.PALETTE_REVIEWED, key=key,
                             params={"storefront": storefront.name, "approved": approved, "note": "Too pale"},
                             url=f"/studio/storefronts/{storefront.slug}/palettes/")
    notifications.mark_read(user=creator, notification_id=creator.notifications.get(key="seed:1").pk)
    notifications.follow(follower=learner, creator=creator)
    return World(creator=creator, learner=learner, reviewer=reviewer, storefront=storefront,
                 zh_storefront=zh_storefront, course=courses[0], job=job, submitted=second, active=first,
                 courses=courses, about_section_id=about_section_id, challenge=challenge, poll=poll)
