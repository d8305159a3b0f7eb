"""The record of a case read from its model objects (see :mod:`peerladder.catalogue.record`
for the shape): revision snapshots, diffs, reverts and the API use it, so what a
revision stores is exactly what an export writes."""

from __future__ import annotations

from peerladder.catalogue.models import Case, CaseTranslation, Placement, Source
from peerladder.catalogue.record import (
    STORED_CASE_FIELDS,
    CaseRecord,
    PlacementRecord,
    SourceRecord,
    TranslationRecord,
    case_record,
    placement_record,
    source_record,
    translation_record,
)

__all__ = ["case_record_of", "placement_record_of", "source_record_of", "translation_of"]


def translation_of(row: CaseTranslation) -> TranslationRecord:
    return translation_record(
        name=row.name, summary=row.summary, description=row.description, editorial=row.editorial
    )


def source_record_of(source: Source) -> SourceRecord:
    return source_record(
        url=source.url,
        title=source.title,
        publisher=source.publisher,
        published=source.published,
        accessed=source.accessed,
    )


def placement_record_of(placement: Placement) -> PlacementRecord:
    return placement_record(
        answers=placement.answers,
        valid_from=placement.valid_from,
        valid_to=placement.valid_to,
        rationale=placement.rationale,
        sources=[source.url for source in placement.sources.all()],
        author=placement.author.username,
    )


def case_record_of(case: Case) -> CaseRecord:
    """The case with its translations, sources, active placements and relations.

    Expects the prefetches of ``selectors.case_full_queryset`` (else it queries).
    """
    return case_record(
        {name: getattr(case, name) for name in STORED_CASE_FIELDS},
        countries=[row.code for row in case.country_rows.all()],
        translations={row.language: translation_of(row) for row in case.translations.all()},
        sources=[source_record_of(source) for source in case.sources.all()],
        placements=[
            placement_record_of(p) for p in case.placements.all() if p.retracted_at is None
        ],
        relations=[
            {"type": relation.type, "target": relation.target.slug}
            for relation in case.relations_out.all()
        ],
    )
