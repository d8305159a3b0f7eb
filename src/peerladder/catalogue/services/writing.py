"""What every write of a case shares: lock its row and refuse a stale edit, check that
the author may edit, and record the revision (a snapshot of the whole case after the
change) in the same transaction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from peerladder.accounts.models import User
from peerladder.catalogue import selectors
from peerladder.catalogue.models import Case, CaseCountry, FormerSlug, Revision
from peerladder.catalogue.records import case_record_of
from peerladder.catalogue.validation import Errors
from peerladder.errors import EditConflict, InvalidInput, NotAllowed, refusal
from peerladder.ladder import FieldError
from peerladder.ladder.trajectory import PlacementRow, standing
from peerladder.text import sort_key


def name_sort_key(name: str) -> str:
    """What ``Case.sort_name`` holds for ``name`` (cut to the column's length)."""
    return sort_key(name)[:200]


def raise_if(errors: Errors) -> None:
    if errors:
        raise InvalidInput(errors)


def check_may_write(author: User) -> None:
    """Refuse a blocked or deactivated account."""
    if author.blocked_at is not None or not author.is_active:
        raise NotAllowed(refusal("not-allowed.blocked-editing"))


def check_may_edit(case: Case, author: User) -> None:
    check_may_write(author)
    if case.locked and not author.is_moderator:
        raise NotAllowed(refusal("not-allowed.locked"))


def check_moderator(user: User) -> None:
    """Refuse anyone but an unblocked moderator or admin."""
    if not user.is_moderator or user.blocked_at is not None:
        raise NotAllowed(refusal("not-allowed.moderators-only"))


def check_unique(cleaned: Mapping[str, Any], errors: Errors, *, exclude: int | None = None) -> None:
    """Refuse a slug or Wikidata id that another case has, and a slug that another case
    had (it redirects to that case)."""
    others = Case.objects.exclude(pk=exclude) if exclude else Case.objects.all()
    if cleaned.get("slug") and others.filter(slug=cleaned["slug"]).exists():
        errors.append(
            FieldError.keyed(
                "slug", cleaned["slug"], None, refusal("slug.taken", slug=repr(cleaned["slug"]))
            )
        )
    elif cleaned.get("slug"):
        former = FormerSlug.objects.filter(slug=cleaned["slug"]).exclude(case_id=exclude)
        moved_to = former.values_list("case__slug", flat=True).first()
        if moved_to is not None:
            errors.append(
                FieldError.keyed(
                    "slug",
                    cleaned["slug"],
                    None,
                    refusal("slug.former", slug=repr(cleaned["slug"]), current=repr(moved_to)),
                )
            )
    if cleaned.get("wikidata") and others.filter(wikidata=cleaned["wikidata"]).exists():
        errors.append(
            FieldError.keyed(
                "wikidata",
                cleaned["wikidata"],
                None,
                refusal("wikidata.taken", wikidata=cleaned["wikidata"]),
            )
        )


def lock_case(case: Case, *, base_revision: int | None) -> Case:
    """Re-read the case under a row lock and refuse a stale edit."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if base_revision is not None and base_revision != locked.revision_number:
        raise EditConflict(expected=base_revision, current=locked.revision_number)
    return locked


def set_countries(case: Case, codes: Sequence[str]) -> None:
    CaseCountry.objects.filter(case=case).delete()
    CaseCountry.objects.bulk_create(
        CaseCountry(case=case, code=code, position=index) for index, code in enumerate(codes)
    )


def _refresh_standing(case: Case) -> None:
    rows = [
        PlacementRow(*values)
        for values in case.placements.filter(retracted_at__isnull=True)
        .values_list("valid_from", "valid_to", "rung", "economy", "viability", "author_id")
        .order_by("valid_from", "id")
    ]
    latest = standing(rows)
    case.placement_count = len(rows)
    if latest is None:
        case.standing_rung = case.standing_economy = case.standing_viability = None
        case.agreement = None
        case.contested = False
    else:
        case.standing_rung = latest.rung
        case.standing_economy = latest.economy
        case.standing_viability = latest.viability
        case.agreement = latest.consensus.agreement
        case.contested = latest.consensus.contested


def record_revision(case: Case, *, author: User | None, action: str, summary: str) -> Revision:
    """Bump the case's revision number and store the snapshot after the change."""
    _refresh_standing(case)
    case.sort_name = name_sort_key(case.name)
    parent = Revision.objects.filter(case=case, number=case.revision_number).first()
    case.revision_number += 1
    case.save()
    fresh = selectors.case_full_queryset().get(pk=case.pk)
    return Revision.objects.create(
        case=case,
        number=case.revision_number,
        parent=parent,
        author=author,
        action=action,
        summary=summary[:300],
        snapshot=case_record_of(fresh),
    )
