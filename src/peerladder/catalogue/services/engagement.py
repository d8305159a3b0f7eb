"""What readers do: rate a case and view its page (counters, no personal data)."""

from __future__ import annotations

from datetime import date

from django.db import connection, transaction
from django.db.models import Avg, Count
from django.utils import timezone

from peerladder.accounts.models import User
from peerladder.catalogue.models import Case, CaseViewDay, Rating
from peerladder.errors import InvalidInput, NotAllowed
from peerladder.ladder import FieldError


@transaction.atomic
def rating_set(*, case: Case, user: User, stars: int) -> Rating:
    """Rate a case from 1 to 5 stars; rating again changes the account's one rating."""
    if user.blocked_at is not None or not user.is_active:
        raise NotAllowed("this account is blocked")
    if isinstance(stars, bool) or not isinstance(stars, int) or not 1 <= stars <= 5:
        raise InvalidInput(
            [FieldError("stars", stars, [1, 2, 3, 4, 5], "stars must be a whole number 1 to 5")]
        )
    Case.objects.select_for_update().filter(pk=case.pk).first()
    rating, _ = Rating.objects.update_or_create(case=case, user=user, defaults={"stars": stars})
    totals = Rating.objects.filter(case=case).aggregate(count=Count("id"), average=Avg("stars"))
    Case.objects.filter(pk=case.pk).update(
        rating_count=totals["count"], rating_average=totals["average"]
    )
    case.rating_count, case.rating_average = totals["count"], totals["average"]
    return rating


def case_view_record(*, case: Case, day: date | None = None) -> None:
    """Count one view of the case for the day; only the daily total is stored.

    One upsert (SQLite and PostgreSQL both have ON CONFLICT), so concurrent views
    never lose a count.
    """
    day = day or timezone.now().date()
    table = CaseViewDay._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A crash may lose the last few views; a page view need not wait for the
            # disk the way an edit must.
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        cursor.execute(
            f"INSERT INTO {table} (case_id, day, count) VALUES (%s, %s, 1) "  # noqa: S608
            f"ON CONFLICT (case_id, day) DO UPDATE SET count = {table}.count + 1",
            [case.pk, day],
        )
