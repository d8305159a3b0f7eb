"""Every write to accounts."""

from __future__ import annotations

from django.db import transaction

from peerladder.accounts.models import Role, User


@transaction.atomic
def user_ensure(*, username: str, role: str = Role.CONTRIBUTOR) -> User:
    """The account named ``username``, created without a usable password when missing.

    Used for contributors named in imported data: they can claim the account
    through a password reset later.
    """
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, role=role)
        user.set_unusable_password()
        user.save()
    return user
