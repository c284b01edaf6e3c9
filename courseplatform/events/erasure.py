"""The interaction log's part of erasing a person (called by ``courseplatform.privacy.services``)."""

from .models import Interaction


def person_detach(*, user_id: int) -> int:
    """Detach every event of a person from them (no user, no session): the rows stay as anonymous counts, and
    training, which reads learners' events only, never sees them again. Returns the rows changed."""
    return Interaction.objects.filter(user_id=user_id).update(user=None, session_key="")
