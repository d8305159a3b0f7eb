"""Placements: one contributor's answers for a case over a period, added and retracted."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from peerladder.accounts.models import User
from peerladder.catalogue import revision_summaries as summaries
from peerladder.catalogue.models import Case, Placement, Source
from peerladder.catalogue.services.review import reviewed
from peerladder.catalogue.services.writing import (
    check_may_edit,
    lock_case,
    raise_if,
    record_revision,
)
from peerladder.catalogue.validation import CheckedPlacement, Errors, check_placement
from peerladder.errors import InvalidInput, NotAllowed, refusal
from peerladder.ladder import FieldError

SourceRef = str | Mapping[str, Any]


def write_placement(case: Case, placement: CheckedPlacement, *, author: User) -> Placement:
    """Store a checked placement by ``author``: the sources it gives in full join the
    case's, and it cites each of its sources."""
    for source in placement.new_sources:
        Source.objects.get_or_create(
            case=case, url=source["url"], defaults={**source, "added_by": author}
        )
    result = placement.classification
    stored = Placement.objects.create(
        case=case,
        answers=placement.answers,
        rung=result.rung,
        economy=result.economy,
        viability=result.viability,
        valid_from=placement.valid_from,
        valid_to=placement.valid_to,
        rationale=placement.rationale,
        author=author,
    )
    stored.sources.set(Source.objects.filter(case=case, url__in=placement.source_urls))
    return stored


@reviewed("placement_add")
@transaction.atomic
def placement_add(
    *,
    case: Case,
    author: User,
    answers: Mapping[str, Any],
    valid_from: str | int,
    valid_to: str | int | None = None,
    rationale: str,
    sources: Sequence[SourceRef],
    base_revision: int | None = None,
) -> Placement:
    """Add one contributor's placement of a case for a period, with at least one source."""
    case = lock_case(case, base_revision=base_revision)
    check_may_edit(case, author)
    errors: Errors = []
    checked = check_placement(
        {
            "answers": answers,
            "valid_from": valid_from,
            "valid_to": valid_to,
            "rationale": rationale,
            "sources": sources,
        },
        errors,
        prefix="",
        known_urls=set(case.sources.values_list("url", flat=True)),
    )
    raise_if(errors)
    assert checked is not None
    placement = write_placement(case, checked, author=author)
    record_revision(
        case,
        author=author,
        action="placement_add",
        summary=summaries.PLACED.text(rung=placement.rung, period=placement.valid_from),
    )
    return placement


@reviewed("placement_retract")
@transaction.atomic
def placement_retract(*, placement: Placement, author: User) -> Placement:
    """Withdraw a placement (its author, or a moderator). It stays in history."""
    case = lock_case(placement.case, base_revision=None)
    check_may_edit(case, author)
    if placement.author_id != author.pk and not author.is_moderator:
        raise NotAllowed(refusal("not-allowed.retract"))
    if placement.retracted_at is not None:
        raise InvalidInput(
            [FieldError.keyed("placement", placement.pk, None, refusal("placement.retracted"))]
        )
    placement.retracted_at = timezone.now()
    placement.save(update_fields=["retracted_at"])
    record_revision(
        case,
        author=author,
        action="placement_retract",
        summary=summaries.RETRACTED.text(rung=placement.rung),
    )
    return placement
