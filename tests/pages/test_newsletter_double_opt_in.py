"""Newsletter double opt-in (issue 22): a sign-up mails a signed, expiring confirmation link (read here from a
real local SMTP server); only confirmed addresses count; forged, tampered and expired links are refused."""

import re
import time
from unittest import mock

import pytest
from django.core import signing
from django.urls import reverse

from courseplatform.notifications import services as outbox
from courseplatform.notifications.models import OutboxEmail, OutboxStatus
from courseplatform.pages import newsletter, selectors
from courseplatform.pages.models import NewsletterSignup
from tests import smtp

pytestmark = pytest.mark.django_db
smtp_inbox = smtp.smtp_inbox  # the real local SMTP server (fixture)


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "http://testserver"


def deliver() -> None:
    for pk in OutboxEmail.objects.filter(status=OutboxStatus.PENDING).values_list("pk", flat=True):
        outbox.outbox_deliver(pk)


def sign_up(client, storefront, email="fan@example.com", prefix=""):
    return client.post(f"{prefix}{reverse('pages:newsletter_signup', args=[storefront.slug])}", {"email": email},
                       follow=True)


def confirm_link(mail) -> str:
    text = mail.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"http://testserver((?:/zh-hans)?/newsletter/confirm/[^/\s]+/)", text).group(1)


def test_a_sign_up_counts_only_after_its_mailed_link_is_confirmed(client, storefront, build_page, smtp_inbox,
                                                                  django_capture_on_commit_callbacks):
    build_page("newsletter", publish=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client, storefront)
    assert "confirm your subscription" in response.content.decode()
    assert NewsletterSignup.objects.filter(email="fan@example.com").exists()
    assert not selectors.newsletter_signups(storefront).exists()  # unconfirmed: nobody's consent yet
    deliver()
    mail, = smtp_inbox.wait_for(1)
    assert mail["To"] == "fan@example.com" and storefront.name in mail["Subject"]
    assert '<html lang="en">' in mail.get_body(preferencelist=("html",)).get_content()
    link = confirm_link(mail)
    assert client.get(link).status_code == 200
    assert not selectors.newsletter_signups(storefront).exists()  # a mail scanner's GET confirms nothing
    assert client.post(link).status_code == 200
    assert list(selectors.newsletter_signups(storefront).values_list("email", flat=True)) == ["fan@example.com"]
    assert client.post(link).status_code == 200  # confirming twice is harmless


def test_the_confirmation_mail_is_in_the_language_of_the_sign_up(client, storefront, build_page, smtp_inbox,
                                                                 django_capture_on_commit_callbacks):
    build_page("newsletter", publish=True)
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client, storefront, prefix="/zh-hans")
    deliver()
    mail, = smtp_inbox.wait_for(1)
    assert "确认订阅" in mail["Subject"]
    assert confirm_link(mail).startswith("/zh-hans/")
    assert '<html lang="zh-hans">' in mail.get_body(preferencelist=("html",)).get_content()


def test_signing_up_again_resends_at_most_once_a_window(client, storefront, build_page,
                                                       django_capture_on_commit_callbacks):
    build_page("newsletter", publish=True)
    for _ in range(3):
        sign_up(client, storefront)
    assert NewsletterSignup.objects.count() == 1 and OutboxEmail.objects.count() == 1


def test_a_confirmed_address_signing_up_again_gets_no_mail(client, storefront, build_page):
    build_page("newsletter", publish=True)
    sign_up(client, storefront)
    signup = NewsletterSignup.objects.get()
    newsletter.newsletter_confirm(newsletter.confirmation_token(signup))
    OutboxEmail.objects.all().delete()
    assert "already on the list" in sign_up(client, storefront).content.decode()
    assert not OutboxEmail.objects.exists()


def _url(token: str) -> str:
    return reverse("pages:newsletter_confirm", args=[token])


def test_tampered_forged_and_foreign_links_are_refused(client, storefront, build_page):
    build_page("newsletter", publish=True)
    sign_up(client, storefront, "a@example.com")
    sign_up(client, storefront, "b@example.com")
    a, b = NewsletterSignup.objects.get(email="a@example.com"), NewsletterSignup.objects.get(email="b@example.com")
    token = newsletter.confirmation_token(a)
    forged = [
        token[:-4] + "abcd",  # a changed signature
        signing.dumps({"s": b.pk, "e": b.email}, salt=newsletter.SALT, key="attacker-key", compress=True),
        signing.dumps({"s": b.pk, "e": b.email}, salt="notifications.unsubscribe", compress=True),  # other salt
        signing.dumps({"s": b.pk, "e": a.email}, salt=newsletter.SALT, compress=True),  # another sign-up's address
        "nonsense",
    ]
    for bad in forged:
        assert client.post(_url(bad)).status_code == 400, bad
    assert not NewsletterSignup.objects.filter(confirmed_at__isnull=False).exists()


def test_an_expired_link_is_refused_with_a_clear_message(client, storefront, build_page, settings):
    build_page("newsletter", publish=True)
    sign_up(client, storefront)
    signup = NewsletterSignup.objects.get()
    old = time.time() - settings.NEWSLETTER_CONFIRM_MAX_AGE_S - 60
    with mock.patch("django.core.signing.time.time", return_value=old):
        token = newsletter.confirmation_token(signup)
    response = client.post(_url(token))
    assert response.status_code == 400 and "expired" in response.content.decode()
    assert NewsletterSignup.objects.get().confirmed_at is None
