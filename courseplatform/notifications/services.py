"""Writes: notify (the public entry point), read marks, preferences, unsubscribe, follows, the outbox's queue
and delivery, and the daily digest.

Idempotency: a notification is unique per (user, kind, key) and an outbox mail per key, so a receiver or task
that runs twice tells once. Delivery claims a pending row (pending → sending, committed) before it talks to the
mail server and marks it sent after; a redelivered task finds the row no longer pending and sends nothing. A
worker killed between the claim and the mark leaves the row "sending (unconfirmed)": never re-sent by itself
(it may have gone out), shown in the admin, where staff can queue it again.
"""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import translate_url
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import emails, kinds, selectors, tokens
from .kinds import Channel
from .models import Follow, MailLanguage, Notification, OutboxEmail, OutboxStatus, Preference

logger = logging.getLogger(__name__)
SEND_TASK = "notifications.send_email"


class MailNotSent(Exception):
    """The mail server did not take the mail (the task retries it later)."""


def notify(user, kind: str, *, key: str, params: dict | None = None, url: str = "") -> Notification | None:
    """Tell ``user`` about something of ``kind`` (a key registered in :mod:`.kinds`), once per ``key``.

    The user's channel for the kind decides: off → nothing (None); otherwise a notification in the centre, and
    a mail now (``email``) or in the daily digest (``digest``). ``params`` (JSON) feed the kind's ``describe``;
    ``url`` is a path on this site. Raises ``LookupError`` for an unknown kind.
    """
    spec = kinds.get(kind)
    channel = selectors.channel_for(user, spec)
    if channel == Channel.OFF:
        return None
    wants_mail = bool(user.email)
    with transaction.atomic():
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    user=user, kind=kind, key=key[:200], params=params or {}, url=_unprefixed(url or "")[:500],
                    in_digest=channel == Channel.DIGEST and wants_mail)
        except IntegrityError:
            return Notification.objects.get(user=user, kind=kind, key=key[:200])
        if channel == Channel.EMAIL and wants_mail:
            language = selectors.mail_language(user)
            outbox_queue(key=f"notification:{notification.pk}", user=user, kind=kind, language=language,
                         **emails.notification_mail(notification, language))
    return notification


def _unprefixed(url: str) -> str:
    """``url`` without a language prefix (the caller's language is not the reader's); a path that is no page
    of this site stays as given."""
    language = translation.get_language_from_path(url) if url.startswith("/") else None
    if not language:
        return url
    with translation.override(language):
        return translate_url(url, settings.LANGUAGE_CODE)


def outbox_queue(*, key: str, user, kind: str, language: str, subject: str, text_body: str, html_body: str = "",
                 headers: dict | None = None, to_email: str = "") -> tuple[OutboxEmail, bool]:
    """Queue a mail once per ``key`` (to ``user``, or to ``to_email`` for someone without an account); its
    delivery task is sent when the transaction commits."""
    row, created = OutboxEmail.objects.get_or_create(key=key, defaults={
        "user": user, "to_email": to_email or user.email, "kind": kind, "language": language, "subject": subject,
        "text_body": text_body, "html_body": html_body, "headers": headers or {}})
    if created:
        transaction.on_commit(lambda: outbox_dispatch(row.pk))
    return row, created


def outbox_dispatch(outbox_id: int) -> None:
    from workers import app  # the Celery app imports Django settings; imported when first needed

    try:
        app.send_task(SEND_TASK, args=[outbox_id])
    except Exception:  # broker down: the row stays pending and the outbox sweep sends the task again
        logger.warning("could not queue mail %s; the outbox sweep will retry", outbox_id, exc_info=True)


