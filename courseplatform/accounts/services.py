"""Writes for accounts: sign-up."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import translation

from courseplatform.hooks.signals import send_on_commit, user_signed_up

from .models import User


@transaction.atomic
def user_sign_up(
    *, username: str, email: str, password: str, role: str, display_name: str = "", interests: Iterable = (),
    language: str | None = None,
) -> User:
    """A new account. ``language``: the one the person signed up in (their mails start in it); default the
    active one."""
    if role not in User.Role.values:
        raise ValueError(f"Unknown role {role!r}")
    user = User.objects.create_user(
        username=username, email=email, password=password, role=role, display_name=display_name
    )
    interests = list(interests)
    if interests:
        user.interests.set(interests)
    send_on_commit(user_signed_up, User, user=user, language=language or translation.get_language())
    return user
