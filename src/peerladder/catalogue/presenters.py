"""Cases as JSON-ready dicts for the API and the pages (reads only; no queries of their own
beyond what the selectors prefetched)."""

from __future__ import annotations

from typing import Any

from peerladder.catalogue.markup import render_markdown
from peerladder.catalogue.models import Case, Relation
from peerladder.catalogue.records import placement_record_of, source_record_of
from peerladder.catalogue.selectors import case_trajectory
from peerladder.ladder import rung


def etag_for(case: Case) -> str:
    return f'"rev-{case.revision_number}"'


def standing_of(case: Case) -> dict[str, Any]:
    known = rung(case.standing_rung) if case.standing_rung else None
    return {
        "rung": case.standing_rung,
        "key": known.key if known else None,
        "name": known.name if known else None,
        "view": known.view if known else None,
        "economy": case.standing_economy,
        "viability": case.standing_viability,
        "agreement": case.agreement,
        "contested": case.contested,
        "placements": case.placement_count,
    }


def case_summary(case: Case) -> dict[str, Any]:
    return {
        "slug": case.slug,
        "name": case.name,
        "summary": case.summary,
        "url": case.get_absolute_url(),
        "website": case.website or None,
        "wikidata": case.wikidata,
        "countries": [row.code for row in case.country_rows.all()],
        "sector": case.sector,
        "org_form": case.org_form,
        "founded": case.founded,
        "ended": case.ended,
        "standing": standing_of(case),
    }


def case_detail(case: Case, *, relations_in: list[Relation]) -> dict[str, Any]:
    placements = [p for p in case.placements.all() if p.retracted_at is None]
    return {
        **case_summary(case),
        "description": case.description,
        "description_html": render_markdown(case.description),
        "tags": list(case.tags),
        "revision": case.revision_number,
        "locked": case.locked,
        "sources": [source_record_of(source) for source in case.sources.all()],
        "placements": [
            {
                "id": placement.pk,
                **placement_record_of(placement),
                "rung": placement.rung,
                "economy": placement.economy,
                "viability": placement.viability,
                "created_at": placement.created_at.isoformat(),
            }
            for placement in placements
        ],
        "trajectory": [
            {
                "valid_from": period.valid_from,
                "valid_to": period.valid_to,
                "rung": period.rung,
                "candidates": list(period.consensus.candidates),
                "agreement": period.consensus.agreement,
                "contested": period.consensus.contested,
                "economy": period.economy,
                "placements": period.consensus.n,
            }
            for period in case_trajectory(case)
        ],
        "relations": [
            {"type": relation.type, "target": relation.target.slug, "name": relation.target.name}
            for relation in case.relations_out.all()
        ],
        "related_from": [
            {"type": relation.type, "subject": relation.subject.slug, "name": relation.subject.name}
            for relation in relations_in
        ],
    }
