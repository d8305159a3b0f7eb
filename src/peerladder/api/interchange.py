"""Open data over HTTP: citations of a case, downloads of the catalogue, the JSON-LD context."""

from __future__ import annotations

from typing import Any, Literal

import orjson
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from ninja import Field, Query, Router, Schema

from peerladder.api.cases import CaseFilterQuery
from peerladder.api.language import no_case
from peerladder.api.schemas import ErrorOut, MessageOut
from peerladder.catalogue import selectors
from peerladder.catalogue.read_snapshot import in_snapshot
from peerladder.interchange.citations import (
    CITATION_MEDIA_TYPES,
    case_citation,
    render_citation,
)
from peerladder.interchange.exporters import CaseStream
from peerladder.interchange.formats import EXPORT_FORMATS, EXPORTERS, exporter_for
from peerladder.interchange.jsonld import context_document

router = Router(tags=["open data"])

CiteFormat = Literal["bibtex", "csl", "ris"]
ExportFormat = Literal[EXPORT_FORMATS]  # type: ignore[valid-type]


def _site(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _body_schema(media_type: str) -> dict[str, Any]:
    # A JSON body (CSL-JSON, JSON-LD, JSON) is a document; anything else is text.
    return {} if media_type.split(";")[0].endswith("json") else {"type": "string"}


def _text_response(description: str, media_types: list[str]) -> dict[str, Any]:
    return {
        "responses": {
            "200": {
                "description": description,
                "content": {
                    media_type.split(";")[0]: {"schema": _body_schema(media_type)}
                    for media_type in media_types
                },
            }
        }
    }


class CiteQuery(Schema):
    format: CiteFormat = Field("bibtex", description="bibtex, csl (CSL-JSON) or ris")


@router.get(
    "/cases/{slug}/cite",
    response={404: MessageOut, 422: ErrorOut},
    openapi_extra=_text_response(
        "The citation of the case's current revision", list(CITATION_MEDIA_TYPES.values())
    ),
)
def cite_case(request: HttpRequest, slug: str, params: Query[CiteQuery]) -> Any:
    """A citation of the case: its revision's permalink, contributors as authors, the date
    of the revision and today's date as the access date."""
    case = selectors.case_get(slug=slug)
    if case is None:
        return no_case(request, slug)
    citation = case_citation(case, base_url=_site(request))
    response = HttpResponse(
        render_citation(citation, params.format), content_type=CITATION_MEDIA_TYPES[params.format]
    )
    response["Content-Disposition"] = f'inline; filename="{citation.key}.{_suffix(params.format)}"'
    return response


def _suffix(fmt: str) -> str:
    return {"bibtex": "bib", "csl": "csl.json", "ris": "ris"}[fmt]


class ExportQuery(CaseFilterQuery):
    format: ExportFormat = Field("jsonl", description=", ".join(EXPORT_FORMATS))


@router.get(
    "/export",
    response={422: ErrorOut},
    openapi_extra=_text_response(
        "The matching cases in the format asked for, as a download",
        sorted({exporter.media_type for exporter in EXPORTERS.values()}),
    ),
)
def export_cases(request: HttpRequest, params: Query[ExportQuery]) -> Any:
    """The whole catalogue, or the cases matching the same filters as `GET /api/cases`,
    streamed as a file: csv, json, jsonl, jsonld, datapackage (zip), bibtex, csl or ris."""
    filters = params.to_filters()
    exporter = exporter_for(params.format, base_url=_site(request))
    response = StreamingHttpResponse(
        in_snapshot(exporter.chunks(CaseStream(filters))), content_type=exporter.media_type
    )
    response["Content-Disposition"] = f'attachment; filename="{exporter.filename()}"'
    return response


@router.get(
    "/context.jsonld",
    openapi_extra=_text_response("The JSON-LD context of the exports", ["application/ld+json"]),
)
def jsonld_context(request: HttpRequest) -> HttpResponse:
    """The `@context` of the JSON-LD export: schema.org plus the ladder's terms
    (rung, economy, viability, agreement, placements and their answers)."""
    return HttpResponse(
        orjson.dumps(context_document(_site(request)), option=orjson.OPT_INDENT_2),
        content_type="application/ld+json",
    )
