"""The owner's notification of a decision, through ``courseplatform.notifications`` when it is installed (the
studio page shows the notice either way)."""

import logging

from django.apps import apps
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

KIND = "content_moderated"


def describe(p: dict) -> str:
    if p.get("action") == "hide":
        return gettext("Moderators hid your content “%(title)s”: %(note)s") % p
    return gettext("Moderators restored your content “%(title)s”. %(note)s") % p


def register_kind() -> None:
    """Called from ``AppConfig.ready``."""
    if apps.is_installed("courseplatform.notifications"):
        from courseplatform.notifications import kinds

        kinds.register(kinds.Kind(KIND, _("Moderation of your content"), describe))


def notify_owner(owner, *, decision_id: int, action: str, title: str, url: str, note: str) -> None:
    if not apps.is_installed("courseplatform.notifications"):
        return
    from courseplatform.notifications.services import notify

    try:
        notify(owner, KIND, key=f"moderation:{decision_id}", url=url,
               params={"action": action, "title": title[:200], "note": note})
    except Exception:  # the decision stands; the studio page still shows the notice
        logger.exception("moderation notification to user %s failed", owner.pk)
