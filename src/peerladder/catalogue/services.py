"""Every write to the catalogue. Each service runs in one transaction and writes the
case's revision (a snapshot of the whole case after the change) in that same
transaction, so history can never miss a change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from peerladder.accounts.models import User
from peerladder.catalogue import selectors
from peerladder.catalogue.errors import EditConflict, InvalidInput, NotAllowed
from peerladder.catalogue.models import Case, CaseCountry, Placement, Relation, Revision, Source
from peerladder.catalogue.records import case_record
from peerladder.catalogue.standing import PlacementRow, standing
from peerladder.catalogue.validation import (
    Errors,
    clean_case,
    clean_placement,
    clean_relation,
    clean_source,
)
from peerladder.ladder import FieldError

SourceRef = str | Mapping[str, Any]


def _raise_if(errors: Errors) -> None:
    if errors:
        raise InvalidInput(errors)


def _check_unique(
    cleaned: Mapping[str, Any], errors: Errors, *, exclude: int | None = None
) -> None:
    others = Case.objects.exclude(pk=exclude) if exclude else Case.objects.all()
    if cleaned.get("slug") and others.filter(slug=cleaned["slug"]).exists():
        errors.append(
            FieldError(
                "slug", cleaned["slug"], None, f"a case with slug {cleaned['slug']!r} exists"
            )
        )
    if cleaned.get("wikidata") and others.filter(wikidata=cleaned["wikidata"]).exists():
        errors.append(
            FieldError(
                "wikidata",
                cleaned["wikidata"],
                None,
                f"another case already has Wikidata id {cleaned['wikidata']}",
            )
        )


def _check_may_edit(case: Case, author: User) -> None:
    if author.blocked_at is not None or not author.is_active:
        raise NotAllowed("this account is blocked from editing")
    if case.locked and not author.is_moderator:
        raise NotAllowed("this case is locked: only moderators may edit it")


def _set_countries(case: Case, codes: Sequence[str]) -> None:
    CaseCountry.objects.filter(case=case).delete()
    CaseCountry.objects.bulk_create(
        CaseCountry(case=case, code=code, position=index) for index, code in enumerate(codes)
    )


def _refresh_standing(case: Case) -> None:
    rows = [
        PlacementRow(*values)
        for values in case.placements.filter(retracted_at__isnull=True).values_list(
            "valid_from", "valid_to", "rung", "economy", "viability"
        )
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


def _record_revision(case: Case, *, author: User | None, action: str, summary: str) -> Revision:
    """Bump the case's revision number and store the snapshot after the change."""
    _refresh_standing(case)
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
        snapshot=case_record(fresh),
    )


def _lock(case: Case, *, base_revision: int | None) -> Case:
    """Re-read the case under a row lock and refuse a stale edit."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if base_revision is not None and base_revision != locked.revision_number:
        raise EditConflict(expected=base_revision, current=locked.revision_number)
    return locked


def _resolve_sources(
    case: Case, refs: Sequence[SourceRef], errors: Errors, *, prefix: str, author: User | None
) -> list[Source]:
    """Sources by URL of the case's own, or new ones from objects (created here)."""
    if not isinstance(refs, list | tuple) or not refs:
        errors.append(
            FieldError(prefix + "sources", refs, None, f"{prefix}sources needs at least one source")
        )
        return []
    found: list[Source] = []
    for index, ref in enumerate(refs):
        if isinstance(ref, str):
            source = case.sources.filter(url=ref.strip()).first() if case.pk else None
            if source is None:
                errors.append(
                    FieldError(
                        f"{prefix}sources[{index}]",
                        ref,
                        None,
                        f"{prefix}sources[{index}]: {ref!r} is not one of this case's sources",
                    )
                )
                continue
            found.append(source)
        else:
            data = clean_source(ref, errors, prefix=f"{prefix}sources[{index}].")
            if data.get("url"):
                source, _ = Source.objects.get_or_create(
                    case=case, url=data["url"], defaults={**data, "added_by": author}
                )
                found.append(source)
    return found


@transaction.atomic
def case_create(
    *,
    author: User,
    fields: Mapping[str, Any],
    sources: Sequence[Mapping[str, Any]] = (),
    placements: Sequence[Mapping[str, Any]] = (),
    summary: str = "",
) -> Case:
    """Create a case, optionally with its first sources and placements, as revision 1."""
    if author.blocked_at is not None or not author.is_active:
        raise NotAllowed("this account is blocked from editing")
    errors: Errors = []
    cleaned = clean_case(fields, errors)
    _check_unique(cleaned, errors)
    cleaned_sources = [
        clean_source(source, errors, prefix=f"sources[{index}].")
        for index, source in enumerate(sources)
    ]
    cleaned_placements = [
        clean_placement(placement, errors, prefix=f"placements[{index}].")
        for index, placement in enumerate(placements)
    ]
    _raise_if(errors)
    countries = cleaned.pop("countries", [])
    try:
        with transaction.atomic():
            case = Case.objects.create(**cleaned)
    except IntegrityError:
        raise InvalidInput(
            [FieldError("slug", cleaned.get("slug"), None, "the slug or Wikidata id is taken")]
        ) from None
    _set_countries(case, countries)
    for data in cleaned_sources:
        Source.objects.get_or_create(
            case=case, url=data["url"], defaults={**data, "added_by": author}
        )
    for index, (raw, data) in enumerate(zip(placements, cleaned_placements, strict=True)):
        _create_placement(
            case, data, raw.get("sources") or [], author, errors, prefix=f"placements[{index}]."
        )
    _raise_if(errors)
    _record_revision(case, author=author, action="create", summary=summary or "Created the case")
    return case


