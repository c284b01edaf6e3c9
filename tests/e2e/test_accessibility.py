"""axe-core (npm, tests/e2e/axe/) over every main page in headless Chromium: no serious or critical violation.

The test prints a table of violating nodes per page and impact (moderate and minor included) for the record.
Run alone: ``pytest tests/e2e/test_accessibility.py -s``.
"""

import pytest

from courseplatform.notifications.tokens import unsubscribe_token
from tests.e2e.accessibility import BLOCKING, IMPACTS, axe_context, counts, log_in, run_axe, seed_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def pages_to_check(world) -> list[tuple[str, str | None, str, str]]:
    """(name, who is logged in, colour scheme, path)."""
    slug, zh = world.storefront.slug, world.zh_storefront.slug
    return [
        ("home / catalogue (anonymous)", None, "light", "/"),
        ("sign-up", None, "light", "/accounts/signup/"),
        ("log-in", None, "light", "/accounts/login/"),
        ("themed storefront, light", None, "light", f"/s/{slug}/"),
        ("themed storefront, dark", None, "dark", f"/s/{slug}/"),
        ("course page, light", None, "light", f"/courses/{world.course.pk}/"),
        ("course page, dark", None, "dark", f"/courses/{world.course.pk}/"),
        ("paid course page", None, "light", f"/courses/{world.courses[3].pk}/"),
        ("style guide, light", None, "light", f"/s/{slug}/style-guide/"),
        ("style guide, dark", None, "dark", f"/s/{slug}/style-guide/"),
        ("Chinese home (zh-hans)", None, "light", "/zh-hans/"),
        ("Chinese storefront (zh-hans)", None, "light", f"/zh-hans/s/{zh}/"),
        ("404 page", None, "light", "/no-such-page/"),
        ("feed (learner home)", "learner", "light", "/"),
        ("course page, enrolled learner", "learner", "light", f"/courses/{world.course.pk}/"),
        ("403 page (learner on the review queue)", "learner", "light", "/staff/palettes/"),
        ("My learning", "learner", "light", "/learning/"),
        ("Chinese My learning (zh-hans)", "learner", "light", "/zh-hans/learning/"),
        ("studio", "creator", "light", "/studio/"),
        ("studio: storefront settings", "creator", "light", f"/studio/storefronts/{slug}/"),
        ("studio: course form", "creator", "light", f"/studio/courses/{world.course.pk}/"),
        ("studio: page builder", "creator", "light", f"/studio/storefronts/{slug}/page/"),
        ("studio: section editor (about)", "creator", "light",
         f"/studio/storefronts/{slug}/page/sections/{world.about_section_id}/"),
        ("studio: page preview", "creator", "light", f"/studio/storefronts/{slug}/page/preview/"),
        ("studio: new storefront", "creator", "light", "/studio/storefronts/new/"),
        ("studio: new course", "creator", "light", f"/studio/storefronts/{slug}/courses/new/"),
        ("studio: A/B tests", "creator", "light", f"/studio/storefronts/{slug}/experiments/"),
        ("studio: analytics", "creator", "light", f"/studio/storefronts/{slug}/analytics/"),
        ("studio: palettes", "creator", "light", f"/studio/storefronts/{slug}/palettes/"),
        ("palette job", "creator", "light", f"/studio/palette-jobs/{world.job.pk}/"),
        ("palette job, dark", "creator", "dark", f"/studio/palette-jobs/{world.job.pk}/"),
        ("palette compare (two candidates)", "creator", "light",
         f"/studio/palette-jobs/{world.job.pk}/compare/?ids={world.active.pk}&ids={world.submitted.pk}"),
        ("poll page (anonymous)", None, "light", f"/polls/{world.poll.pk}/"),
        ("challenge page (anonymous)", None, "light", f"/challenges/{world.challenge.pk}/"),
        ("course page with a poll to vote in", "learner", "light", f"/courses/{world.courses[1].pk}/"),
        ("challenge page, joined", "learner", "light", f"/challenges/{world.challenge.pk}/"),
        ("points and badges", "learner", "light", "/me/points/"),
        ("studio: engagement", "creator", "light", f"/studio/storefronts/{slug}/engagement/"),
        ("studio: participation", "creator", "light", f"/studio/storefronts/{slug}/participation/"),
        ("review queue", "reviewer", "light", "/staff/palettes/"),
        ("recommender staff page (interleaving test)", "reviewer", "light", "/staff/recommender/"),
        ("notification centre", "creator", "light", "/notifications/"),
        ("notification centre, dark", "creator", "dark", "/notifications/"),
        ("notification settings (a learner following a creator)", "learner", "light", "/notifications/settings/"),
        ("unsubscribe link", None, "light",
         f"/notifications/unsubscribe/{unsubscribe_token(world.creator.pk, 'palette_reviewed')}/"),
        ("newsletter confirmation link", None, "light", "/newsletter/confirm/from-a-mail/"),
    ]


