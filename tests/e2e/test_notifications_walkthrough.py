"""A palette approved in the review queue reaches its creator in the notification centre and by e-mail (a real
worker delivers it to a real local SMTP server); the mail's unsubscribe link stops that kind of mail, while the
centre still shows it. Headless Chromium, keyboard where a user would use it."""

import re
import time

import pytest

from courseplatform.notifications import kinds
from courseplatform.notifications.models import Notification, OutboxEmail
from tests import smtp
from tests.conftest import log_in, wait_for
from themes.models import Palette, PaletteJob

pytestmark = [pytest.mark.e2e, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

smtp_inbox = smtp.smtp_inbox  # the real local SMTP server (fixture)
COLORS = {"background": "#fafafa", "surface": "#eceff1", "text": "#212121", "primary": "#1e88e5",
          "secondary": "#455a64", "accent": "#d81b60"}


def submitted_palette(storefront, creator, rank: int) -> Palette:
    job = PaletteJob.objects.create(storefront=storefront, requested_by=creator, brief={"k": 6},
                                    brief_hash=f"{rank:064d}", status="succeeded", progress=1.0, attempts=1)
    return Palette.objects.create(storefront=storefront, job=job, rank=rank, colors=COLORS, dark=COLORS,
                                  status="submitted", scores={"U": 2.0}, contrast={})


def approve_first_in_queue(page, base: str) -> None:
    page.goto(f"{base}/staff/palettes/")
    page.fill("section.review-item textarea[name=note]", "Good contrast, on brand.")
    page.click("section.review-item button[type=submit]:not(.secondary)")
    page.wait_for_load_state("networkidle")


def test_palette_approval_notifies_in_app_and_by_mail_and_unsubscribe_stops_that_kind(
        start_worker, live_server, new_page, screenshot_dir, settings, smtp_inbox, creator, reviewer, storefront):
    settings.SITE_URL = live_server.url
    start_worker("default", pool="solo",
                 extra_env={"EMAIL_URL": f"smtp://{settings.EMAIL_HOST}:{settings.EMAIL_PORT}"})
    base = live_server.url
    first = submitted_palette(storefront, creator, 0)

    reviewer_page = new_page()
    log_in(reviewer_page, base, reviewer.username)
    approve_first_in_queue(reviewer_page, base)
    first.refresh_from_db()
    assert first.status == "approved"

    # In-app: the header counts it; the centre is reached and read by keyboard.
    page = new_page()
    log_in(page, base, creator.username)
    link = page.locator("a.notifications-link")
    assert "1 unread" in link.inner_text()
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/notifications/")
    assert "was approved" in page.locator(".notification").first.inner_text()
    # laid out as cards: no bullet indent, the text inset from the card's edge
    card = page.locator(".notification").first
    assert card.evaluate("e => getComputedStyle(e.parentElement).paddingLeft") == "0px"
    assert card.evaluate("e => parseFloat(getComputedStyle(e).paddingLeft)") > 0
    page.screenshot(path=str(screenshot_dir / "notifications-centre.png"), full_page=True)

    # E-mail: delivered by the worker to the SMTP server, with its unsubscribe link.
    mail, = smtp_inbox.wait_for(1, timeout=60)
    assert mail["To"] == creator.email and "approved" in mail.get_body(preferencelist=("plain",)).get_content()
    text = mail.get_body(preferencelist=("plain",)).get_content()
    unsubscribe = re.search(re.escape(base) + r"/notifications/unsubscribe/[^/\s]+/", text).group(0)
    assert mail["List-Unsubscribe"].strip() == f"<{unsubscribe}>"

    # Unsubscribe from the link: the page asks, the button (pressed by keyboard) confirms.
    page.goto(unsubscribe)
    page.locator("main button[type=submit]").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "no more e-mails" in page.locator("main").inner_text()

    # The next approval: in the centre, and no mail.
    submitted_palette(storefront, creator, 1)
    approve_first_in_queue(reviewer_page, base)
    wait_for(lambda: Notification.objects.filter(user=creator, kind=kinds.PALETTE_REVIEWED).count() == 2,
             timeout=30)
    page.goto(f"{base}/notifications/")
    assert page.locator(".notification.unread").count() == 2
    assert OutboxEmail.objects.filter(user=creator).count() == 1
    time.sleep(3)  # the worker is idle: a mail it were to send would have arrived
    assert len(smtp_inbox.messages) == 1

    page.locator("form[action$='/notifications/read-all/'] button").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".notification.unread").count() == 0
    assert "unread" not in page.locator("a.notifications-link").inner_text()
    for p in (page, reviewer_page):
        assert p.csp_violations == [], p.csp_violations
