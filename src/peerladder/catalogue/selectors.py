"""Every read of the catalogue: each selector owns its query and its prefetches."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db import connections, router
from django.db.models import (
    Count,
    F,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    prefetch_related_objects,
)
from django.utils import timezone

from peerladder.accounts.models import User
from peerladder.catalogue.models import (
    Case,
    CaseCountry,
    CaseTranslation,
    CaseViewDay,
    FormerSlug,
    PendingEdit,
    Placement,
    Rating,
    Relation,
    Revision,
    Source,
)
from peerladder.catalogue.record_stream import total_views
from peerladder.catalogue.vocabulary import CASE_LANGUAGES
from peerladder.ladder.trajectory import Period, PlacementRow, trajectory


def active_placements() -> QuerySet[Placement]:
    return (
        Placement.objects.filter(retracted_at__isnull=True)
        .select_related("author")
        .prefetch_related(Prefetch("sources", queryset=Source.objects.order_by("id")))
        .order_by("valid_from", "id")
    )


def case_full_queryset() -> QuerySet[Case]:
    """Cases with everything a case page, a record or a snapshot needs, in 7 queries."""
    return Case.objects.prefetch_related(
        Prefetch("country_rows", queryset=CaseCountry.objects.order_by("position")),
        Prefetch("translations", queryset=CaseTranslation.objects.order_by("language")),
        Prefetch("sources", queryset=Source.objects.order_by("id")),
        Prefetch("placements", queryset=active_placements()),
        Prefetch(
            "relations_out",
            queryset=Relation.objects.select_related("target").order_by("type", "target__name"),
        ),
    )


def with_translation(cases: list[Case], language: str | None) -> list[Case]:
    """``cases`` (a list's page of them), each with its translation into ``language``
    read in one query for all, so that showing their text in the reader's language
    (``presenters.case_text``) costs nothing per row. Nothing to read for English
    (None). Cases already holding their translations keep them."""
    if language and cases:
        prefetch_related_objects(
            cases,
            Prefetch("translations", queryset=CaseTranslation.objects.filter(language=language)),
        )
    return cases


def case_get(*, slug: str, include_archived: bool = False) -> Case | None:
    queryset = case_full_queryset()
    if not include_archived:
        queryset = queryset.filter(archived=False)
    return queryset.filter(slug=slug).first()


def case_moved_to(slug: str) -> str | None:
    """The slug of the live case that had ``slug`` before it was changed, or None.
    Pages and the API redirect there from the old address."""
    return (
        FormerSlug.objects.filter(slug=slug, case__archived=False)
        .values_list("case__slug", flat=True)
        .first()
    )


def case_trajectory(case: Case) -> list[Period]:
    """The case's periods in order; uses the prefetched placements."""
    return trajectory(
        PlacementRow(p.valid_from, p.valid_to, p.rung, p.economy, p.viability, p.author_id)
        for p in case.placements.all()
        if p.retracted_at is None
    )


def case_relations_in(case: Case) -> list[Relation]:
    return list(
        Relation.objects.filter(target=case, subject__archived=False)
        .select_related("subject")
        .order_by("type", "subject__name")
    )


def case_revisions(case: Case) -> QuerySet[Revision]:
    return Revision.objects.filter(case=case).select_related("author").order_by("-number")


def one_or_many(values: Any) -> Any:
    """A filter's values as :class:`CaseFilters` holds them: None for none, the value
    itself for one, a tuple (in the order given, without repeats) for several."""
    if values is None or isinstance(values, str | int | bool):
        return values
    unique = tuple(dict.fromkeys(values))
    if not unique:
        return None
    return unique[0] if len(unique) == 1 else unique


def filter_values(value: Any) -> tuple[Any, ...]:
    """The values of one filter as a tuple: () when it is not in use."""
    if value is None:
        return ()
    return value if isinstance(value, tuple) else (value,)


@dataclass(frozen=True)
class CaseFilters:
    """The filters shared by the case lists, ``GET /api/cases``, the exports and the
    insights. ``query`` (the words to look for) is resolved by the search
    (``search.selectors.case_page`` and ``with_text_query_resolved``).

    ``rung``, ``economy``, ``sector``, ``production``, ``country`` and ``language`` (cases
    with text in that language) each take one value or a tuple of several (any of them
    matches: a multi-select facet);
    :func:`one_or_many` builds them, :func:`filter_values` reads them."""

    query: str | None = None
    rung: int | tuple[int, ...] | None = None
    economy: str | tuple[str, ...] | None = None
    sector: str | tuple[str, ...] | None = None
    production: str | tuple[str, ...] | None = None
    country: str | tuple[str, ...] | None = None
    language: str | tuple[str, ...] | None = None
    contested: bool | None = None
    year_from: int | None = None
    year_to: int | None = None
    ids: tuple[int, ...] | None = field(default=None)

    def apply(self, queryset: QuerySet[Case], *, skip: str | None = None) -> QuerySet[Case]:
        """Filter ``queryset``; ``skip`` leaves one filter out (for that filter's facet).

        A text query is the search's to resolve (``search.selectors``), never matched
        here: applying filters that still hold one is a programming error.
        """
        if self.query:
            raise ValueError("resolve the text query through search.selectors first")
        for name, column in (
            ("rung", "standing_rung"),
            ("sector", "sector"),
            ("production", "production"),
        ):
            values = filter_values(getattr(self, name))
            if values and skip != name:
                queryset = queryset.filter(_any_of(column, values))
        economies = filter_values(self.economy)
        if economies and skip != "economy":
            named = [value for value in economies if value != "none"]
            wanted = _any_of("standing_economy", named) if named else Q(pk__in=[])
            if "none" in economies:
                wanted |= Q(standing_economy__isnull=True)
            queryset = queryset.filter(wanted)
        countries = filter_values(self.country)
        if countries and skip != "country":
            queryset = queryset.filter(
                id__in=CaseCountry.objects.filter(_any_of("code", countries)).values("case_id")
            )
        languages = filter_values(self.language)
        if languages and skip != "language":
            queryset = queryset.filter(
                id__in=CaseTranslation.objects.filter(_any_of("language", languages)).values(
                    "case_id"
                )
            )
        if self.contested is not None and skip != "contested":
            queryset = queryset.filter(contested=self.contested)
        if self.year_from is not None:
            queryset = queryset.filter(founded__gte=self.year_from)
        if self.year_to is not None:
            queryset = queryset.filter(founded__lte=self.year_to)
        if self.ids is not None:
            queryset = queryset.filter(id__in=self.ids)
        return queryset


def _any_of(column: str, values: tuple[Any, ...] | list[Any]) -> Q:
    # One value keeps the plain equality the indexes were made for.
    if len(values) == 1:
        return Q(**{column: values[0]})
    return Q(**{f"{column}__in": list(values)})


# A case's page views in all, for the "most viewed" order: one correlated sum per case.
_TOTAL_VIEWS = total_views()
# Names sort by ``Case.sort_name``: case and accents do not count.
SORTS: dict[str, tuple[Any, ...]] = {
    "name": ("sort_name", "id"),
    "-name": ("-sort_name", "-id"),
    "rung": ("standing_rung", "sort_name", "id"),
    "-rung": ("-standing_rung", "sort_name", "id"),
    "founded": ("founded", "sort_name", "id"),
    "-founded": ("-founded", "sort_name", "id"),
    "updated": ("-updated_at", "id"),
    "agreement": ("agreement", "sort_name", "id"),
    # Most viewed first; highest rated first (unrated cases last, then by how many rated).
    "views": (_TOTAL_VIEWS.desc(), "sort_name", "id"),
    "rating": (
        F("rating_average").desc(nulls_last=True),
        "-rating_count",
        "sort_name",
        "id",
    ),
}


def case_list(*, filters: CaseFilters, sort: str = "name") -> QuerySet[Case]:
    """Live cases matching the filters, ready for a list (countries prefetched)."""
    queryset = filters.apply(Case.objects.filter(archived=False))
    return queryset.order_by(*SORTS.get(sort, SORTS["name"])).prefetch_related(
        Prefetch("country_rows", queryset=CaseCountry.objects.order_by("position"))
    )


@dataclass(frozen=True)
class CatalogueStamp:
    """The newest case and the latest change to any case: what :func:`catalogue_version`
    is made of, with the change's time for ``Last-Modified``."""

    last_id: int | None
    last_change: datetime | None

    @property
    def version(self) -> str:
        stamp = self.last_change.isoformat() if self.last_change else "-"
        return f"{self.last_id}:{stamp}"


def catalogue_stamp() -> CatalogueStamp:
    """Two index lookups in one query. (``aggregate(Max(id), Max(updated_at))`` reads
    the same, but SQLite answers two aggregates in one SELECT by scanning the table:
    30 ms at 100,000 cases, where each ORDER BY ... LIMIT 1 is one index probe.)"""
    newest = Case.objects.order_by("-id").values("id")[:1]
    changed = Case.objects.order_by("-updated_at").values("updated_at")[:1]
    row = Case.objects.filter(pk=Subquery(newest)).values_list("id", Subquery(changed)).first()
    return CatalogueStamp(last_id=None, last_change=None) if row is None else CatalogueStamp(*row)


def catalogue_version() -> str:
    """Changes whenever a case is added or changed (two index lookups); keys caches."""
    return catalogue_stamp().version


# The view counts' "recent" window: the last 30 days, today included.
RECENT_VIEW_DAYS = 30


@dataclass(frozen=True)
class CaseStamp:
    """What says whether a cached rendering of a live case is still right, with what
    such a page shows fresh on every request: its revision (every write to the case
    moves it), the counters kept beside the record (rating, views) and the
    catalogue's own stamp (other cases' names appear on a case's page)."""

    id: int
    slug: str
    revision_number: int
    updated_at: datetime
    rating_count: int
    rating_average: float | None
    catalogue: CatalogueStamp
    views_total: int
    views_recent: int


def _aware(value: datetime | str | None) -> datetime | None:
    """A timestamp read by raw SQL: SQLite gives text, PostgreSQL a datetime."""
    if value is None:
        return None
    # SQLite's text is ISO 8601, which fromisoformat reads at C speed (parse_datetime's
    # regular expression was a tenth of a cached case JSON's time).
    parsed = datetime.fromisoformat(value) if isinstance(value, str) else value
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def case_stamp(*, slug: str) -> CaseStamp | None:
    """The live case with ``slug``'s stamp, or None: one query of index probes (the
    case by slug, the newest case, the latest change, the case's view counters),
    written as SQL because building it through the ORM cost more than running it."""
    case, views = Case._meta.db_table, CaseViewDay._meta.db_table
    since = timezone.now().date() - timedelta(days=RECENT_VIEW_DAYS - 1)
    sql = (
        "SELECT c.id, c.slug, c.revision_number, c.updated_at, c.rating_count, "  # noqa: S608
        f"c.rating_average, (SELECT MAX(id) FROM {case}), "
        f"(SELECT MAX(updated_at) FROM {case}), "
        f"(SELECT SUM(count) FROM {views} WHERE case_id = c.id), "
        f"(SELECT SUM(count) FROM {views} WHERE case_id = c.id AND day >= %s) "
        f"FROM {case} c WHERE c.slug = %s AND NOT c.archived"
    )
    connection = connections[router.db_for_read(Case)]
    with connection.cursor() as cursor:
        cursor.execute(sql, [connection.ops.adapt_datefield_value(since), slug])
        row = cursor.fetchone()
    if row is None:
        return None
    updated_at = _aware(row[3])
    assert updated_at is not None
    return CaseStamp(
        id=row[0],
        slug=row[1],
        revision_number=row[2],
        updated_at=updated_at,
        rating_count=row[4],
        rating_average=row[5],
        catalogue=CatalogueStamp(last_id=row[6], last_change=_aware(row[7])),
        views_total=row[8] or 0,
        views_recent=row[9] or 0,
    )


FACET_CACHE_SECONDS = 300


def case_facets(*, filters: CaseFilters) -> dict[str, list[dict[str, Any]]]:
    """Counts per value of each facet, each respecting every other filter.

    Cached until the catalogue changes: facets over a large catalogue are full
    scans, and the same few filter combinations are asked for again and again.
    """
    key = "facets:" + hashlib.sha256(f"{catalogue_version()}|{filters!r}".encode()).hexdigest()
    facets: dict[str, list[dict[str, Any]]] | None = cache.get(key)
    if facets is None:
        facets = _count_facets(filters)
        cache.set(key, facets, FACET_CACHE_SECONDS)
    return facets


# The facets counted beside every list and search: (facet, the case's column), in the
# order pages show them; countries come from their own table.
FACETS = (
    ("rung", "standing_rung"),
    ("economy", "standing_economy"),
    ("sector", "sector"),
    ("production", "production"),
    ("contested", "contested"),
)


def _count_facets(filters: CaseFilters) -> dict[str, list[dict[str, Any]]]:
    base = Case.objects.filter(archived=False)
    facets: dict[str, list[dict[str, Any]]] = {}
    for name, column in FACETS:
        rows = (
            filters.apply(base, skip=name)
            .order_by()
            .values(column)
            .annotate(count=Count("id"))
            .order_by(column)
        )
        facets[name] = [
            {"value": row[column], "count": row["count"]}
            for row in rows
            if not (name == "rung" and row[column] is None)
        ]
    country_rows = (
        CaseCountry.objects.filter(case__in=filters.apply(base, skip="country").values("id"))
        .values("code")
        .annotate(count=Count("id"))
        .order_by("-count", "code")
    )
    facets["country"] = [{"value": row["code"], "count": row["count"]} for row in country_rows]
    facets["language"] = language_facet(filters.apply(base, skip="language"))
    return facets


def language_facet(cases: QuerySet[Case]) -> list[dict[str, Any]]:
    """How many of ``cases`` have text in each language, in the languages' order."""
    counts = dict(
        CaseTranslation.objects.filter(case__in=cases.values("id"))
        .values_list("language")
        .annotate(count=Count("id"))
        .order_by()
    )
    return [
        {"value": code, "count": counts[code]} for code in CASE_LANGUAGES.values if code in counts
    ]


def catalogue_is_empty() -> bool:
    return not Case.objects.exists()


# -- activity: revisions, held edits, ratings and view counts ----------------------


def recent_revisions(*, limit: int = 50) -> QuerySet[Revision]:
    """The newest revisions of live cases, newest first."""
    return (
        Revision.objects.filter(case__archived=False)
        .select_related("case", "author")
        .order_by("-created_at", "-id")[:limit]
    )


def account_revisions(account: User, *, limit: int = 200) -> QuerySet[Revision]:
    return (
        Revision.objects.filter(author=account)
        .select_related("case")
        .order_by("-created_at", "-id")[:limit]
    )


def revision_pair(case: Case, first: int, second: int) -> tuple[Revision | None, Revision | None]:
    found = {
        revision.number: revision
        for revision in Revision.objects.filter(case=case, number__in=[first, second])
    }
    return found.get(first), found.get(second)


def pending_edits_for(*, viewer: User | None, case: Case | None = None) -> QuerySet[PendingEdit]:
    """Held edits the viewer may see: all for a moderator, their own for an author."""
    edits = PendingEdit.objects.filter(state=PendingEdit.State.PENDING).select_related(
        "author", "case"
    )
    if case is not None:
        edits = edits.filter(case=case)
    if viewer is None or not viewer.is_authenticated:
        return edits.none()
    if not viewer.is_moderator:
        edits = edits.filter(author=viewer)
    return edits.order_by("created_at", "id")


def account_pending_edits(account: User) -> QuerySet[PendingEdit]:
    """The account's edits still waiting for a moderator, newest first."""
    return (
        PendingEdit.objects.filter(author=account, state=PendingEdit.State.PENDING)
        .select_related("case")
        .order_by("-id")
    )


def account_reviewed_edits(account: User, *, limit: int = 50) -> QuerySet[PendingEdit]:
    """The account's held edits that a moderator has approved or rejected, newest first."""
    return (
        PendingEdit.objects.filter(author=account)
        .exclude(state=PendingEdit.State.PENDING)
        .select_related("case", "reviewed_by")
        .order_by("-id")[:limit]
    )


def rating_of(case: Case, user: User | None) -> int | None:
    """The viewer's own rating of the case, if any."""
    if user is None or not user.is_authenticated:
        return None
    return Rating.objects.filter(case=case, user=user).values_list("stars", flat=True).first()


def view_count(case: Case, *, since: date | None = None) -> int:
    days = CaseViewDay.objects.filter(case=case)
    if since is not None:
        days = days.filter(day__gte=since)
    return days.aggregate(total=Sum("count"))["total"] or 0
