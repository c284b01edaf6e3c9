"""The custom user model: one account, three roles (learner, creator; staff via ``is_staff``)."""

from collections.abc import Iterator

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    class Role(models.TextChoices):
        LEARNER = "learner", _("Learner")
        CREATOR = "creator", _("Course creator")

    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.LEARNER)
    display_name = models.CharField(_("display name"), max_length=80, blank=True)
    interests = models.ManyToManyField(
        "catalog.Category", blank=True, related_name="interested_users", verbose_name=_("interests")
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_creator(self) -> bool:
        return self.role == self.Role.CREATOR

    @property
    def is_learner(self) -> bool:
        return self.role == self.Role.LEARNER

    #: Set only on the copy the user cache keeps (``accounts.backends``), whose password hash is left out (a deferred
    #: field, read from the database if anything asks for it): what Django asks of the hash on every request, the
    #: session hashes (HMACs of it, which do not give it back), and whether it is usable (the admin's header).
    _cached_auth: tuple[str, tuple[str, ...], bool] | None = None

    def _auth_from_cache(self) -> tuple[str, tuple[str, ...], bool] | None:
        return self._cached_auth if "password" not in self.__dict__ else None

    def get_session_auth_hash(self) -> str:
        cached = self._auth_from_cache()
        return cached[0] if cached is not None else super().get_session_auth_hash()

    def get_session_auth_fallback_hash(self) -> Iterator[str]:
        cached = self._auth_from_cache()
        yield from cached[1] if cached is not None else super().get_session_auth_fallback_hash()

    def has_usable_password(self) -> bool:
        cached = self._auth_from_cache()
        return cached[2] if cached is not None else super().has_usable_password()

    def refresh_from_db(self, *args, **kwargs) -> None:
        self.__dict__.pop("_cached_auth", None)  # a reloaded row answers from its own hash
        super().refresh_from_db(*args, **kwargs)

    def __str__(self) -> str:
        return self.display_name or self.username
