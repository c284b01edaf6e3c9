"""The points ledger: awards with per-day caps, and spending. Every change of a learner's balance happens
here, with its ledger entry, under the lock of the learner's ``PointsAccount`` row."""

from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from .models import PointsAccount, PointsEntry, PointsReason

#: reason -> (points per event, most points a learner earns for that reason in one day; None: no cap).
#: Caps stop farming (marking lessons of many free courses complete); settings.ENGAGEMENT_POINTS overrides.
DEFAULT_RULES: dict[str, tuple[int, int | None]] = {
    PointsReason.LESSON: (10, 100),
    PointsReason.QUIZ: (20, 100),
    PointsReason.REVIEW: (15, 30),
    # The challenge says how many; capped too, as points are spent on any creator's rewards: one creator's
    # many high-value challenges must not mint currency against the others' coupons.
    PointsReason.CHALLENGE: (0, 500),
}


class NotEnoughPoints(Exception):
    """The balance does not cover a redemption (nothing was written)."""


@dataclass(frozen=True)
class Award:
    entry: PointsEntry | None
    capped: bool  # the day's cap cut (or stopped) this award


def rule(reason: str) -> tuple[int, int | None]:
    return {**DEFAULT_RULES, **getattr(settings, "ENGAGEMENT_POINTS", {})}[reason]


def _locked_account(learner_id: int) -> PointsAccount:
    PointsAccount.objects.get_or_create(learner_id=learner_id)
    return PointsAccount.objects.select_for_update().get(learner_id=learner_id)


def points_award(*, learner_id: int, reason: str, source: str, amount: int | None = None, now=None) -> Award:
    """Credit ``learner_id`` for ``reason`` once per ``source`` (e.g. ``lesson:12``), cut to the day's cap.
    A repeated call for the same source (a redelivered signal, a second click) credits nothing."""
    per_event, cap = rule(reason)
    amount = per_event if amount is None else amount
    day = timezone.localdate(now or timezone.now())
    if amount <= 0:
        return Award(None, False)
    try:
        with transaction.atomic():
            _locked_account(learner_id)  # serialises this learner's awards: the day's sum below cannot race
            if PointsEntry.objects.filter(learner_id=learner_id, reason=reason, source=source).exists():
                return Award(None, False)
            granted = amount
            if cap is not None:
                today = PointsEntry.objects.filter(learner_id=learner_id, reason=reason, day=day).aggregate(
                    n=Sum("amount"))["n"] or 0
                granted = max(0, min(amount, cap - today))
            if granted <= 0:
                return Award(None, True)
            entry = PointsEntry.objects.create(learner_id=learner_id, amount=granted, reason=reason,
                                               source=source[:80], day=day)
            PointsAccount.objects.filter(learner_id=learner_id).update(balance=F("balance") + granted)
            return Award(entry, granted < amount)
    except IntegrityError:  # the same source credited concurrently: the other one counts
        return Award(None, False)


def points_spend(*, learner_id: int, amount: int, source: str) -> PointsEntry:
    """Debit ``amount`` points (inside the caller's transaction) or raise :class:`NotEnoughPoints`. The
    conditional UPDATE holds under concurrency even without the row lock; the CHECK constraint is a last line."""
    if amount <= 0:
        raise ValueError("amount must be positive")
    _locked_account(learner_id)
    taken = PointsAccount.objects.filter(learner_id=learner_id, balance__gte=amount).update(
        balance=F("balance") - amount)
    if not taken:
        raise NotEnoughPoints
    return PointsEntry.objects.create(learner_id=learner_id, amount=-amount, reason=PointsReason.REDEEMED,
                                      source=source[:80], day=timezone.localdate())
