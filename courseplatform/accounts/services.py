"""Writes for accounts: sign-up."""

from collections.abc import Iterable

from django.db import transaction

from .models import User


@transaction.atomic
def user_sign_up(
    *, username: str, email: str, password: str, role: str, display_name: str = "", interests: Iterable = ()
) -> User:
    if role not in User.Role.values:
        raise ValueError(f"Unknown role {role!r}")
    user = User.objects.create_user(
        username=username, email=email, password=password, role=role, display_name=display_name
    )
    interests = list(interests)
    if interests:
        user.interests.set(interests)
    return user
