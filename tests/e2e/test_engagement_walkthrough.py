"""Issue 15 in headless Chromium: the creator sets up a poll, a challenge and a reward in the studio; a learner
votes on the course page, joins the challenge, completes it by completing lessons (the server records each
completion), earns points and the challenge's badge, redeems the points for a coupon and pays less at checkout
(the dummy payment provider); the creator sees the participation chart and table. axe-core checks each new
page (no serious or critical violation)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from courseplatform.commerce.models import Order
from courseplatform.engagement.models import (
    ChallengeParticipant,
    LearnerBadge,
    PointsAccount,
    PollVote,
    Redemption,
)
from courseplatform.learning.models import Lesson, Section
from tests.conftest import log_in
from tests.e2e.accessibility import BLOCKING, axe_source, run_axe
from tests.factories import CourseFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _axe(page, name: str, problems: list) -> None:
    problems += [f"{name}: {v['id']} ({v['impact']}) {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
                 for v in run_axe(page) if v["impact"] in BLOCKING]


def test_learner_votes_completes_a_challenge_redeems_points_and_pays_less(
        live_server, new_page, screenshot_dir, creator, learner, storefront, settings):
    settings.COMMERCE_PAYMENT_VARIANT = "dummy"
    learner.display_name = "Ada L."
    learner.save()
    warmup = CourseFactory(storefront=storefront, title="Warm-up", price=Decimal("0"), currency="USD")
    section = Section.objects.create(course=warmup, title="Start")
    lessons = [Lesson.objects.create(section=section, title=f"Step {i}", kind="text", body=f"<p>Step {i}</p>",
                                     position=i) for i in range(1, 4)]
    pro = CourseFactory(storefront=storefront, title="Pro course", price=Decimal("50.00"), currency="USD")
    base, slug = live_server.url, storefront.slug
    problems: list[str] = []

    # Creator: a poll on the warm-up's page, a three-lesson challenge, a reward of 20 % for 100 points
    cp = new_page()
    cp.context.add_init_script(script=axe_source())
    log_in(cp, base, creator.username)
    cp.goto(f"{base}/studio/storefronts/{slug}/engagement/")
    _axe(cp, "studio: engagement", problems)
    cp.fill("#id_poll-question", "Which topic next?")
    cp.fill("#id_poll-options", "Testing\nDeployment\nSecurity")
    cp.select_option("#id_poll-course", label="Warm-up")
    cp.click("form:has(input[value=poll]) button[type=submit]")
    cp.wait_for_load_state("networkidle")
    cp.fill("#id_challenge-title", "Three steps this week")
    cp.select_option("#id_challenge-goal", "lessons")
    cp.select_option("#id_challenge-course", label="Warm-up")
    cp.fill("#id_challenge-target", "3")
    cp.fill("#id_challenge-ends_at", (timezone.localtime() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"))
    # the deadline field is styled like the form's other fields (it was a bare native input)
    def box(selector):
        return cp.locator(selector).evaluate("e => [getComputedStyle(e).paddingLeft, getComputedStyle(e).borderRadius]")
    assert box("#id_challenge-ends_at") == box("#id_challenge-title")
    cp.fill("#id_challenge-points", "100")
    cp.click("form:has(input[value=challenge]) button[type=submit]")
    cp.wait_for_load_state("networkidle")
    cp.fill("#id_offer-title", "20% off any course")
    cp.fill("#id_offer-points_cost", "100")
    cp.fill("#id_offer-percent_off", "20")
    cp.click("form:has(input[value=offer]) button[type=submit]")
    cp.wait_for_load_state("networkidle")
    assert "Reward created." in cp.content()
    assert storefront.polls.count() == storefront.challenges.count() == storefront.reward_offers.count() == 1
    challenge = storefront.challenges.get()

    # Learner: vote on the course page, then the results show
    lp = new_page()
    lp.context.add_init_script(script=axe_source())
    log_in(lp, base, learner.username)
    lp.goto(f"{base}{warmup.get_absolute_url()}")
    _axe(lp, "course page with a poll", problems)
    lp.check("label:has-text('Deployment') input")
    lp.get_by_role("button", name="Vote").click()
    lp.wait_for_load_state("networkidle")
    assert "Thank you for voting." in lp.content() and "1 vote in all" in lp.content()
    _axe(lp, "course page, poll results", problems)
    assert PollVote.objects.get(learner=learner).option.text == "Deployment"

    # enrol, join the challenge (on the leaderboard), complete the three lessons
    lp.get_by_role("button", name="Enrol now").click()
    lp.wait_for_load_state("networkidle")
    lp.get_by_role("link", name="Three steps this week").click()
    lp.wait_for_load_state("networkidle")
    _axe(lp, "challenge page (not joined)", problems)
    lp.check("input[name=on_leaderboard]")
    lp.get_by_role("button", name="Join the challenge").click()
    lp.wait_for_load_state("networkidle")
    assert "You joined the challenge." in lp.content()
    for lesson in lessons:
        lp.goto(f"{base}/lessons/{lesson.pk}/")
        lp.click("text=Mark lesson as complete")
        lp.wait_for_load_state("networkidle")
    lp.goto(f"{base}/challenges/{challenge.pk}/")
    assert "3 / 3" in lp.content() and "Ada L." in lp.locator("table").inner_text()
    _axe(lp, "challenge page (completed, leaderboard)", problems)
    participant = ChallengeParticipant.objects.get(challenge=challenge, learner=learner)
    assert participant.completed_at is not None
    assert LearnerBadge.objects.filter(learner=learner, badge=challenge.badge).exists()
    assert PointsAccount.objects.get(learner=learner).balance == 3 * 10 + 100

    # points and badge on the learner's page; redeem the reward
    lp.goto(f"{base}/learning/")
    lp.get_by_role("link", name="Points and badges").click()
    lp.wait_for_load_state("networkidle")
    assert lp.locator("#points-balance").inner_text() == "130"
    assert "Three steps this week" in lp.locator("ul.badges").inner_text()
    _axe(lp, "points and badges", problems)
    lp.get_by_role("button", name="Redeem 20% off any course").click()
    lp.wait_for_load_state("networkidle")
    code = Redemption.objects.get(learner=learner).coupon.code
    assert code in lp.locator("strong.coupon-code").inner_text()
    assert lp.locator("#points-balance").inner_text() == "30"
    # 30 points left for a 100-point reward: its button is disabled and does not look like an enabled one
    redeem = lp.get_by_role("button", name="Redeem 20% off any course")
    assert redeem.is_disabled()
    enabled_bg = lp.evaluate("""() => { const b = document.createElement('button'); document.querySelector('main').append(b);
                                  const bg = getComputedStyle(b).backgroundColor; b.remove(); return bg; }""")
    assert redeem.evaluate("e => getComputedStyle(e).backgroundColor") != enabled_bg
    lp.screenshot(path=str(screenshot_dir / "engagement-points.png"), full_page=True)

    # checkout of the paid course with the coupon: 50.00 less 20 % = 40.00, paid with the dummy provider
    lp.goto(f"{base}{pro.get_absolute_url()}")
    lp.get_by_role("link", name="Buy for").click()
    lp.wait_for_load_state("networkidle")
    lp.fill("input[name=coupon]", code)
    lp.get_by_role("button", name="Continue to payment").click()
    lp.wait_for_load_state("networkidle")
    lp.get_by_role("button", name="Pay (test payment succeeds)").click()
    lp.wait_for_load_state("networkidle")
    order = Order.objects.get(learner=learner, course=pro)
    assert order.status == "paid" and order.amount == Decimal("40.00") and order.discount == Decimal("10.00")
    assert lp.csp_violations == []

    # Creator: participation chart and table
    cp.goto(f"{base}/studio/storefronts/{slug}/analytics/")
    cp.get_by_role("link", name="Participation analytics").click()
    cp.wait_for_load_state("networkidle")
    assert cp.evaluate("() => document.querySelector('img.chart').complete && "
                       "document.querySelector('img.chart').naturalWidth > 0")
    table = cp.locator("table").inner_text()
    assert "Challenges" in table and "Polls" in table and "Rewards" in table
    _axe(cp, "participation analytics", problems)
    cp.screenshot(path=str(screenshot_dir / "engagement-participation.png"), full_page=True)
    assert cp.csp_violations == []
    assert not problems, "\n".join(problems)
