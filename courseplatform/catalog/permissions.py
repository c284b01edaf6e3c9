"""View guards. Object ownership is enforced by fetching through ``owned_by`` selectors (→ 404)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from courseplatform.accounts.decorators import role_required

#: the creator studio: creators (or staff); learners get 403, anonymous visitors the log-in page
creator_required = role_required(lambda user: user.is_creator or user.is_staff)


def can_manage(actor, storefront) -> bool:
    """Whether ``actor`` may change ``storefront`` and what belongs to it (courses, page, experiments): its owner,
    or staff. The one storefront-manager rule of every service."""
    return bool(actor is not None and actor.is_authenticated and (actor.is_staff or storefront.owner_id == actor.pk))


def ensure_can_manage(actor, storefront) -> None:
    """:func:`can_manage`, or ``PermissionDenied``."""
    if not can_manage(actor, storefront):
        raise PermissionDenied(_("You can only change your own storefront."))