def _create_placement(
    case: Case,
    data: Mapping[str, Any],
    source_refs: Sequence[SourceRef],
    author: User,
    errors: Errors,
    *,
    prefix: str,
) -> Placement | None:
    linked = _resolve_sources(case, source_refs, errors, prefix=prefix, author=author)
    if errors:
        return None
    result = data["classification"]
    placement = Placement.objects.create(
        case=case,
        answers=data["answers"],
        rung=result.rung,
        economy=result.economy,
        viability=result.viability,
        valid_from=data["valid_from"],
        valid_to=data["valid_to"],
        rationale=data["rationale"],
        author=author,
    )
    placement.sources.set(linked)
    return placement


@transaction.atomic
def case_update(
    *,
    case: Case,
    author: User,
    changes: Mapping[str, Any],
    base_revision: int | None,
    summary: str = "",
) -> Case:
    """Change a case's own fields. Refused when the case moved past ``base_revision``."""
    case = _lock(case, base_revision=base_revision)
    _check_may_edit(case, author)
    errors: Errors = []
    cleaned = clean_case(changes, errors, partial=True)
    _check_unique(cleaned, errors, exclude=case.pk)
    _raise_if(errors)
    countries = cleaned.pop("countries", None)
    founded = cleaned.get("founded", case.founded)
    ended = cleaned.get("ended", case.ended)
    if founded is not None and ended is not None and ended < founded:
        raise InvalidInput(
            [FieldError("ended", ended, None, f"ended ({ended}) is before founded ({founded})")]
        )
    for name, value in cleaned.items():
        setattr(case, name, value)
    if countries is not None:
        _set_countries(case, countries)
    _record_revision(case, author=author, action="edit", summary=summary or "Edited the case")
    return case


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
    case = _lock(case, base_revision=base_revision)
    _check_may_edit(case, author)
    errors: Errors = []
    data = clean_placement(
        {
            "answers": answers,
            "valid_from": valid_from,
            "valid_to": valid_to,
            "rationale": rationale,
        },
        errors,
        prefix="",
    )
    _raise_if(errors)
    placement = _create_placement(case, data, sources, author, errors, prefix="")
    _raise_if(errors)
    assert placement is not None
    _record_revision(
        case,
        author=author,
        action="placement_add",
        summary=f"Placed on rung {placement.rung} from {placement.valid_from}",
    )
    return placement


@transaction.atomic
def placement_retract(*, placement: Placement, author: User) -> Placement:
    """Withdraw a placement (its author, or a moderator). It stays in history."""
    case = _lock(placement.case, base_revision=None)
    _check_may_edit(case, author)
    if placement.author_id != author.pk and not author.is_moderator:
        raise NotAllowed("only its author or a moderator may retract a placement")
    if placement.retracted_at is not None:
        raise InvalidInput([FieldError("placement", placement.pk, None, "already retracted")])
    placement.retracted_at = timezone.now()
    placement.save(update_fields=["retracted_at"])
    _record_revision(
        case,
        author=author,
        action="placement_retract",
        summary=f"Retracted a placement on rung {placement.rung}",
    )
    return placement


@transaction.atomic
def source_add(
    *, case: Case, author: User, source: Mapping[str, Any], base_revision: int | None = None
) -> Source:
    """Add a source to a case."""
    case = _lock(case, base_revision=base_revision)
    _check_may_edit(case, author)
    errors: Errors = []
    data = clean_source(source, errors, prefix="")
    if not errors and case.sources.filter(url=data["url"]).exists():
        errors.append(FieldError("url", data["url"], None, "this case already cites that URL"))
    _raise_if(errors)
    created = Source.objects.create(case=case, added_by=author, **data)
    _record_revision(
        case, author=author, action="source_add", summary=f"Added source {created.title}"
    )
    return created


@transaction.atomic
def relation_add(
    *, case: Case, author: User, relation: Mapping[str, Any], base_revision: int | None = None
) -> Relation:
    """Link a case to another: "case <type> target"."""
    case = _lock(case, base_revision=base_revision)
    _check_may_edit(case, author)
    errors: Errors = []
    data = clean_relation(relation, errors, prefix="")
    target = (
        Case.objects.filter(slug=data.get("target"), archived=False).first() if not errors else None
    )
    if not errors and target is None:
        errors.append(
            FieldError("target", data["target"], None, f"no case has slug {data['target']!r}")
        )
    elif target is not None and target.pk == case.pk:
        errors.append(FieldError("target", data["target"], None, "a case cannot relate to itself"))
    elif (
        target is not None
        and Relation.objects.filter(subject=case, type=data["type"], target=target).exists()
    ):
        errors.append(FieldError("target", data["target"], None, "this relation exists already"))
    _raise_if(errors)
    assert target is not None
    created = Relation.objects.create(subject=case, type=data["type"], target=target)
    _record_revision(
        case, author=author, action="relation_add", summary=f"Linked: {data['type']} {target.slug}"
    )
    return created
