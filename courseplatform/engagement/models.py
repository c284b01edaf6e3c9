"""Engagement mechanics: polls, challenges, the points ledger, badges and point rewards (coupons).

Invariants kept by the database, not by the views: one vote per learner and per anonymous session
(``one_vote_per_learner`` / ``one_vote_per_session``), one participation per learner and challenge, one ledger
entry per (learner, reason, source) so a redelivered signal never pays twice, and a balance that never goes
below zero (``points_balance_not_negative``)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from courseplatform.catalog.models import Course, Storefront


class Poll(models.Model):
    storefront = models.ForeignKey(Storefront, on_delete=models.CASCADE, related_name="polls",
                                   verbose_name=_("storefront"))
    course = models.ForeignKey(Course, on_delete=models.CASCADE, null=True, blank=True, related_name="polls",
                               verbose_name=_("course"),
                               help_text=_("Shown on this course's page; leave empty for the storefront page only."))
    question = models.CharField(_("question"), max_length=200)
    closed = models.BooleanField(_("closed"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("poll")
        verbose_name_plural = _("polls")

    def __str__(self) -> str:
        return self.question


class PollOption(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options", verbose_name=_("poll"))
    text = models.CharField(_("answer"), max_length=120)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("poll answer")
        verbose_name_plural = _("poll answers")

    def __str__(self) -> str:
        return self.text


class PollVote(models.Model):
    """A learner's vote, or an anonymous visitor's (by session). A session's anonymous vote becomes the
    learner's when they log in and vote again (claimed, never counted twice)."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="votes", verbose_name=_("poll"))
    option = models.ForeignKey(PollOption, on_delete=models.CASCADE, related_name="votes", verbose_name=_("answer"))
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="poll_votes", verbose_name=_("learner"))
    session_key = models.CharField(_("session"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("voted"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("poll vote")
        verbose_name_plural = _("poll votes")
        constraints = [
            models.UniqueConstraint(fields=["poll", "learner"], condition=models.Q(learner__isnull=False),
                                    name="one_vote_per_learner"),
            models.UniqueConstraint(fields=["poll", "session_key"], condition=~models.Q(session_key=""),
                                    name="one_vote_per_session"),
            models.CheckConstraint(condition=models.Q(learner__isnull=False) | ~models.Q(session_key=""),
                                   name="vote_has_a_voter"),
        ]

    def __str__(self) -> str:
        return f"{self.poll_id}: {self.option_id}"


class Badge(models.Model):
    """A badge a learner can earn (one per challenge; more kinds can be added by code)."""

    code = models.SlugField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.CharField(_("description"), max_length=300, blank=True)
    storefront = models.ForeignKey(Storefront, on_delete=models.CASCADE, null=True, blank=True,
                                   related_name="badges", verbose_name=_("storefront"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("badge")
        verbose_name_plural = _("badges")

    def __str__(self) -> str:
        return self.name


class LearnerBadge(models.Model):
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="badges",
                                verbose_name=_("learner"))
    badge = models.ForeignKey(Badge, on_delete=models.CASCADE, related_name="holders", verbose_name=_("badge"))
    awarded_at = models.DateTimeField(_("awarded"), auto_now_add=True)

    class Meta:
        ordering = ["-awarded_at", "-id"]
        verbose_name = _("earned badge")
        verbose_name_plural = _("earned badges")
        constraints = [models.UniqueConstraint(fields=["learner", "badge"], name="one_badge_per_learner")]

    def __str__(self) -> str:
        return f"{self.learner} · {self.badge}"


class GoalKind(models.TextChoices):
    LESSONS = "lessons", _("Complete a number of lessons")
    COURSE = "course", _("Complete a course")


class Challenge(models.Model):
    """A creator's goal with a deadline. Progress counts lessons (of ``course``, or of any of the storefront's
    courses) completed between joining and ``ends_at``, as recorded by the server."""

    storefront = models.ForeignKey(Storefront, on_delete=models.CASCADE, related_name="challenges",
                                   verbose_name=_("storefront"))
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    goal = models.CharField(_("goal"), max_length=12, choices=GoalKind.choices, default=GoalKind.LESSONS)
    course = models.ForeignKey(Course, on_delete=models.CASCADE, null=True, blank=True, related_name="challenges",
                               verbose_name=_("course"),
                               help_text=_("Required for “complete a course”; for lessons, leave empty to count "
                                           "lessons of every course of the storefront."))
    target = models.PositiveSmallIntegerField(_("lessons to complete"), default=5,
                                              validators=[MinValueValidator(1), MaxValueValidator(500)])
    ends_at = models.DateTimeField(_("deadline"))
    points = models.PositiveIntegerField(_("points on completion"), default=100,
                                         validators=[MaxValueValidator(10000)])
    max_participants = models.PositiveIntegerField(_("places"), null=True, blank=True,
                                                   help_text=_("Leave empty for no limit."))
    badge = models.OneToOneField(Badge, on_delete=models.PROTECT, related_name="challenge", verbose_name=_("badge"))
    participant_count = models.PositiveIntegerField(_("participants"), default=0, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["ends_at", "id"]
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        constraints = [
            models.CheckConstraint(condition=models.Q(max_participants__isnull=True) | models.Q(
                participant_count__lte=models.F("max_participants")), name="challenge_places_within_limit"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def goal_size(self) -> int:
        return 1 if self.goal == GoalKind.COURSE else self.target


class ChallengeParticipant(models.Model):
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="participants",
                                  verbose_name=_("challenge"))
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="challenges",
                                verbose_name=_("learner"))
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)
    progress = models.PositiveIntegerField(_("progress"), default=0)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    on_leaderboard = models.BooleanField(_("shown on the leaderboard"), default=False)

    class Meta:
        ordering = ["-progress", "completed_at", "joined_at", "id"]
        verbose_name = _("challenge participant")
        verbose_name_plural = _("challenge participants")
        constraints = [models.UniqueConstraint(fields=["challenge", "learner"], name="one_join_per_learner")]

    def __str__(self) -> str:
        return f"{self.learner} · {self.challenge}"


class PointsReason(models.TextChoices):
    LESSON = "lesson", _("Lesson completed")
    QUIZ = "quiz", _("Quiz passed")
    REVIEW = "review", _("Review written")
    CHALLENGE = "challenge", _("Challenge completed")
    REDEEMED = "redeemed", _("Redeemed for a coupon")


class PointsAccount(models.Model):
    """The learner's balance: the sum of their ledger entries, kept with every entry in one transaction. Its row
    is the lock that serialises a learner's awards and redemptions."""

    learner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="points",
                                   verbose_name=_("learner"))
    balance = models.IntegerField(_("balance"), default=0)

    class Meta:
        verbose_name = _("points account")
        verbose_name_plural = _("points accounts")
        constraints = [models.CheckConstraint(condition=models.Q(balance__gte=0), name="points_balance_not_negative")]

    def __str__(self) -> str:
        return f"{self.learner}: {self.balance}"


class PointsEntry(models.Model):
    """One line of the append-only points ledger (never updated or deleted)."""

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="points_entries",
                                verbose_name=_("learner"))
    amount = models.IntegerField(_("points"))
    reason = models.CharField(_("reason"), max_length=12, choices=PointsReason.choices)
    source = models.CharField(_("source"), max_length=80)
    day = models.DateField(_("day"), db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("points entry")
        verbose_name_plural = _("points ledger")
        constraints = [
            models.UniqueConstraint(fields=["learner", "reason", "source"], name="one_entry_per_source"),
            models.CheckConstraint(condition=~models.Q(amount=0), name="points_entry_not_zero"),
        ]

    def __str__(self) -> str:
        return f"{self.learner} {self.amount:+d} ({self.reason})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("The points ledger is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("The points ledger is append-only.")


class RewardOffer(models.Model):
    """A creator's offer: so many points buy a learner a single-use coupon for the storefront (or one course)."""

    storefront = models.ForeignKey(Storefront, on_delete=models.CASCADE, related_name="reward_offers",
                                   verbose_name=_("storefront"))
    course = models.ForeignKey(Course, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                               verbose_name=_("course"), help_text=_("Leave empty for every course."))
    title = models.CharField(_("title"), max_length=120)
    points_cost = models.PositiveIntegerField(_("points"), validators=[MinValueValidator(1),
                                                                       MaxValueValidator(1_000_000)])
    percent_off = models.PositiveSmallIntegerField(_("percent off"), validators=[MinValueValidator(1),
                                                                                MaxValueValidator(100)])
    valid_days = models.PositiveSmallIntegerField(_("coupon valid for (days)"), default=30,
                                                  validators=[MinValueValidator(1), MaxValueValidator(365)])
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["points_cost", "id"]
        verbose_name = _("reward")
        verbose_name_plural = _("rewards")

    def __str__(self) -> str:
        return self.title


class Redemption(models.Model):
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="redemptions",
                                verbose_name=_("learner"))
    offer = models.ForeignKey(RewardOffer, on_delete=models.PROTECT, related_name="redemptions",
                              verbose_name=_("reward"))
    #: the debit; it goes with the learner's ledger when their account is erased (the redemption stays, with its
    #: coupon moved to the placeholder account)
    entry = models.OneToOneField(PointsEntry, on_delete=models.SET_NULL, null=True, related_name="redemption",
                                 verbose_name=_("points entry"))
    coupon = models.OneToOneField("commerce.Coupon", on_delete=models.PROTECT, related_name="reward_redemption",
                                  verbose_name=_("coupon"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("redemption")
        verbose_name_plural = _("redemptions")

    def __str__(self) -> str:
        return f"{self.learner} · {self.offer}"


class NudgeExposure(models.Model):
    """A stalled learner entered into a running nudges experiment (``engagement.nudges``): one row per learner,
    course and stall (``stalled_since``: their last progress in the course, or the enrolment when none), so a
    learner is reminded at most once per stall however often, or however concurrently, the task runs. Learners in
    the "none" arm get a row without a message (``notified`` False): the analysis compares exposed with exposed."""

    experiment = models.ForeignKey("experiments.Experiment", on_delete=models.CASCADE,
                                   related_name="nudge_exposures", verbose_name=_("experiment"))
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("learner"))
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="+", verbose_name=_("course"))
    stalled_since = models.DateTimeField(_("last progress"))
    variant = models.CharField(_("variant"), max_length=8)
    arm = models.CharField(_("arm"), max_length=16)
    notified = models.BooleanField(_("reminder sent"), default=False)
    exposed_at = models.DateTimeField(_("exposed"), db_index=True)

    class Meta:
        ordering = ["-exposed_at", "-id"]
        verbose_name = _("nudge exposure")
        verbose_name_plural = _("nudge exposures")
        constraints = [models.UniqueConstraint(fields=["learner", "course", "stalled_since"],
                                               name="one_nudge_per_stall")]

    def __str__(self) -> str:
        return f"{self.learner_id}/{self.course_id} {self.arm}"
