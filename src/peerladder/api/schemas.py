"""Response and input schemas shared by the API's routers."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema


class FieldErrorOut(Schema):
    field: str | None
    received: Any = None
    allowed: list[Any] | None = None
    message: str


class ErrorOut(Schema):
    error: list[FieldErrorOut]


class MessageOut(Schema):
    detail: str


class StandingOut(Schema):
    rung: int | None
    key: str | None
    name: str | None
    view: str | None
    economy: str | None
    viability: str | None
    agreement: float | None
    contested: bool
    placements: int


class CaseSummaryOut(Schema):
    slug: str
    name: str
    summary: str
    url: str
    website: str | None
    wikidata: str | None
    countries: list[str]
    sector: str
    org_form: str
    founded: int | None
    ended: int | None
    standing: StandingOut


class CaseRatingOut(Schema):
    average: float | None
    count: int


class CaseViewsOut(Schema):
    total: int
    last_30_days: int


class TranslationOut(Schema):
    name: str
    summary: str
    description: str
    editorial: bool


class CaseDetailOut(CaseSummaryOut):
    description: str
    description_html: str
    tags: list[str]
    revision: int
    locked: bool
    rating: CaseRatingOut
    views: CaseViewsOut
    sources: list[dict[str, Any]]
    placements: list[dict[str, Any]]
    trajectory: list[dict[str, Any]]
    relations: list[dict[str, Any]]
    related_from: list[dict[str, Any]]
    language: str = Field(
        "en", description="The language of name, summary and description (en: the original)"
    )
    untranslated: list[str] = Field(
        [], description="With lang: the fields shown in the original English"
    )
    translations: dict[str, TranslationOut] = Field(
        {}, description="The case's texts in other languages, by language code"
    )
