"""What readers do: rate a case and view its page (counters, no personal data)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Avg, Count
from django.utils import timezone

from peerladder.accounts.models import User
from peerladder.catalogue.models import Case, Rating
from peerladder.catalogue.services.view_counts import case_views_add
from peerladder.errors import InvalidInput, NotAllowed, refusal
from peerladder.ladder import FieldError


@transaction.atomic
def rating_set(*, case: Case, user: User, stars: int) -> Rating:
    """Rate a case from 1 to 5 stars; rating again changes the account's one rating."""
    if user.blocked_at is not None or not user.is_active:
        raise NotAllowed(refusal("not-allowed.blocked"))
    if isinstance(stars, bool) or not isinstance(stars, int) or not 1 <= stars <= 5:
        raise InvalidInput([FieldError.keyed("stars", stars, [1, 2, 3, 4, 5], refusal("stars"))])
    Case.objects.select_for_update().filter(pk=case.pk).first()
    rating, _ = Rating.objects.update_or_create(case=case, user=user, defaults={"stars": stars})
    totals = Rating.objects.filter(case=case).aggregate(count=Count("id"), average=Avg("stars"))
    Case.objects.filter(pk=case.pk).update(
        rating_count=totals["count"], rating_average=totals["average"]
    )
    case.rating_count, case.rating_average = totals["count"], totals["average"]
    return rating


def case_view_record(*, case: Case, day: date | None = None) -> None:
    """Count one view of the case for the day at once; only the daily total is stored.
    Pages count through :func:`~.view_counts.case_view_count`, which batches."""
    case_views_add(counts={(case.pk, day or timezone.now().date()): 1})