def outbox_deliver(outbox_id: int) -> str:
    """Send one outbox mail unless it was claimed before: ``sent``, ``skipped`` or ``failed``.

    Raises :class:`MailNotSent` on a transient mail-server error (the row is pending again, for the retry).
    """
    now = timezone.now()
    claimed = OutboxEmail.objects.filter(pk=outbox_id, status=OutboxStatus.PENDING).update(
        status=OutboxStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:  # a redelivery, or a task for a row sent, unconfirmed or gone
        OutboxEmail.objects.filter(pk=outbox_id).update(attempts=F("attempts") + 1)
        logger.info("mail %s not pending: not sent again", outbox_id)
        return "skipped"
    row = OutboxEmail.objects.get(pk=outbox_id)
    try:
        emails.message_for(row).send()
    except smtplib.SMTPRecipientsRefused as error:
        OutboxEmail.objects.filter(pk=outbox_id).update(status=OutboxStatus.FAILED, error=str(error)[:2000])
        return "failed"
    except (smtplib.SMTPException, OSError) as error:
        gave_up = row.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS
        OutboxEmail.objects.filter(pk=outbox_id).update(
            status=OutboxStatus.FAILED if gave_up else OutboxStatus.PENDING, error=str(error)[:2000])
        if gave_up:
            return "failed"
        raise MailNotSent(str(error)) from error
    OutboxEmail.objects.filter(pk=outbox_id).update(status=OutboxStatus.SENT, sent_at=timezone.now(), error="")
    return "sent"


def outbox_requeue(outbox_ids: list[int]) -> int:
    """Staff's "send again" for unconfirmed or failed mails (after checking they did not arrive)."""
    with transaction.atomic():
        ids = list(OutboxEmail.objects.filter(pk__in=outbox_ids).exclude(status=OutboxStatus.SENT)
                   .values_list("pk", flat=True))
        OutboxEmail.objects.filter(pk__in=ids).update(status=OutboxStatus.PENDING, claimed_at=None)
        for pk in ids:
            transaction.on_commit(lambda pk=pk: outbox_dispatch(pk))
    return len(ids)


def outbox_sweep(now=None, older_than_s: int = 60) -> int:
    """Send the task again for mails pending longer than ``older_than_s`` (a broker that lost its queue)."""
    now = now or timezone.now()
    ids = list(selectors.outbox_stale(now - timedelta(seconds=older_than_s)).values_list("pk", flat=True)[:1000])
    for pk in ids:
        outbox_dispatch(pk)
    return len(ids)


def digests_send() -> int:
    """One digest mail per user with notifications waiting for it; the mails queued."""
    queued = 0
    User = get_user_model()
    for user_id in selectors.digest_user_ids():
        with transaction.atomic():
            items = list(Notification.objects.select_for_update().filter(user_id=user_id, in_digest=True)
                         .order_by("created_at", "pk"))
            if not items:
                continue  # another run took them
            user = User.objects.get(pk=user_id)
            if user.email:
                language = selectors.mail_language(user)
                # keyed by the newest item: a rerun finds nothing left, and new items make a new key
                _row, created = outbox_queue(key=f"digest:{user_id}:{items[-1].pk}", user=user, kind=kinds.DIGEST,
                                             language=language, **emails.digest_mail(user_id, items, language))
                queued += created
            Notification.objects.filter(pk__in=[n.pk for n in items]).update(in_digest=False)
    return queued


def mark_read(*, user, notification_id: int) -> bool:
    """Mark one of ``user``'s notifications read; False when it is not theirs (or does not exist)."""
    updated = Notification.objects.filter(pk=notification_id, user=user, read_at__isnull=True).update(
        read_at=timezone.now())
    return bool(updated) or Notification.objects.filter(pk=notification_id, user=user).exists()


def mark_all_read(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


def preferences_set(*, user, channels: dict[str, str], language: str | None = None) -> None:
    """Store the user's channel per kind (and their mail language). Raises ``ValidationError`` for a kind or
    channel that does not exist or that the kind does not offer."""
    for key, channel in channels.items():
        try:
            spec = kinds.get(key)
        except LookupError:
            raise ValidationError(_("Unknown kind of notification.")) from None
        if channel not in dict(spec.channels()):
            raise ValidationError(_("That choice is not offered for %(kind)s.") % {"kind": spec.label})
    if language is not None and language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Choose one of the languages offered."))
    with transaction.atomic():
        for key, channel in channels.items():
            Preference.objects.update_or_create(user=user, kind=key, defaults={"channel": channel})
        if language is not None:
            MailLanguage.objects.update_or_create(user=user, defaults={"language": language})


def mail_language_default(*, user, language: str) -> None:
    """Write ``user``'s mails in ``language`` (one of ``LANGUAGES``, else nothing changes) unless they chose one
    on the settings page: a person who signed up in Chinese gets Chinese mail from the first."""
    if language in dict(settings.LANGUAGES):
        MailLanguage.objects.get_or_create(user=user, defaults={"language": language})


def unsubscribe(token: str):
    """Stop the mails a token names: one kind (it stays in the centre), or the digest (its kinds stay in the
    centre, without mail). Returns ``(user, kind)``; raises ``ValidationError`` for a forged or stale token."""
    try:
        user_id, kind = tokens.unsubscribe_read(token)
    except signing.BadSignature:
        raise ValidationError(_("This unsubscribe link is not valid.")) from None
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        raise ValidationError(_("This unsubscribe link is not valid."))
    with transaction.atomic():
        if kind == kinds.DIGEST:
            for key, channel in selectors.channels_for(user).items():
                if channel == Channel.DIGEST:
                    Preference.objects.update_or_create(user=user, kind=key, defaults={"channel": Channel.IN_APP})
            return user, kind
        try:
            kinds.get(kind)
        except LookupError:
            raise ValidationError(_("This unsubscribe link is not valid.")) from None
        Preference.objects.update_or_create(user=user, kind=kind, defaults={"channel": Channel.IN_APP})
    return user, kind


def follow(*, follower, creator) -> bool:
    """Follow a creator (again is harmless); True when it is new."""
    if not getattr(creator, "is_creator", False):
        raise ValidationError(_("Only creators can be followed."))
    if creator.pk == follower.pk:
        raise ValidationError(_("You cannot follow yourself."))
    try:
        with transaction.atomic():
            Follow.objects.create(follower=follower, creator=creator)
    except IntegrityError:
        return False
    return True


def unfollow(*, follower, creator) -> bool:
    deleted, _counts = Follow.objects.filter(follower=follower, creator=creator).delete()
    return bool(deleted)
