"""The custom user model: one account, three roles (learner, creator; staff via ``is_staff``)."""

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

    def __str__(self) -> str:
        return self.display_name or self.username
