"""Reads of the catalogue's activity: revisions, held edits, ratings and view counts."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet, Sum

from peerladder.accounts.models import User
from peerladder.catalogue.models import Case, CaseViewDay, PendingEdit, Rating, Revision


def recent_revisions(*, limit: int = 50) -> QuerySet[Revision]:
    """The newest revisions of live cases, newest first."""
    return (
        Revision.objects.filter(case__archived=False)
        .select_related("case", "author")
        .order_by("-created_at", "-id")[:limit]
    )


def account_revisions(account: User, *, limit: int = 200) -> QuerySet[Revision]:
    return (
        Revision.objects.filter(author=account)
        .select_related("case")
        .order_by("-created_at", "-id")[:limit]
    )


def revision_pair(case: Case, first: int, second: int) -> tuple[Revision | None, Revision | None]:
    found = {
        revision.number: revision
        for revision in Revision.objects.filter(case=case, number__in=[first, second])
    }
    return found.get(first), found.get(second)


def pending_edits_for(*, viewer: User | None, case: Case | None = None) -> QuerySet[PendingEdit]:
    """Held edits the viewer may see: all for a moderator, their own for an author."""
    edits = PendingEdit.objects.filter(state=PendingEdit.State.PENDING).select_related(
        "author", "case"
    )
    if case is not None:
        edits = edits.filter(case=case)
    if viewer is None or not viewer.is_authenticated:
        return edits.none()
    if not viewer.is_moderator:
        edits = edits.filter(author=viewer)
    return edits.order_by("created_at", "id")


def account_pending_edits(account: User) -> QuerySet[PendingEdit]:
    return PendingEdit.objects.filter(author=account).select_related("case").order_by("-id")


def rating_of(case: Case, user: User | None) -> int | None:
    """The viewer's own rating of the case, if any."""
    if user is None or not user.is_authenticated:
        return None
    return Rating.objects.filter(case=case, user=user).values_list("stars", flat=True).first()


def view_count(case: Case, *, since: date | None = None) -> int:
    days = CaseViewDay.objects.filter(case=case)
    if since is not None:
        days = days.filter(day__gte=since)
    return days.aggregate(total=Sum("count"))["total"] or 0
