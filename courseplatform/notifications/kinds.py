"""The kinds of notification: a registry other apps add their own kinds to (``register``).

A kind says how its message reads (``describe(params)``, called when it is shown or mailed, so it is translated
into the reader's language, never stored translated) and which channel a user gets until they choose.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# the core's kinds (engagement and other apps may register more)
PALETTE_REVIEWED = "palette_reviewed"
JOB_FAILED = "job_failed"
NEW_COURSE = "new_course"
CHALLENGE_REMINDER = "challenge_reminder"
CERTIFICATE_EARNED = "certificate_earned"
ORDER_RECEIPT = "order_receipt"
#: the unsubscribe token's kind for the daily digest mail (not a notification kind)
DIGEST = "digest"


class Channel:
    EMAIL = "email"  # in the centre and mailed at once
    DIGEST = "digest"  # in the centre and in the daily digest mail
    IN_APP = "in_app"  # in the centre only
    OFF = "off"

    CHOICES = ((EMAIL, _("In-app and e-mail")), (DIGEST, _("In-app and daily digest")),
               (IN_APP, _("In-app only")), (OFF, _("Off")))
    VALUES = (EMAIL, DIGEST, IN_APP, OFF)


@dataclass(frozen=True)
class Kind:
    key: str
    label: object  # a lazy translation
    describe: Callable[[dict], str]
    default_channel: str = Channel.EMAIL
    #: False where another mail already goes out (commerce mails the receipt itself)
    email_allowed: bool = True

    def channels(self) -> tuple[tuple[str, object], ...]:
        if self.email_allowed:
            return Channel.CHOICES
        return tuple(c for c in Channel.CHOICES if c[0] in (Channel.IN_APP, Channel.OFF))


_REGISTRY: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Add a kind (idempotent for the same key; apps call this from ``AppConfig.ready``)."""
    if kind.key == DIGEST:
        raise ValueError(f"{DIGEST!r} is reserved")
    _REGISTRY[kind.key] = kind
    return kind


def get(key: str) -> Kind:
    try:
        return _REGISTRY[key]
    except KeyError:
        raise LookupError(f"unknown notification kind {key!r}") from None


def all_kinds() -> list[Kind]:
    return list(_REGISTRY.values())


def _palette(p: dict) -> str:
    if p.get("approved"):
        return gettext("Your palette for %(storefront)s was approved. You can activate it now.") % p
    return gettext("Your palette for %(storefront)s was rejected: %(note)s") % p


def _job(p: dict) -> str:
    try:
        label = str(apps.get_model(p["model"])._meta.verbose_name)
    except (LookupError, KeyError, ValueError):
        label = gettext("background job")
    return gettext("Your %(job)s failed: %(reason)s") % {"job": label, "reason": p.get("reason", "")}


def _course(p: dict) -> str:
    return gettext("%(creator)s published a new course: %(course)s") % p


def _challenge(p: dict) -> str:
    return gettext("Reminder: the challenge “%(challenge)s” ends on %(ends)s.") % p


def _certificate(p: dict) -> str:
    return gettext("You earned a certificate for %(course)s.") % p


def _receipt(p: dict) -> str:
    return gettext("Payment received for %(course)s (order %(number)s).") % p


register(Kind(PALETTE_REVIEWED, _("Palette approved or rejected"), _palette))
register(Kind(JOB_FAILED, _("Background job failed"), _job))
register(Kind(NEW_COURSE, _("New course from a creator you follow"), _course))
register(Kind(CHALLENGE_REMINDER, _("Challenge reminders"), _challenge))
register(Kind(CERTIFICATE_EARNED, _("Certificate earned"), _certificate))
register(Kind(ORDER_RECEIPT, _("Order receipts"), _receipt, default_channel=Channel.IN_APP, email_allowed=False))
