"""Writes for moderation: a report, and a moderator's decision (hide, restore, dismiss) with its audit row.

Decisions follow the palette review's pattern (``themes.services``): a transitions table, the case re-read under
a row lock, one :class:`~.models.Decision` row per action, and what depends on visibility refreshed once the
transaction commits (the hidden-courses cache, plugins through the ``content_moderated`` hook, search, the
owner's notification).
"""

import logging
import math
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from courseplatform import hooks
from courseplatform.catalog.models import Course
from courseplatform.pages import cache as page_cache

from . import notices, selectors
from .models import TARGET_FIELDS, Action, Case, ContentKind, Decision, Reason, Report

logger = logging.getLogger(__name__)

#: action -> (hidden before, hidden after); dismissing needs open reports
TRANSITIONS: dict[str, tuple[bool, bool]] = {
    Action.HIDE: (False, True),
    Action.RESTORE: (True, False),
    Action.DISMISS: (False, False),
}
NOTE_MAX = 1000


class InvalidTransition(ValidationError):
    pass


class ReportsRateLimited(Exception):
    """The account sent MODERATION_REPORTS_PER_HOUR reports in the last hour (the view answers 429)."""

    def __init__(self, message: str, retry_after_s: int) -> None:
        super().__init__(message)
        self.message, self.retry_after_s = message, retry_after_s


def _rate_limit_check(reporter) -> None:
    hour_ago = timezone.now() - timedelta(hours=1)
    recent = selectors.reports_in_window(reporter, hour_ago)
    per_hour = int(settings.MODERATION_REPORTS_PER_HOUR)
    if len(recent) >= per_hour:
        wait = max(1, int((recent[len(recent) - per_hour] - hour_ago).total_seconds()) + 1)
        raise ReportsRateLimited(
            _("You have sent %(n)d reports in the last hour, the most allowed; try again in %(minutes)d minutes.")
            % {"n": per_hour, "minutes": math.ceil(wait / 60)}, wait)


def report_submit(*, reporter, kind: str, content, reason: str, note: str = "") -> tuple[Report, bool]:
    """Report ``content``; ``(report, False)`` when this account already reported it (counted once).
    Raises ValidationError (own content, not public, bad reason or note) or :class:`ReportsRateLimited`."""
    if kind not in ContentKind.values:
        raise ValidationError(_("This kind of content cannot be reported."))
    if reason not in Reason.values:
        raise ValidationError(_("Choose a reason."))
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError(_("The note is too long (at most %(n)d characters).") % {"n": NOTE_MAX})
    owner = selectors.owner_of(kind, content)
    if owner.pk == reporter.pk:
        raise ValidationError(_("You cannot report your own content."))
    if not selectors.publicly_visible(kind, content):
        raise ValidationError(_("This content is not shown publicly."))
    field = TARGET_FIELDS[ContentKind(kind)]
    with transaction.atomic():
        # one account's reports one at a time: two concurrent reports cannot both pass the rate limit
        get_user_model().objects.select_for_update().filter(pk=reporter.pk).first()
        case, _created = Case.objects.get_or_create(**{field: content}, defaults={"kind": kind, "owner": owner})
        case = Case.objects.select_for_update().get(pk=case.pk)
        existing = Report.objects.filter(case=case, reporter=reporter).first()
        if existing is not None:
            return existing, False
        _rate_limit_check(reporter)
        try:
            with transaction.atomic():
                report = Report.objects.create(case=case, reporter=reporter, reason=reason, note=note)
        except IntegrityError:  # the same account's concurrent report won the unique constraint
            return Report.objects.get(case=case, reporter=reporter), False
        Case.objects.filter(pk=case.pk).update(reports_count=F("reports_count") + 1, open=True,
                                               last_reported_at=report.created_at, updated_at=timezone.now())
        case.refresh_from_db()
        report.case = case
    return report, True


def moderation_refusal(case: Case, actor) -> str:
    """Why ``actor`` may not decide ``case`` ("" when they may); pages use it to hide the actions."""
    if not (actor.is_authenticated and actor.is_staff and actor.has_perm("moderation.moderate_content")):
        return _("You do not have permission to moderate content.")
    if case.owner_id == actor.pk:
        return _("Nobody may moderate their own content.")
    return ""


def _course_ids(case: Case) -> list[int]:
    """Courses whose public listings change with ``case``'s visibility."""
    if case.kind == ContentKind.STOREFRONT:
        return list(Course.objects.filter(storefront_id=case.storefront_id).values_list("id", flat=True))
    if case.kind == ContentKind.COURSE:
        return [case.course_id]
    if case.kind == ContentKind.REVIEW:
        return [case.review.course_id]
    return []


def _storefront_id(case: Case) -> int:
    """The storefront whose cached page may show ``case``'s content (its course grid, testimonials)."""
    if case.kind == ContentKind.STOREFRONT:
        return case.storefront_id
    if case.kind == ContentKind.REVIEW:
        return case.review.course.storefront_id
    return case.content.storefront_id


def _after_commit(case: Case, decision: Decision) -> None:
    kind, object_id, hidden = case.kind, case.content.pk, case.hidden
    course_ids = _course_ids(case)
    storefront_id = _storefront_id(case)
    with translation.override(settings.LANGUAGE_CODE):  # no language prefix: the owner reads it in theirs
        url = case.url
    owner, title = case.owner, case.title
    action, note = decision.action, decision.note

    def run() -> None:
        cache.delete(selectors.HIDDEN_COURSES_KEY)
        page_cache.invalidate(storefront_id)
        try:
            hooks.call("content_moderated", kind=kind, object_id=object_id, hidden=hidden, course_ids=course_ids)
        except Exception:  # the decision stands; a plugin's stale cache expires on its own
            logger.exception("content_moderated hook failed for %s %s", kind, object_id)
        if action != Action.DISMISS and owner is not None:
            notices.notify_owner(owner, decision_id=decision.pk, action=action, title=title, url=url, note=note)

    transaction.on_commit(run)


@transaction.atomic
def case_decide(*, case: Case, actor, action: str, note: str = "") -> Case:
    """Hide, restore or dismiss: checked against :data:`TRANSITIONS` on the locked row, written with an audit
    row; the owner sees ``note`` (required to hide: they must learn why)."""
    refusal = moderation_refusal(case, actor)
    if refusal:
        raise PermissionDenied(refusal)
    if action not in TRANSITIONS:
        raise ValidationError(_("Unknown moderation action."))
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError(_("The note is too long (at most %(n)d characters).") % {"n": NOTE_MAX})
    if action == Action.HIDE and not note:
        raise ValidationError(_("Say why the content is hidden, so its owner can act on it."))
    original = case
    case = Case.objects.select_for_update().get(pk=case.pk)
    before, after = TRANSITIONS[action]
    if case.hidden != before or (action == Action.DISMISS and not case.open):
        raise InvalidTransition(
            _("This content is %(state)s; it cannot be %(action)s.")
            % {"state": _("hidden") if case.hidden else _("visible"), "action": Action(action).label.lower()},
            code="invalid_transition")
    decision = Decision.objects.create(case=case, action=action, actor=actor, hidden_before=before, hidden_after=after,
                            note=note)
    case.hidden, case.open = after, False
    case.decided_at, case.decided_by = timezone.now(), actor
    if action != Action.DISMISS:
        case.owner_note = note
    case.save(update_fields=["hidden", "open", "decided_at", "decided_by", "owner_note", "updated_at"])
    for name in ("hidden", "open", "decided_at", "decided_by_id", "owner_note"):
        setattr(original, name, getattr(case, name))
    _after_commit(case, decision)
    return case
