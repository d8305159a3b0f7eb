"""The catalogue's write API: add placements, sources, relations and ratings to a case,
and its history; the schemas of every write, creating and editing a case included.

Every operation needs `Authorization: Bearer TOKEN`. Edits of a case's fields must
send `If-Match` with the ETag of the revision they started from.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status
from pydantic import create_model

from peerladder.api.auth import bearer
from peerladder.api.language import error_lookup, no_case, refusal_text
from peerladder.api.schemas import CaseDetailOut, ErrorOut, MessageOut
from peerladder.api.writes import base_revision, live_case, written
from peerladder.catalogue import selectors, services
from peerladder.catalogue.models import Placement
from peerladder.catalogue.record import EDITABLE_CASE_FIELDS, CaseField, case_field
from peerladder.catalogue.vocabulary import CASE_LANGUAGES
from peerladder.errors import EditConflict, refusal

# POST /cases and PATCH /cases/{slug} share their paths with reads, so they live in
# the router that owns those paths (api/cases.py); they use the schemas below.
router = Router(tags=["editing"])

WRITE_ERRORS = {401: MessageOut, 403: MessageOut, 404: MessageOut, 422: ErrorOut}


class SourceIn(Schema):
    url: str
    title: str
    publisher: str = ""
    published: str | None = Field(None, description="YYYY-MM-DD")
    accessed: str | None = Field(None, description="YYYY-MM-DD")


class PlacementIn(Schema):
    answers: dict[str, Any] = Field(..., description="An answers object (see GET /api/ladder)")
    valid_from: str | int = Field(..., description="YYYY or YYYY-MM-DD")
    valid_to: str | int | None = Field(None, description="YYYY or YYYY-MM-DD; null if it holds")
    rationale: str
    sources: list[str | SourceIn] = Field(
        ..., description="URLs of the case's sources, or new source objects"
    )


# The JSON type each kind of case field takes; the rules (limits, choices) are the one
# check's, which answers 422 naming the field.
_KIND_TYPES: dict[str, Any] = {
    "countries": list[str],
    "tags": list[str],
    "year": int,
}


def _field_in(field: CaseField) -> tuple[Any, Any]:
    description = field.description or field.label
    if field.vocabulary is not None:
        description += ": one of " + ", ".join(field.vocabulary.values)
    elif field.max_length is not None and field.kind not in ("tags",):
        description += f" (at most {field.max_length} characters)"
    if field.max_items is not None:
        description += f" (at most {field.max_items})"
    return _KIND_TYPES.get(field.kind, str) | None, Field(None, description=description)


# The case's editable fields, from the record's one definition.
CaseFieldsIn = create_model(
    "CaseFieldsIn",
    __base__=Schema,
    **{name: _field_in(case_field(name)) for name in EDITABLE_CASE_FIELDS},
)


class TranslationIn(Schema):
    name: str = Field("", description="The name in that language (empty: not translated)")
    summary: str = Field("", description="The summary in that language")
    description: str = Field("", description="The description in that language (Markdown)")
    editorial: bool = Field(
        False,
        description="Written by the project's editors: a moderator's or an admin's token only "
        "(403 for any other, unless the stored editorial text is sent back unchanged)",
    )


_TRANSLATIONS_HELP = (
    "Texts by language code ("
    + ", ".join(CASE_LANGUAGES.values)
    + "); a language given replaces its texts, null removes it"
)


class CaseIn(CaseFieldsIn):  # type: ignore[misc,valid-type]  # a class made by create_model
    slug: str | None = Field(
        None, description="Made from the name when absent (unique: -2, -3… added if taken)"
    )
    name: str
    summary: str
    sources: list[SourceIn] = []
    placements: list[PlacementIn] = []
    translations: dict[str, TranslationIn] = Field({}, description=_TRANSLATIONS_HELP)
    comment: str = Field("", max_length=300, description="A summary of the change")


class CasePatchIn(CaseFieldsIn):  # type: ignore[misc,valid-type]
    translations: dict[str, TranslationIn | None] | None = Field(
        None, description=_TRANSLATIONS_HELP
    )
    comment: str = Field("", max_length=300, description="A summary of the change")


class RelationIn(Schema):
    type: str
    target: str


class RevisionOut(Schema):
    number: int
    parent: int | None
    author: str | None
    created_at: str
    action: str
    summary: str


@router.post(
    "/cases/{slug}/placements",
    auth=bearer,
    tags=["editing"],
    response={201: CaseDetailOut, 412: MessageOut, **WRITE_ERRORS},
)
def add_placement(
    request: HttpRequest, slug: str, payload: PlacementIn, response: HttpResponse
) -> Any:
    """Add your placement of the case for a period, with at least one source."""
    case = live_case(slug)
    if case is None:
        return no_case(request, slug)
    base = base_revision(request, case, required=False)
    if isinstance(base, Status):
        return base
    data = payload.dict()
    sources = [
        source if isinstance(source, str) else dict(source) for source in data.pop("sources")
    ]
    try:
        body = written(
            response,
            lambda: services.placement_add(
                case=case, author=request.auth, sources=sources, base_revision=base, **data
            ),
        )
    except EditConflict as conflict:
        response["ETag"] = f'"rev-{conflict.current}"'
        return Status(412, {"detail": conflict.shown(error_lookup(request))})
    return Status(201, body)


@router.delete(
    "/cases/{slug}/placements/{placement_id}",
    auth=bearer,
    tags=["editing"],
    response={200: CaseDetailOut, **WRITE_ERRORS},
)
def retract_placement(
    request: HttpRequest, slug: str, placement_id: int, response: HttpResponse
) -> Any:
    """Retract a placement: your own, or any as a moderator. History keeps it."""
    placement = (
        Placement.objects.select_related("case")
        .filter(pk=placement_id, case__slug=slug, case__archived=False, retracted_at__isnull=True)
        .first()
    )
    if placement is None:
        return Status(
            404,
            {
                "detail": refusal_text(
                    request,
                    refusal("request.no-placement", slug=repr(slug), placement=placement_id),
                )
            },
        )
    return written(
        response, lambda: services.placement_retract(placement=placement, author=request.auth)
    )


@router.post(
    "/cases/{slug}/sources",
    auth=bearer,
    tags=["editing"],
    response={201: CaseDetailOut, **WRITE_ERRORS},
)
def add_source(request: HttpRequest, slug: str, payload: SourceIn, response: HttpResponse) -> Any:
    """Cite a new source for the case."""
    case = live_case(slug)
    if case is None:
        return no_case(request, slug)
    body = written(
        response,
        lambda: services.source_add(case=case, author=request.auth, source=payload.dict()),
    )
    return Status(201, body)


@router.post(
    "/cases/{slug}/relations",
    auth=bearer,
    tags=["editing"],
    response={201: CaseDetailOut, **WRITE_ERRORS},
)
def add_relation(
    request: HttpRequest, slug: str, payload: RelationIn, response: HttpResponse
) -> Any:
    """Link the case to another: "this case <type> target"."""
    case = live_case(slug)
    if case is None:
        return no_case(request, slug)
    body = written(
        response,
        lambda: services.relation_add(case=case, author=request.auth, relation=payload.dict()),
    )
    return Status(201, body)


@router.get(
    "/cases/{slug}/revisions",
    response={200: list[RevisionOut], 404: MessageOut},
    auth=None,
    tags=["cases"],
)
def list_revisions(request: HttpRequest, slug: str) -> Any:
    """The case's history, newest first."""
    case = live_case(slug)
    if case is None:
        return no_case(request, slug)
    return [
        {
            "number": revision.number,
            "parent": revision.number - 1 if revision.parent_id else None,
            "author": revision.author.username if revision.author else None,
            "created_at": revision.created_at.isoformat(),
            "action": revision.action,
            "summary": revision.summary,
        }
        for revision in selectors.case_revisions(case)
    ]


class RatingIn(Schema):
    stars: int = Field(..., ge=1, le=5, description="1 (low) to 5 (high)")


class RatingOut(Schema):
    stars: int = Field(..., description="Your rating")
    count: int = Field(..., description="How many accounts rated the case")
    average: float | None = Field(..., description="The mean rating")


@router.post(
    "/cases/{slug}/rating",
    auth=bearer,
    tags=["editing"],
    response={200: RatingOut, **WRITE_ERRORS},
)
def rate_case(request: HttpRequest, slug: str, payload: RatingIn) -> Any:
    """Rate the case 1-5; rating again replaces your rating (one per account)."""
    case = live_case(slug)
    if case is None:
        return no_case(request, slug)
    rating = services.rating_set(case=case, user=request.auth, stars=payload.stars)
    return {"stars": rating.stars, "count": case.rating_count, "average": case.rating_average}
