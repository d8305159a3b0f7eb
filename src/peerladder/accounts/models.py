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
    # Accounts made by signing up on the site wait for a moderator's approval of
    # this many edits; accounts made by an operator start trusted (0).
    review_edits_left = models.PositiveSmallIntegerField(default=0)

    class Meta:
        db_table = "accounts_user"

    @property
    def is_moderator(self) -> bool:
        return self.role in (Role.MODERATOR, Role.ADMIN) or self.is_superuser


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12, help_text="The first characters, to tell tokens apart")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
