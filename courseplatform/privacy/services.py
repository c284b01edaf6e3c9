"""Writes: the tracking choice, data exports and account erasure. Each write is one named action here."""

import io
import json
import logging
import uuid
import zipfile
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from courseplatform.catalog.models import Course, Review, Storefront
from courseplatform.commerce.models import Payment
from courseplatform.events.erasure import person_detach
from courseplatform.hooks import call
from courseplatform.learning.storage import private_storage

from . import consent, selectors
from .models import AccountErasure, DataExport, ExportStatus, ReviewChoice, TrackingConsent

logger = logging.getLogger(__name__)

EXPORT_DIR = "exports"


class ExportError(Exception):
    """The export could not be built (the task records it; a transient database error is retried instead)."""


# --- consent ------------------------------------------------------------------------------------------------

def consent_set(*, request, response, granted: bool) -> None:
    """Record the visitor's choice: a cookie for everyone, and a row for a signed-in person."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        TrackingConsent.objects.update_or_create(user=user, defaults={"granted": granted,
                                                                      "decided_at": timezone.now()})
    response.set_cookie(consent.COOKIE, consent.GRANTED if granted else consent.DENIED,
                        max_age=consent.COOKIE_MAX_AGE_S, samesite="Lax", httponly=True,
                        secure=request.is_secure())
    consent.forget_cached(request)


def consent_adopt_cookie(*, request, user) -> bool:
    """On sign-in: a person with no recorded choice keeps the one they made as a visitor. Returns whether a
    row was written."""
    choice = consent.cookie_choice(request)
    if choice is None or TrackingConsent.objects.filter(user=user).exists():
        return False
    TrackingConsent.objects.create(user=user, granted=choice, decided_at=timezone.now())
    consent.forget_cached(request)
    return True


# --- export -------------------------------------------------------------------------------------------------

def export_ttl() -> timedelta:
    return timedelta(hours=float(getattr(settings, "PRIVACY_EXPORT_TTL_HOURS", 48)))


def export_request(*, user) -> DataExport:
    """Queue an archive of ``user``'s data; a request while one is queued or being built returns that one."""
    from .tasks import build_export

    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()  # one request at a time
        pending = DataExport.objects.filter(user=user, status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING]).first()
        if pending is not None:
            return pending
        export = DataExport.objects.create(user=user)
        build_export.delay_on_commit(export.pk)
    return export


def _claim(export_id: int) -> DataExport | None:
    with transaction.atomic():
        export = DataExport.objects.select_for_update().filter(pk=export_id).first()
        if export is None or export.status not in (ExportStatus.QUEUED, ExportStatus.RUNNING):
            return None  # done already (a redelivery) or gone with its account
        export.status, export.progress = ExportStatus.RUNNING, 0
        export.save(update_fields=["status", "progress"])
    return export


def export_build(export_id: int) -> DataExport | None:
    """Build the archive: one JSON file per section plus a README, into private storage. Idempotent: a ready,
    failed or expired export is left alone. Progress is saved after each section."""
    export = _claim(export_id)
    if export is None:
        return None
    user = export.user
    total = max(selectors.section_count(user), 1)
    buffer = io.BytesIO()
    manifest = {"generated_at": timezone.now(), "user_id": user.pk, "sections": []}
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for done, (name, rows) in enumerate(selectors.personal_data_sections(user), start=1):
            archive.writestr(f"{name}.json", json.dumps(rows, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1))
            manifest["sections"].append({"name": name, "rows": len(rows) if isinstance(rows, list) else 1})
            percent = min(95, int(100 * done / total))
            if percent > export.progress:
                DataExport.objects.filter(pk=export.pk).update(progress=percent)
                export.progress = percent
        archive.writestr("manifest.json", json.dumps(manifest, cls=DjangoJSONEncoder, ensure_ascii=False,
                                                     indent=1))
    name = private_storage.save(f"{EXPORT_DIR}/{export.token}.zip", ContentFile(buffer.getvalue()))
    now = timezone.now()
    with transaction.atomic():
        updated = DataExport.objects.filter(pk=export.pk, status=ExportStatus.RUNNING).update(
            status=ExportStatus.READY, progress=100, file_name=name, size=len(buffer.getvalue()), finished_at=now,
            expires_at=now + export_ttl())
    if not updated:  # the account went away meanwhile
        private_storage.delete(name)
        return None
    export.refresh_from_db()
    return export


