"""A visitor who chose before signing in keeps their choice in their account."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from . import services


@receiver(user_logged_in, dispatch_uid="privacy.adopt_cookie_choice")
def adopt_cookie_choice(sender, request, user, **kwargs) -> None:
    if request is not None:
        services.consent_adopt_cookie(request=request, user=user)
