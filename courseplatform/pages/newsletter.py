"""Newsletter double opt-in: a sign-up counts once its address is confirmed from a mailed link. The link is
signed (django.core.signing, its own salt) over the sign-up and its address, and expires after
``NEWSLETTER_CONFIRM_MAX_AGE_S``. Mails go through the notification outbox (idempotent, retried)."""

import time

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from courseplatform.notifications import services as notifications
from courseplatform.notifications.emails import absolute

from .models import NewsletterSignup

SALT = "pages.newsletter.confirm"
#: one confirmation mail per address per window, however often the form is sent
RESEND_WINDOW_S = 600


def confirmation_token(signup: NewsletterSignup) -> str:
    return signing.dumps({"s": signup.pk, "e": signup.email}, salt=SALT, compress=True)


def confirmation_queue(signup: NewsletterSignup) -> None:
    """Queue the confirmation mail (in the language the visitor signed up in), sent once the sign-up commits."""
    language = signup.language if signup.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    with translation.override(language):
        url = absolute(reverse("pages:newsletter_confirm", args=[confirmation_token(signup)]))
        context = {"storefront": signup.storefront, "url": url,
                   "days": max(1, settings.NEWSLETTER_CONFIRM_MAX_AGE_S // 86400)}
        subject = _("Confirm your subscription to %(storefront)s") % {"storefront": signup.storefront.name}
        text = render_to_string("pages/email/newsletter_confirm.txt", context)
        html = render_to_string("pages/email/newsletter_confirm.html", context)
    window = int(time.time()) // RESEND_WINDOW_S
    notifications.outbox_queue(key=f"newsletter-confirm:{signup.pk}:{window}", user=None, to_email=signup.email,
                               kind="newsletter_confirm", language=language, subject=subject, text_body=text,
                               html_body=html)


def newsletter_confirm(token: str) -> NewsletterSignup:
    """Confirm the sign-up a mailed link names (again is harmless). Raises ``ValidationError`` for a link that
    is forged, expired or names an address the sign-up no longer has."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.NEWSLETTER_CONFIRM_MAX_AGE_S)
    except signing.SignatureExpired:
        raise ValidationError(_("This confirmation link has expired. Sign up again to get a new one.")) from None
    except signing.BadSignature:
        raise ValidationError(_("This confirmation link is not valid.")) from None
    signup = NewsletterSignup.objects.filter(pk=data.get("s"), email=data.get("e")).first() \
        if isinstance(data, dict) else None
    if signup is None:
        raise ValidationError(_("This confirmation link is not valid."))
    if signup.confirmed_at is None:
        NewsletterSignup.objects.filter(pk=signup.pk, confirmed_at__isnull=True).update(confirmed_at=timezone.now())
        signup.refresh_from_db()
    return signup
