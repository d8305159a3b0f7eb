"""Creating many new cases at once, for imports: the same checks, rows and revisions as
``services.case_create``, written a batch at a time by a :class:`TableWriter`.

A record is checked once, into a :class:`NewCase` (:func:`new_case`, or the
import planner, which runs the same ``clean_*`` functions); :func:`cases_bulk_create`
then writes each case with its countries, sources, placements and revision 1 by
the importing account. The revision's snapshot is built from the checked values
in exactly the shape ``records.case_record`` reads back (a test holds the two
equal), so nothing is read back. Placements keep their own authors.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from peerladder.accounts.models import User
from peerladder.catalogue.models import Case, CaseCountry, Placement, Revision, Source
from peerladder.catalogue.standing import PlacementRow, standing
from peerladder.catalogue.table_writer import table_writer
from peerladder.catalogue.validation import (
    CASE_FIELDS,
    Errors,
    clean_case,
    clean_placement,
    clean_source,
)
from peerladder.errors import InvalidInput, NotAllowed
from peerladder.ladder import FieldError

__all__ = ["BULK_MODELS", "NewCase", "cases_bulk_create", "new_case"]


@dataclass(frozen=True)
class NewCase:
    """A checked new case: the outputs of the ``clean_*`` functions of catalogue.validation.

    ``fields`` is ``clean_case`` (with ``countries``); ``sources`` are ``clean_source``
    results with distinct URLs; each placement is ``clean_placement`` plus
    ``source_urls`` (URLs among ``sources``) and ``author`` (an account name, or
    None for the importing account).
    """

    fields: dict[str, Any]
    sources: list[dict[str, Any]]
    placements: list[dict[str, Any]]


def new_case(record: Mapping[str, Any], errors: Errors) -> NewCase:
    """Check one record of the import format; its problems go to ``errors``."""
    fields = clean_case({key: record[key] for key in CASE_FIELDS if key in record}, errors)
    sources = []
    for index, source in enumerate(record.get("sources") or []):
        cleaned = clean_source(source, errors, prefix=f"sources[{index}].")
        if cleaned.get("url") in {s["url"] for s in sources}:
            errors.append(FieldError(f"sources[{index}].url", cleaned["url"], None, "listed twice"))
        elif cleaned.get("url"):
            sources.append(cleaned)
    known = {source["url"] for source in sources}
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
    return NewCase(fields=fields, sources=sources, placements=placements)


def snapshot(item: NewCase, author: str, authors: Mapping[str, User]) -> dict[str, Any]:
    """What ``records.case_record`` gives for the case once written (no relations yet)."""
    fields = item.fields
    by_url = {source["url"]: index for index, source in enumerate(item.sources)}
    # Placements read back by period start, then in the order they were written;
    # a placement's sources by id, which is the order of the case's sources.
    placements = sorted(item.placements, key=lambda p: p["valid_from"])
    return {
        "slug": fields["slug"],
        "name": fields["name"],
        "summary": fields["summary"],
        "description": fields.get("description", ""),
        "website": fields.get("website") or None,
        "wikidata": fields.get("wikidata"),
        "countries": list(fields.get("countries", [])),
        "sector": fields.get("sector", "other"),
        "org_form": fields.get("org_form", "other"),
        "founded": fields.get("founded"),
        "ended": fields.get("ended"),
        "tags": list(fields.get("tags", [])),
        "sources": [
            {
                "url": source["url"],
                "title": source["title"],
                "publisher": source["publisher"],
                "published": source["published"].isoformat() if source["published"] else None,
                "accessed": source["accessed"].isoformat() if source["accessed"] else None,
            }
            for source in item.sources
        ],
        "placements": [
            {
                "answers": placement["answers"],
                "valid_from": placement["valid_from"],
                "valid_to": placement["valid_to"],
                "rationale": placement["rationale"],
                "sources": [
                    item.sources[index]["url"]
                    for index in sorted({by_url[url] for url in placement["source_urls"]})
                ],
                "author": authors[placement["author"]].username
                if placement["author"] in authors
                else author,
            }
            for placement in placements
        ],
        "relations": [],
    }


CASE_COLUMNS = (
    "id", "slug", "name", "summary", "description", "website", "wikidata", "sector",
    "org_form", "founded", "ended", "tags", "standing_rung", "standing_economy",
    "standing_viability", "agreement", "contested", "placement_count", "revision_number",
    "rating_count", "rating_average", "locked", "archived", "created_at", "updated_at",
)  # fmt: skip
SOURCE_COLUMNS = (
    "id", "case", "url", "title", "publisher", "published", "accessed", "added_by", "created_at",
)  # fmt: skip
PLACEMENT_COLUMNS = (
    "id", "case", "answers", "rung", "economy", "viability", "valid_from", "valid_to",
    "rationale", "author", "created_at", "retracted_at",
)  # fmt: skip
REVISION_COLUMNS = (
    "id", "case", "number", "parent", "author", "created_at", "action", "summary", "snapshot",
)  # fmt: skip


# The tables cases_bulk_create writes.
BULK_MODELS = (Case, CaseCountry, Source, Placement, Placement.sources.through, Revision)


@transaction.atomic
def cases_bulk_create(
    *,
    author: User,
    cases: Sequence[NewCase],
    authors: Mapping[str, User],
    summary: str = "Imported",
) -> list[int]:
    """Write checked new cases; returns their ids, in order.

    ``authors`` maps the placement author names to accounts; a placement without
    one (or naming the importing ``author``) is the importing account's. Raises
    ``InvalidInput`` naming the record (``records[i].field``) for a slug or
    Wikidata id that is taken; then nothing is written.
    """
    if author.blocked_at is not None or not author.is_active:
        raise NotAllowed("this account is blocked from editing")
    if not cases:
        return []
    writer = table_writer()
    now = writer.now()
    case_ids = writer.reserve_ids(Case, len(cases))
    source_ids = iter(writer.reserve_ids(Source, sum(len(item.sources) for item in cases)))
    placement_ids = iter(writer.reserve_ids(Placement, sum(len(item.placements) for item in cases)))
    case_rows, country_rows, source_rows, placement_rows, link_rows, revision_rows = (
        [] for _ in range(6)
    )
    accounts = {**authors, author.username: author}
    for case_id, item in zip(case_ids, cases, strict=True):
        fields = item.fields
        latest = standing(
            PlacementRow(
                p["valid_from"],
                p["valid_to"],
                p["classification"].rung,
                p["classification"].economy,
                p["classification"].viability,
            )
            for p in item.placements
        )
        case_rows.append(
            (
                case_id, fields["slug"], fields["name"], fields["summary"],
                fields.get("description", ""), fields.get("website", ""),
                fields.get("wikidata"), fields.get("sector", "other"),
                fields.get("org_form", "other"), fields.get("founded"), fields.get("ended"),
                writer.json(fields.get("tags", [])),
                latest.rung if latest else None, latest.economy if latest else None,
                latest.viability if latest else None,
                latest.consensus.agreement if latest else None,
                latest.consensus.contested if latest else False,
                len(item.placements), 1, 0, None, False, False, now, now,
            )
        )  # fmt: skip
        country_rows += [
            (case_id, code, position) for position, code in enumerate(fields.get("countries", []))
        ]
        by_url = {}
        for source in item.sources:
            source_id = next(source_ids)
            by_url[source["url"]] = source_id
            source_rows.append(
                (
                    source_id, case_id, source["url"], source["title"], source["publisher"],
                    writer.date(source["published"]), writer.date(source["accessed"]),
                    author.pk, now,
                )
            )  # fmt: skip
        for placement in item.placements:
            placement_id = next(placement_ids)
            result = placement["classification"]
            placement_rows.append(
                (
                    placement_id, case_id, writer.json(placement["answers"]), result.rung,
                    result.economy, result.viability, placement["valid_from"],
                    placement["valid_to"], placement["rationale"],
                    accounts.get(placement["author"] or "", author).pk, now, None,
                )
            )  # fmt: skip
            link_rows += [
                (placement_id, source_id)
                for source_id in dict.fromkeys(by_url[url] for url in placement["source_urls"])
            ]
        revision_rows.append(
            (
                case_id,
                1,
                None,
                author.pk,
                now,
                "create",
                summary[:300],
                writer.json(snapshot(item, author.username, authors)),
            )
        )
    try:
        writer.insert(Case, CASE_COLUMNS, case_rows)
    except IntegrityError:
        raise InvalidInput(
            [FieldError("slug", None, None, "a slug or Wikidata id of these cases is taken")]
        ) from None
    writer.insert(CaseCountry, ("case", "code", "position"), country_rows)
    writer.insert(Source, SOURCE_COLUMNS, source_rows)
    writer.insert(Placement, PLACEMENT_COLUMNS, placement_rows)
    writer.insert(Placement.sources.through, ("placement", "source"), link_rows)
    writer.insert(Revision, REVISION_COLUMNS[1:], revision_rows)
    return case_ids
