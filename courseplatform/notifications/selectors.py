"""Reads: a user's notifications, unread count, channels, mail language, follows. Nothing here writes."""

from django.conf import settings
from django.db.models import QuerySet

from . import kinds
from .kinds import Channel
from .models import Follow, MailLanguage, Notification, OutboxEmail, OutboxStatus, Preference


def notifications_for(user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def channel_for(user, kind: kinds.Kind) -> str:
    chosen = Preference.objects.filter(user=user, kind=kind.key).values_list("channel", flat=True).first()
    channel = chosen or kind.default_channel
    if not kind.email_allowed and channel in (Channel.EMAIL, Channel.DIGEST):
        return Channel.IN_APP
    return channel


def channels_for(user) -> dict[str, str]:
    """Every registered kind's channel for ``user`` (defaults filled in)."""
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "channel"))
    return {kind.key: chosen.get(kind.key, kind.default_channel) for kind in kinds.all_kinds()}


def mail_language(user) -> str:
    language = MailLanguage.objects.filter(user=user).values_list("language", flat=True).first()
    return language or settings.LANGUAGE_CODE


def following(user) -> QuerySet[Follow]:
    return Follow.objects.filter(follower=user).select_related("creator")


def is_following(user, creator) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Follow.objects.filter(follower=user, creator=creator).exists()


def follower_ids(creator) -> list[int]:
    return list(Follow.objects.filter(creator=creator).values_list("follower_id", flat=True))


def digest_user_ids() -> list[int]:
    return list(Notification.objects.filter(in_digest=True).values_list("user_id", flat=True).distinct())


def outbox_stale(created_before) -> QuerySet[OutboxEmail]:
    """Pending mails queued before ``created_before`` (their task message may have been lost)."""
    return OutboxEmail.objects.filter(status=OutboxStatus.PENDING, created_at__lt=created_before)