#: pages checked again at a phone's width (375 px): tables scroll there, so their scroll boxes must be focusable
PHONE_PAGES = ("home / catalogue (anonymous)", "themed storefront, light", "course page, enrolled learner",
               "My learning", "studio", "studio: page builder", "studio: palettes", "palette job",
               "palette compare (two candidates)", "review queue", "style guide, light", "404 page")


def check_pages(live_server, browser, world, pages, *, width: int = 1280) -> list[tuple[str, dict, list]]:
    """Run axe on each page (one browser context per user and colour scheme); print the table; return it."""
    users = {"learner": world.learner, "creator": world.creator, "reviewer": world.reviewer}
    contexts: dict[tuple, object] = {}
    report: list[tuple[str, dict, list]] = []
    try:
        for name, who, scheme, path in pages:
            key = (who, scheme)
            if key not in contexts:
                contexts[key] = axe_context(browser, scheme=scheme, width=width)
                if who:
                    log_in(contexts[key].new_page(), live_server.url, users[who].username)
            page = contexts[key].pages[0] if contexts[key].pages else contexts[key].new_page()
            response = page.goto(live_server.url + path)
            assert response is not None and response.status in (200, 403, 404), (name, response and response.status)
            violations = run_axe(page)
            report.append((name, counts(violations), violations))
    finally:
        for context in contexts.values():
            context.close()
    column = max(len(name) for name, _c, _v in report)
    print(f"\naxe-core violations (nodes) per page, {width} px wide")
    print(f"{'page':{column}}  " + "  ".join(f"{i:>8}" for i in IMPACTS) + "  rules")
    for name, count, violations in report:
        rules = ", ".join(sorted({f"{v['id']}({v['impact']})" for v in violations})) or "-"
        print(f"{name:{column}}  " + "  ".join(f"{count[i]:>8}" for i in IMPACTS) + f"  {rules}")
    return report


def blocking(report) -> list[str]:
    return [f"{name}: {v['id']} ({v['impact']}) {v['help']} at {[n['target'] for n in v['nodes'][:5]]} — "
            f"{v['nodes'][0]['summary']}"
            for name, _count, violations in report for v in violations if v["impact"] in BLOCKING]


def test_every_main_page_has_no_serious_or_critical_axe_violation(live_server, browser):
    world = seed_world()
    problems = blocking(check_pages(live_server, browser, world, pages_to_check(world)))
    assert not problems, "\n".join(problems)


def test_main_pages_at_a_phones_width_have_no_serious_or_critical_axe_violation(live_server, browser):
    world = seed_world()
    pages = [p for p in pages_to_check(world) if p[0] in PHONE_PAGES]
    assert len(pages) == len(PHONE_PAGES)
    problems = blocking(check_pages(live_server, browser, world, pages, width=375))
    assert not problems, "\n".join(problems)
