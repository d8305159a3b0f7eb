"""Creating many new cases at once, for imports: the same checks, rows and revisions as
``services.case_create``, written with ``bulk_create`` a batch at a time.

Each case gets revision 1 with the snapshot of the whole case, by the importing
account, in the same transaction as its rows. Placements keep their own authors.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from peerladder.accounts.models import User
from peerladder.catalogue import selectors
from peerladder.catalogue.errors import InvalidInput, NotAllowed
from peerladder.catalogue.models import Case, CaseCountry, Placement, Revision, Source
from peerladder.catalogue.records import case_record
from peerladder.catalogue.standing import PlacementRow, standing
from peerladder.catalogue.validation import (
    CASE_FIELDS,
    Errors,
    clean_case,
    clean_placement,
    clean_source,
)
from peerladder.ladder import FieldError


def _prepare(record: Mapping[str, Any], errors: Errors) -> dict[str, Any]:
    """The cleaned case, sources and placements of one record (problems go to ``errors``)."""
    fields = clean_case({key: record[key] for key in CASE_FIELDS if key in record}, errors)
    sources = [
        clean_source(source, errors, prefix=f"sources[{index}].")
        for index, source in enumerate(record.get("sources") or [])
    ]
    known = {source.get("url") for source in sources}
    placements = []
    for index, placement in enumerate(record.get("placements") or []):
        prefix = f"placements[{index}]."
        cleaned = clean_placement(placement, errors, prefix=prefix)
        refs = placement.get("sources") if isinstance(placement, Mapping) else None
        if not isinstance(refs, list) or not refs:
            errors.append(FieldError(prefix + "sources", refs, None, "needs at least one source"))
            refs = []
        for ref in refs:
            if not isinstance(ref, str) or ref.strip() not in known:
                errors.append(
                    FieldError(prefix + "sources", ref, None, "not one of this case's sources")
                )
        cleaned["source_urls"] = [ref.strip() for ref in refs if isinstance(ref, str)]
        cleaned["author"] = placement.get("author") if isinstance(placement, Mapping) else None
        placements.append(cleaned)
    return {"fields": fields, "sources": sources, "placements": placements}


@transaction.atomic
def cases_bulk_create(
    *,
    author: User,
    records: Sequence[Mapping[str, Any]],
    authors: Mapping[str, User],
    summary: str = "Imported",
) -> list[Case]:
    """Create new cases from records in the import format (docs/dataset-format.md).

    ``authors`` maps the placement author names of the records to accounts; a
    placement without one is the importing ``author``'s. Raises ``InvalidInput``
    naming the record (``records[i].field``) for any problem; then nothing is written.
    """
    if author.blocked_at is not None or not author.is_active:
        raise NotAllowed("this account is blocked from editing")
    errors: Errors = []
    prepared = []
    for index, record in enumerate(records):
        found: Errors = []
        prepared.append(_prepare(record, found))
        errors.extend(
            FieldError(f"records[{index}].{e.field}", e.received, e.allowed, e.message)
            for e in found
        )
    if errors:
        raise InvalidInput(errors)

    cases = []
    for item in prepared:
        fields = {k: v for k, v in item["fields"].items() if k != "countries"}
        rows = [
            PlacementRow(
                p["valid_from"],
                p["valid_to"],
                p["classification"].rung,
                p["classification"].economy,
                p["classification"].viability,
            )
            for p in item["placements"]
        ]
        latest = standing(rows)
        cases.append(
            Case(
                **fields,
                standing_rung=latest.rung if latest else None,
                standing_economy=latest.economy if latest else None,
                standing_viability=latest.viability if latest else None,
                agreement=latest.consensus.agreement if latest else None,
                contested=latest.consensus.contested if latest else False,
                placement_count=len(rows),
                revision_number=1,
            )
        )
    Case.objects.bulk_create(cases)

    countries, sources = [], []
    for case, item in zip(cases, prepared, strict=True):
        countries += [
            CaseCountry(case=case, code=code, position=position)
            for position, code in enumerate(item["fields"].get("countries", []))
        ]
        sources += [Source(case=case, added_by=author, **data) for data in item["sources"]]
    CaseCountry.objects.bulk_create(countries)
    Source.objects.bulk_create(sources)
    by_url = {(source.case_id, source.url): source for source in sources}

    placements, links = [], []
    for case, item in zip(cases, prepared, strict=True):
        for data in item["placements"]:
            result = data["classification"]
            placement = Placement(
                case=case,
                answers=data["answers"],
                rung=result.rung,
                economy=result.economy,
                viability=result.viability,
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
                rationale=data["rationale"],
                author=authors.get(data["author"] or "", author),
            )
            placements.append(placement)
            links.append([by_url[(case.pk, url)] for url in data["source_urls"]])
    Placement.objects.bulk_create(placements)
    through = Placement.sources.through
    through.objects.bulk_create(
        through(placement_id=placement.pk, source_id=source.pk)
        for placement, linked in zip(placements, links, strict=True)
        for source in linked
    )

    # Snapshots from the stored rows, so revision 1 is exactly what a read would give.
    stored = selectors.case_full_queryset().filter(pk__in=[case.pk for case in cases])
    Revision.objects.bulk_create(
        Revision(
            case=case,
            number=1,
            author=author,
            action="create",
            summary=summary[:300],
            snapshot=case_record(case),
        )
        for case in stored
    )
    return cases