def export_fail(export_id: int, reason: str) -> None:
    DataExport.objects.filter(pk=export_id, status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING]).update(
        status=ExportStatus.FAILED, error=reason[:2000], finished_at=timezone.now())


def _delete_files(names: list[str]) -> None:
    for name in names:
        try:
            private_storage.delete(name)
        except OSError:
            logger.warning("could not delete export file %s", name, exc_info=True)


def exports_expire(now=None) -> int:
    """Delete the files of exports past their expiry and mark them expired (beat: ``privacy.expire_exports``)."""
    now = now or timezone.now()
    expired = list(selectors.exports_past_expiry(now).values_list("pk", "file_name"))
    if not expired:
        return 0
    DataExport.objects.filter(pk__in=[pk for pk, _ in expired]).update(status=ExportStatus.EXPIRED, file_name="")
    names = [name for _, name in expired if name]
    transaction.on_commit(lambda: _delete_files(names))
    return len(expired)


# --- erasure ------------------------------------------------------------------------------------------------

def _placeholder(user) -> models.Model:
    """A nameless, disabled account that kept rows (orders, anonymised reviews) now belong to."""
    placeholder = get_user_model()(username=f"deleted-{uuid.uuid4().hex[:16]}", is_active=False, role=user.role)
    placeholder.set_unusable_password()
    placeholder.save()
    return placeholder


def account_erase(*, user, reviews: str = ReviewChoice.ANONYMISE) -> AccountErasure:
    """Erase a person: every table that refers to them is emptied of them or anonymised (PERSONAL_DATA.md).

    * events: detached (no user, no session) — they count in no later training;
    * reviews: moved to a nameless placeholder account, or deleted (``reviews``);
    * orders, coupon uses (kept for the accounting the law requires): moved to the placeholder, the payments'
      billing details blanked;
    * storefronts: those with sales or enrolments move to the placeholder with their courses unpublished;
      the others are deleted;
    * every other row with a protecting foreign key to them moves to the placeholder;
    * plugins erase their own rows (``personal_data_erase``: feed rows, ids in saved models);
    * then the account itself is deleted, which deletes what cascades from it (enrolments, progress, quiz
      attempts, certificates, wishlist, search history, consent, exports and their files).
    """
    if reviews not in ReviewChoice.values:
        raise ValueError(f"reviews must be one of {ReviewChoice.values}")
    user_model = get_user_model()
    counts: dict[str, int] = {}
    with transaction.atomic():
        user = user_model.objects.select_for_update().get(pk=user.pk)
        placeholder = _placeholder(user)
        counts["events"] = person_detach(user_id=user.pk)
        if reviews == ReviewChoice.REMOVE:
            counts["reviews_removed"], _ = Review.objects.filter(learner=user).delete()
        else:
            counts["reviews_anonymised"] = Review.objects.filter(learner=user).update(learner=placeholder)
        counts["payments_blanked"] = Payment.objects.filter(order__learner=user).update(
            **{name: None if name == "customer_ip_address" else "" for name in selectors.PAYMENT_PERSONAL_FIELDS})
        kept = Storefront.objects.filter(owner=user).filter(
            Q(courses__orders__isnull=False) | Q(courses__enrollments__isnull=False)).distinct()
        kept_ids = list(kept.values_list("pk", flat=True))
        for course in Course.objects.filter(storefront_id__in=kept_ids, published=True):
            course.published = False
            course.save(update_fields=["published"])
        counts["storefronts_kept"] = Storefront.objects.filter(pk__in=kept_ids).update(owner=placeholder)
        for field in selectors.user_foreign_keys():
            if field.remote_field.on_delete is models.PROTECT:
                moved = field.model._default_manager.filter(**{field.name: user}).update(**{field.name: placeholder})
                if moved:
                    counts[f"{field.model._meta.label_lower}.{field.name}"] = moved
        if user.email:  # addresses kept without a foreign key: newsletter sign-ups, copies of sent mail
            for field in selectors.erasable_email_fields():
                removed, _ = selectors.rows_by_email(field, user.email).delete()
                if removed:
                    counts[f"{field.model._meta.label_lower}.{field.name}"] = removed
        for result in call("personal_data_erase", user=user):
            counts.update(result or {})
        files = list(DataExport.objects.filter(user=user).exclude(file_name="").values_list("file_name", flat=True))
        user.delete()
        transaction.on_commit(lambda: _delete_files(files))
        erasure = AccountErasure.objects.create(placeholder=placeholder, reviews=reviews, counts=counts)
    return erasure
