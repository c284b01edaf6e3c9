"""Whether this visitor allows non-essential tracking (reads only; the choice is written by ``services``).

Non-essential: what the service does not need to work — impressions, client clicks and views, experiment
exposures, search-result clicks. Outcomes the server records itself (enrolments, purchases, completions,
ratings, lesson progress) are the service and are always kept (``events.services.record_server_event``).

Signed-in people: their ``TrackingConsent`` row, else the cookie they chose before signing in. Anonymous
visitors: the cookie. No choice yet means no tracking. ``PRIVACY_REQUIRE_CONSENT = False`` (an operator's
choice where the law allows it) allows tracking without asking and shows no banner.
"""

from django.conf import settings

from .models import TrackingConsent

COOKIE = "tracking_consent"
GRANTED, DENIED = "granted", "denied"
#: the cookie lives a year; the choice is asked again after that
COOKIE_MAX_AGE_S = 365 * 24 * 3600
_CACHE = "_privacy_consent"


def consent_required() -> bool:
    return bool(getattr(settings, "PRIVACY_REQUIRE_CONSENT", True))


def cookie_choice(request) -> bool | None:
    value = getattr(request, "COOKIES", {}).get(COOKIE)
    return {GRANTED: True, DENIED: False}.get(value)


def user_choice(user) -> bool | None:
    if user is None or not user.is_authenticated:
        return None
    return TrackingConsent.objects.filter(user_id=user.pk).values_list("granted", flat=True).first()


def visitor_choice(request) -> bool | None:
    """The visitor's choice (``None``: not asked yet), looked up once per request."""
    if request is None:
        return None
    cached = request.__dict__.get(_CACHE, ...)
    if cached is not ...:
        return cached
    choice = user_choice(getattr(request, "user", None))
    if choice is None:
        choice = cookie_choice(request)
    request.__dict__[_CACHE] = choice
    return choice


def tracking_allowed(request) -> bool:
    """Whether non-essential events about this visitor may be recorded."""
    if not consent_required():
        return True
    return visitor_choice(request) is True


def forget_cached(request) -> None:
    request.__dict__.pop(_CACHE, None)
