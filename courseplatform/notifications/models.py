"""Notifications shown in the centre, the per-kind choices of each user, the e-mail outbox, and follows."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import kinds
from .kinds import Channel


class Notification(models.Model):
    """One thing a user is told about. ``key`` makes telling twice impossible: (user, kind, key) is unique."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
                             verbose_name=_("user"))
    kind = models.CharField(_("kind"), max_length=64)
    key = models.CharField(_("key"), max_length=200)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    #: waiting for the next daily digest (the user chose the digest for this kind)
    in_digest = models.BooleanField(_("waiting for the digest"), default=False, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [models.UniqueConstraint(fields=["user", "kind", "key"], name="one_notification_per_key")]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return f"{self.kind} → {self.user_id}"

    @property
    def message(self) -> str:
        """The text in the active language (rendered now, so each reader gets their own language)."""
        try:
            kind = kinds.get(self.kind)
            return kind.describe(self.params)
        except (LookupError, KeyError, TypeError, ValueError):
            return str(self.kind)

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class Preference(models.Model):
    """A user's channel for one kind; no row means the kind's default."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notification_preferences", verbose_name=_("user"))
    kind = models.CharField(_("kind"), max_length=64)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.CHOICES)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind} = {self.channel}"


class MailLanguage(models.Model):
    """The language a user's mails are written in (chosen on the settings page)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_language",
                                verbose_name=_("user"))
    language = models.CharField(_("language"), max_length=16, choices=settings.LANGUAGES)

    class Meta:
        verbose_name = _("mail language")
        verbose_name_plural = _("mail languages")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.language}"


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending (unconfirmed)")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutboxEmail(models.Model):
    """A mail to send, rendered when queued. ``key`` is unique, so queueing twice queues once; the delivery task
    claims a pending row before talking to the mail server, so a redelivered task never sends it again."""

    key = models.CharField(_("key"), max_length=255, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="outbox_emails", verbose_name=_("user"))
    to_email = models.EmailField(_("to"), max_length=254)
    kind = models.CharField(_("kind"), max_length=64)
    language = models.CharField(_("language"), max_length=16)
    subject = models.CharField(_("subject"), max_length=255)
    text_body = models.TextField(_("text"))
    html_body = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.PENDING,
                              db_index=True)
    attempts = models.PositiveSmallIntegerField(_("deliveries of the task"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")

    def __str__(self) -> str:
        return self.key


class Follow(models.Model):
    follower = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="following",
                                 verbose_name=_("follower"))
    creator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followers",
                                verbose_name=_("creator"))
    created_at = models.DateTimeField(_("followed"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [models.UniqueConstraint(fields=["follower", "creator"], name="follow_once")]

    def __str__(self) -> str:
        return f"{self.follower_id} → {self.creator_id}"
