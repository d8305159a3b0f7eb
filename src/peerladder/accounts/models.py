"""People and their roles."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    CONTRIBUTOR = "contributor", pgettext_lazy("account role", "Contributor")
    MODERATOR = "moderator", pgettext_lazy("account role", "Moderator")
    ADMIN = "admin", pgettext_lazy("account role", "Admin")


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


class RateCounter(models.Model):
    """The hits of one rate-limit key in one fixed window (``accounts.ratelimit``), kept in
    the database so that every worker and app server counts the same hits when no
    shared cache is configured."""

    bucket = models.CharField(max_length=200)
    window_start = models.BigIntegerField(help_text="Seconds since the epoch")
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bucket", "window_start"], name="rate_counter_once")
        ]
        indexes = [models.Index(fields=["window_start"], name="rate_counter_window")]

    def __str__(self) -> str:
        return f"{self.bucket} @ {self.window_start}: {self.hits}"
