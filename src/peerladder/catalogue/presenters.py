"""Cases as JSON-ready dicts for the API and the pages (reads only; no queries of their own
beyond what the selectors prefetched, and one aggregate for the view counts)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Q, Sum
from django.utils import timezone

from peerladder.catalogue.markup import render_markdown
from peerladder.catalogue.models import Case, CaseViewDay, Relation
from peerladder.catalogue.record import TRANSLATED_FIELDS, TranslationRecord
from peerladder.catalogue.record_stream import rating_summary
from peerladder.catalogue.records import placement_record_of, source_record_of, translation_of
from peerladder.catalogue.selectors import RECENT_VIEW_DAYS, CaseStamp, case_trajectory
from peerladder.catalogue.vocabulary import ORIGINAL_LANGUAGE
from peerladder.ladder import InvalidAnswers, classify, rung
from peerladder.lexicon import classification_shown


def etag_for(case: Case | CaseStamp) -> str:
    """The case resource's strong ETag: its revision (the API's ``If-Match`` reads it)."""
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


def rating_of(case: Case | CaseStamp) -> dict[str, Any]:
    """The case's rating: the average of its 1-5 stars (None before the first) and how
    many accounts gave one; kept on the case by the rating service, so no query."""
    return rating_summary(case.rating_average, case.rating_count)


def views_of(case: Case | CaseStamp) -> dict[str, int]:
    """How often the case page was viewed: in all, and in the last 30 days (today
    included). One aggregate over the daily counters."""
    if isinstance(case, CaseStamp):  # read with the stamp, in the same query
        return {"total": case.views_total, "last_30_days": case.views_recent}
    since = timezone.now().date() - timedelta(days=RECENT_VIEW_DAYS - 1)
    found = CaseViewDay.objects.filter(case_id=case.id).aggregate(
        total=Sum("count"), recent=Sum("count", filter=Q(day__gte=since))
    )
    return {"total": found["total"] or 0, "last_30_days": found["recent"] or 0}


def placement_explanation(answers: dict[str, Any]) -> list[str]:
    """The steps by which a placement's answers give its rung, one sentence each, in the
    active language: recomputed by the same decision procedure that placed it (it is
    deterministic, so the steps are those shown when the placement was made). Empty for
    answers the current procedure refuses (an old record)."""
    try:
        return list(classification_shown(classify(answers)).explanation)
    except (InvalidAnswers, TypeError, ValueError):
        return []


# What a list shows of a case's text (GET /api/cases, the pages' lists).
LISTED_FIELDS = ("name", "summary")


def case_summary(case: Case, language: str | None = None) -> dict[str, Any]:
    """The case as a list gives it; with ``language``, its name and summary in that
    language where translated (prefetch with ``selectors.with_translation``)."""
    text = case_text(case, language, LISTED_FIELDS) if language else None
    return {
        "slug": case.slug,
        "name": text["name"] if text else case.name,
        "summary": text["summary"] if text else case.summary,
        "url": case.get_absolute_url(),
        "website": case.website or None,
        "wikidata": case.wikidata,
        "countries": [row.code for row in case.country_rows.all()],
        "sector": case.sector,
        "org_form": case.org_form,
        "founded": case.founded,
        "ended": case.ended,
        "standing": standing_of(case),
        "language": text["language"] if text else ORIGINAL_LANGUAGE,
        "untranslated": text["untranslated"] if text else [],
    }


def translations_of(case: Case) -> dict[str, TranslationRecord]:
    """The case's translations by language (uses the selectors' prefetch)."""
    return {row.language: translation_of(row) for row in case.translations.all()}


def case_text(
    case: Case, language: str | None, fields: tuple[str, ...] = TRANSLATED_FIELDS
) -> dict[str, Any]:
    """The case's ``fields`` (name, summary and description unless fewer are asked for, as
    a list shows name and summary) as a reader of ``language`` sees them: each translated
    field in that language, the others in the original English. Reads the translations
    the selectors prefetched (``case_full_queryset``, ``with_translation``).

    ``language`` is the language of the text shown (the original's when nothing is
    translated), ``untranslated`` the fields shown in English though the reader asked
    for another language, ``editorial`` whether the translation shown is the editors'.
    """
    text = {name: getattr(case, name) for name in fields}
    translation = translations_of(case).get(language or "") if language else None
    if translation is None:
        missing = [name for name in fields if text[name]] if language else []
        return {**text, "language": ORIGINAL_LANGUAGE, "untranslated": missing, "editorial": False}
    untranslated = []
    for name in fields:
        if translation[name]:  # type: ignore[literal-required]
            text[name] = translation[name]  # type: ignore[literal-required]
        elif text[name]:
            untranslated.append(name)
    return {
        **text,
        "language": language,
        "untranslated": untranslated,
        "editorial": translation["editorial"],
    }


def case_detail(
    case: Case, *, relations_in: list[Relation], language: str | None = None
) -> dict[str, Any]:
    """The case as the API gives it; with ``language``, its text in that language first
    (see :func:`case_text`)."""
    placements = [p for p in case.placements.all() if p.retracted_at is None]
    text = case_text(case, language)
    return {
        **case_summary(case),
        "name": text["name"],
        "summary": text["summary"],
        "rating": rating_of(case),
        "views": views_of(case),
        "description": text["description"],
        "description_html": render_markdown(text["description"]),
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
                "explanation": placement_explanation(placement.answers),
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
        "language": text["language"],
        "untranslated": text["untranslated"],
        "translations": translations_of(case),
    }
