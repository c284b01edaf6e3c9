"""Mails rendered in the recipient's language: one notification, or the daily digest. Each carries its
unsubscribe link in the body and as ``List-Unsubscribe`` (RFC 2369) with one-click POST (RFC 8058)."""

import hashlib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from . import kinds, tokens
from .models import Notification, OutboxEmail


def absolute(path: str) -> str:
    if not path or path.startswith(("http://", "https://")):
        return path
    return f"{settings.SITE_URL}{path}"


def _unsubscribe_headers(url: str) -> dict[str, str]:
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def _render(template: str, context: dict) -> tuple[str, str]:
    context = {**context, "LANGUAGE_CODE": translation.get_language()}  # no request: no context processor
    return (render_to_string(f"notifications/email/{template}.txt", context),
            render_to_string(f"notifications/email/{template}.html", context))


def notification_mail(notification: Notification, language: str) -> dict:
    """``subject``, ``text_body``, ``html_body``, ``headers`` of the mail for one notification."""
    with translation.override(language):
        unsubscribe = absolute(reverse("notifications:unsubscribe",
                                       args=[tokens.unsubscribe_token(notification.user_id, notification.kind)]))
        kind = kinds.get(notification.kind)
        context = {"message": notification.message, "url": absolute(notification.url), "kind_label": kind.label,
                   "unsubscribe_url": unsubscribe, "settings_url": absolute(reverse("notifications:settings"))}
        text, html = _render("notification", context)
        subject = _("%(kind)s: %(message)s") % {"kind": kind.label, "message": notification.message}
    return {"subject": subject[:200], "text_body": text, "html_body": html,
            "headers": _unsubscribe_headers(unsubscribe)}


def digest_mail(user_id: int, notifications: list[Notification], language: str) -> dict:
    with translation.override(language):
        unsubscribe = absolute(reverse("notifications:unsubscribe",
                                       args=[tokens.unsubscribe_token(user_id, kinds.DIGEST)]))
        items = [{"message": n.message, "url": absolute(n.url)} for n in notifications]
        context = {"items": items, "unsubscribe_url": unsubscribe,
                   "settings_url": absolute(reverse("notifications:settings"))}
        text, html = _render("digest", context)
        subject = _("Your daily digest: %(count)d new notifications") % {"count": len(items)}
    return {"subject": subject, "text_body": text, "html_body": html, "headers": _unsubscribe_headers(unsubscribe)}


def message_for(row: OutboxEmail) -> EmailMultiAlternatives:
    """The mail of an outbox row; its Message-ID comes from the row's key, so a copy would be recognisable."""
    domain = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "localhost"
    digest = hashlib.sha256(row.key.encode()).hexdigest()[:32]
    headers = {**row.headers, "Message-ID": f"<{digest}@{domain}>"}
    # one line: a message with line breaks (a reviewer's note) would make the mail library refuse the header
    subject = " ".join(row.subject.split())
    message = EmailMultiAlternatives(subject=subject, body=row.text_body, from_email=settings.DEFAULT_FROM_EMAIL,
                                     to=[row.to_email], headers=headers)
    if row.html_body:
        message.attach_alternative(row.html_body, "text/html")
    return message
