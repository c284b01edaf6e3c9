"""Creators' coupon writes: create, pause and resume (uses are counted by the checkout)."""

import secrets
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Coupon, CouponKind
from .permissions import ensure_can_sell as ensure_can_manage
from .pricing import MAX_CODE_LENGTH, normalise_code

COUPON_FIELDS = ("code", "course", "kind", "value", "currency", "starts_at", "ends_at", "max_redemptions",
                 "max_per_learner")


def coupon_create(*, storefront, actor, data: dict[str, Any]) -> Coupon:
    ensure_can_manage(actor, storefront)
    coupon = Coupon(storefront=storefront, **{k: data[k] for k in COUPON_FIELDS if k in data})
    coupon.code = normalise_code(coupon.code)
    if not coupon.code or len(coupon.code) > MAX_CODE_LENGTH or not coupon.code.replace("-", "").replace(
            "_", "").isalnum():
        raise ValidationError({"code": _("Use 1 to 32 letters, digits, - or _.")})
    if coupon.course is not None and coupon.course.storefront_id != storefront.pk:
        raise ValidationError({"course": _("Pick one of this storefront's courses.")})
    if coupon.kind == CouponKind.PERCENT:
        if coupon.value is not None and coupon.value > 100:
            raise ValidationError({"value": _("A percentage is at most 100.")})
        coupon.currency = ""
    elif not coupon.currency:
        raise ValidationError({"currency": _("Say which currency the amount is in.")})
    if coupon.starts_at and coupon.ends_at and coupon.ends_at <= coupon.starts_at:
        raise ValidationError({"ends_at": _("The end must come after the start.")})
    coupon.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            coupon.save()
    except IntegrityError:
        raise ValidationError({"code": _("This storefront already has a coupon with this code.")}) from None
    return coupon


@transaction.atomic
def coupon_set_paused(*, coupon: Coupon, actor, paused: bool) -> Coupon:
    ensure_can_manage(actor, coupon.storefront)
    Coupon.objects.filter(pk=coupon.pk).update(paused=paused)
    coupon.paused = paused
    return coupon


def coupon_issue_personal(*, storefront, learner, percent_off: int, course=None, valid_days: int = 30,
                          prefix: str = "PTS") -> Coupon:
    """A single-use percentage coupon only ``learner`` can use (a points reward; the caller has checked who
    pays for it). The code is random; retried on the rare clash."""
    if course is not None and course.storefront_id != storefront.pk:
        raise ValidationError({"course": _("Pick one of this storefront's courses.")})
    if not 1 <= int(percent_off) <= 100:
        raise ValidationError({"value": _("A percentage is at most 100.")})
    now = timezone.now()
    for _attempt in range(5):
        code = f"{prefix}-{secrets.token_hex(5).upper()}"[:MAX_CODE_LENGTH]
        try:
            with transaction.atomic():
                return Coupon.objects.create(
                    storefront=storefront, course=course, learner=learner, code=code, kind=CouponKind.PERCENT,
                    value=Decimal(int(percent_off)), currency="", starts_at=now,
                    ends_at=now + timedelta(days=valid_days), max_redemptions=1, max_per_learner=1)
        except IntegrityError:
            continue
    raise ValidationError(_("Please try again."))
