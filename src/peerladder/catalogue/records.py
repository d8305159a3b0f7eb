"""A case as a plain record in the documented JSON Lines format (docs/dataset-format.md).

One shape serves revision snapshots, diffs, reverts, exports and the API, so
what a revision stores is exactly what an export writes.
"""

from __future__ import annotations

from typing import Any

from peerladder.catalogue.models import Case, Placement, Source


def source_record(source: Source) -> dict[str, Any]:
    return {
        "url": source.url,
        "title": source.title,
        "publisher": source.publisher,
        "published": source.published.isoformat() if source.published else None,
        "accessed": source.accessed.isoformat() if source.accessed else None,
    }


def placement_record(placement: Placement) -> dict[str, Any]:
    return {
        "answers": placement.answers,
        "valid_from": placement.valid_from,
        "valid_to": placement.valid_to,
        "rationale": placement.rationale,
        "sources": [source.url for source in placement.sources.all()],
        "author": placement.author.username,
    }


def case_record(case: Case) -> dict[str, Any]:
    """The case with its sources, active placements and relations.

    Expects the prefetches of ``selectors.case_full_queryset`` (else it queries).
    """
    placements = [p for p in case.placements.all() if p.retracted_at is None]
    return {
        "slug": case.slug,
        "name": case.name,
        "summary": case.summary,
        "description": case.description,
        "website": case.website or None,
        "wikidata": case.wikidata,
        "countries": [row.code for row in case.country_rows.all()],
        "sector": case.sector,
        "org_form": case.org_form,
        "founded": case.founded,
        "ended": case.ended,
        "tags": list(case.tags),
        "sources": [source_record(source) for source in case.sources.all()],
        "placements": [placement_record(p) for p in placements],
        "relations": [
            {"type": relation.type, "target": relation.target.slug}
            for relation in case.relations_out.all()
        ],
    }
