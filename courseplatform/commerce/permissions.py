"""Who may run a storefront's sales (coupons, refunds, statements): its owner, or staff — the same rule as the
core's storefront managers."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def can_sell(actor, storefront) -> bool:
    return bool(actor is not None and actor.is_authenticated and (actor.is_staff or storefront.owner_id == actor.pk))


def ensure_can_sell(actor, storefront) -> None:
    if not can_sell(actor, storefront):
        raise PermissionDenied(_("You can only change your own storefront."))
