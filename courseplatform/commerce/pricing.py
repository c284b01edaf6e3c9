"""What a learner pays: the course's price less a coupon's discount, computed on the server (never from the
request). Pure reads: checks raise ``ValidationError`` with a message for the learner."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from courseplatform.catalog.models import Course

from .models import Coupon, CouponKind, CouponRedemption

CENT = Decimal("0.01")
MAX_CODE_LENGTH = 32


def quantize(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def normalise_code(code: str | None) -> str:
    """Coupon codes are case-insensitive: stored and looked up upper-case, surrounding spaces dropped."""
    return (code or "").strip().upper()[:MAX_CODE_LENGTH + 1]


@dataclass(frozen=True)
class Quote:
    currency: str
    list_price: Decimal
    discount: Decimal
    coupon: Coupon | None

    @property
    def amount(self) -> Decimal:
        return self.list_price - self.discount


def discount_for(coupon: Coupon, course: Course) -> Decimal:
    if coupon.kind == CouponKind.PERCENT:
        discount = quantize(course.price * min(coupon.value, Decimal("100")) / 100)
    else:
        discount = coupon.value
    return min(discount, course.price)


def coupon_lookup(course: Course, code: str) -> Coupon:
    """The storefront's coupon with this code (any case), or a ``ValidationError``."""
    code = normalise_code(code)
    coupon = Coupon.objects.filter(storefront_id=course.storefront_id, code=code).first() if code else None
    if coupon is None or len(code) > MAX_CODE_LENGTH:
        raise ValidationError(_("This coupon code is not valid for this course."), code="unknown")
    return coupon


def coupon_check(coupon: Coupon, course: Course, learner, *, now=None, held_by=None) -> None:
    """Whether ``learner`` may use ``coupon`` on ``course`` now (limits as currently counted; the checkout
    re-checks them under a row lock). ``held_by``: the learner's pending order, whose own use does not count."""
    now = now or timezone.now()
    if coupon.learner_id is not None and coupon.learner_id != getattr(learner, "pk", None):
        raise ValidationError(_("This coupon code is not valid for this course."), code="other_learner")
    if coupon.course_id is not None and coupon.course_id != course.pk:
        raise ValidationError(_("This coupon code is not valid for this course."), code="other_course")
    if coupon.kind == CouponKind.FIXED and coupon.currency and coupon.currency != course.currency:
        raise ValidationError(_("This coupon code is not valid for this course."), code="currency")
    if coupon.paused:
        raise ValidationError(_("This coupon is paused."), code="paused")
    if coupon.starts_at and now < coupon.starts_at:
        raise ValidationError(_("This coupon is not valid yet."), code="not_started")
    if coupon.ends_at and now >= coupon.ends_at:
        raise ValidationError(_("This coupon has expired."), code="expired")
    held = held_by is not None and CouponRedemption.objects.filter(coupon=coupon, order=held_by).exists()
    if coupon.max_redemptions is not None and coupon.redeemed_count - held >= coupon.max_redemptions:
        raise ValidationError(_("This coupon has been used up."), code="exhausted")
    used = CouponRedemption.objects.filter(coupon=coupon, learner=learner).count() - held
    if used >= coupon.max_per_learner:
        raise ValidationError(_("You have already used this coupon."), code="learner_limit")


def quote(course: Course, learner, code: str = "", *, pending=None) -> Quote:
    """The price ``learner`` would pay for ``course`` with coupon ``code`` (raises if the code is unusable);
    ``pending``: their pending order for the course, whose coupon use is theirs already."""
    coupon = None
    discount = Decimal("0.00")
    if normalise_code(code):
        coupon = coupon_lookup(course, code)
        coupon_check(coupon, course, learner, held_by=pending)
        discount = discount_for(coupon, course)
    return Quote(currency=course.currency, list_price=course.price, discount=discount, coupon=coupon)
