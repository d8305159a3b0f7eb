"""People and their roles."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    CONTRIBUTOR = "contributor", "Contributor"
    MODERATOR = "moderator", "Moderator"
    ADMIN = "admin", "Admin"


class User(AbstractUser):
    """An account. Anonymous readers have none; everyone who writes has one."""

    role = models.CharField(max_length=16, choices=Role.choices, default=Role.CONTRIBUTOR)
    blocked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "accounts_user"

    @property
    def is_moderator(self) -> bool:
        return self.role in (Role.MODERATOR, Role.ADMIN) or self.is_superuser
