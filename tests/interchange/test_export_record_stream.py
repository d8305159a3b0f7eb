"""The bulk record reader behind every export: the same records as ``case_record``,
read a chunk at a time with a fixed number of queries per chunk."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random

import pytest
from django.db.models import F

from peerladder.accounts.models import Role
from peerladder.accounts.services import user_ensure
from peerladder.catalogue import services
from peerladder.catalogue.models import Case, Placement, Revision, Source
from peerladder.catalogue.record_stream import (
    PlacementResult,
    case_row_batches,
    case_row_batches_of_ids,
)
from peerladder.catalogue.records import case_record_of
from peerladder.catalogue.selectors import CaseFilters, case_full_queryset
from peerladder.interchange.citations import citations_for, row_citations
from peerladder.interchange.exporters import CaseStream, csv_line
from tests.factories import IKEA_ANSWERS, LINUX_ANSWERS, WIKIPEDIA_ANSWERS
from tests.interchange.records import BASE_URL, export, load_records

pytestmark = pytest.mark.django_db

ACCESSED = dt.date(2027, 1, 15)


def _source(url: str, **fields: str | None) -> dict[str, str | None]:
    return {"url": url, "title": f"About {url}", "publisher": "", **fields}


def _placement(answers: dict[str, str], author: str, *sources: str, **fields: str | None):
    return {
        "answers": answers,
        "valid_from": "2001",
        "valid_to": None,
        "rationale": f"Placed by {author}.",
        "sources": list(sources),
        "author": author,
        **fields,
    }


def _case(slug: str, **fields):
    return {
        "slug": slug,
        "name": slug.replace("-", " ").title(),
        "summary": f"The case {slug}.",
        "description": "",
        "website": None,
        "wikidata": None,
        "countries": ["US"],
        "sector": "software",
        "org_form": "company",
        "founded": None,
        "ended": None,
        "tags": [],
        "sources": [],
        "placements": [],
        "relations": [],
        **fields,
    }


def varied_records():
    """Cases that differ in every way a record can: several countries in a chosen order,
    sources with and without dates, placements with several sources and a trajectory,
    relations (one to a case archived later), empty and full optional fields."""
    a, b, c = (f"https://example.org/{n}" for n in "abc")
    return [
        _case(
            "zeta-commons",
            name="Zeta Commons — «ü»",
            description="=SUM(A1) is *not* a formula here",
            website="https://zeta.example.org/",
            wikidata="Q4242",
            countries=["SE", "DE", "BR"],
            sector="knowledge",
            org_form="cooperative",
            founded=1999,
            ended=2020,
            tags=["wiki", "commons", "-dash"],
            sources=[
                _source(a, publisher="Example", published="2010-03-04", accessed="2026-11-26"),
                _source(b, published=None, accessed=None),
                _source(c, published="2001-01-01", accessed=None),
            ],
            placements=[
                _placement(WIKIPEDIA_ANSWERS, "curator-1", a, b, valid_to="2005"),
                _placement(LINUX_ANSWERS, "curator-2", c, valid_from="2005"),
                _placement(IKEA_ANSWERS, "curator-3", b, a, valid_from="2005"),
            ],
            relations=[
                {"type": "governed_by", "target": "alpha-foundation"},
                {"type": "fork_of", "target": "mid-project"},
            ],
        ),
        _case(
            "alpha-foundation",
            countries=["GB"],
            sources=[_source(a)],
            placements=[_placement(IKEA_ANSWERS, "curator-1", a)],
        ),
        _case(
            "mid-project",
            countries=["JP", "IN"],
            sources=[_source(b, accessed="2026-01-02")],
            placements=[
                _placement(WIKIPEDIA_ANSWERS, "curator-2", b),
                _placement(LINUX_ANSWERS, "curator-1", b),
            ],
            relations=[{"type": "governed_by", "target": "gone-case"}],
        ),
        _case(
            "gone-case",
            sources=[_source(c)],
            placements=[_placement(IKEA_ANSWERS, "curator-3", c)],
        ),
        _case("bare-case", countries=[], sources=[_source(a)], placements=[]),
    ]


@pytest.fixture
def varied():
    load_records(varied_records())
    moderator = user_ensure(username="moderator", role=Role.MODERATOR)
    # Retract the middle placement of zeta-commons and one of mid-project.
    for slug, author in (("zeta-commons", "curator-2"), ("mid-project", "curator-1")):
        placement = Placement.objects.get(case__slug=slug, author__username=author)
        services.placement_retract(placement=placement, author=moderator)
    # Relations to an archived case stay on the subject's record.
    services.case_archive(
        case=Case.objects.get(slug="gone-case"), moderator=moderator, archived=True
    )
    return moderator


def _live() -> list[Case]:
    return list(case_full_queryset().filter(archived=False).order_by("slug"))


@pytest.mark.parametrize("chunk_size", [1, 2, 500])
def test_records_equal_case_record_for_a_varied_catalogue(varied, chunk_size):
    rows = [
        row
        for batch in case_row_batches(Case.objects.filter(archived=False), chunk_size=chunk_size)
        for row in batch
    ]

    expected = [case_record_of(case) for case in _live()]
    assert [row.record for row in rows] == expected
    # The same key order too, so the exported bytes are the same.
    assert [list(row.record) for row in rows] == [list(record) for record in expected]
    zeta = next(row for row in rows if row.slug == "zeta-commons")
    assert zeta.record["countries"] == ["SE", "DE", "BR"]
    assert [p["author"] for p in zeta.record["placements"]] == ["curator-1", "curator-3"]
    assert zeta.record["placements"][1]["sources"] == [
        "https://example.org/a",
        "https://example.org/b",
    ]
    assert [s["published"] for s in zeta.record["sources"]] == ["2010-03-04", None, "2001-01-01"]
    mid = next(row for row in rows if row.slug == "mid-project")
    assert mid.record["relations"] == [{"type": "governed_by", "target": "gone-case"}]
    assert "gone-case" not in [row.slug for row in rows]


def test_rows_carry_the_standing_and_each_placements_result(varied):
    rows = [row for batch in case_row_batches(Case.objects.filter(archived=False)) for row in batch]

    for row, case in zip(rows, _live(), strict=True):
        assert row.id == case.pk
        assert row.standing_rung == case.standing_rung
        assert row.standing_economy == case.standing_economy
        assert row.standing_viability == case.standing_viability
        assert row.agreement == case.agreement
        assert row.contested == case.contested
        assert row.revision_number == case.revision_number
        assert row.placement_results == tuple(
            PlacementResult(p.rung, p.economy, p.viability) for p in case.placements.all()
        )


def test_citations_of_rows_equal_the_citations_of_the_cases(varied):
    rows = [row for batch in case_row_batches(Case.objects.filter(archived=False)) for row in batch]

    assert row_citations(rows, base_url=BASE_URL, accessed=ACCESSED) == citations_for(
        _live(), base_url=BASE_URL, accessed=ACCESSED
    )


def test_a_case_without_its_current_revision_is_cited_as_of_its_last_change(varied):
    # Bulk-loaded data has no revisions: the citation then takes the date the case changed.
    Revision.objects.filter(case__slug="bare-case").update(number=F("number") + 100)
    changed = dt.datetime(2020, 1, 2, 12, tzinfo=dt.UTC)
    Case.objects.filter(slug="bare-case").update(updated_at=changed)
    rows = [row for batch in case_row_batches(Case.objects.filter(archived=False)) for row in batch]

    citations = row_citations(rows, base_url=BASE_URL, accessed=ACCESSED)

    assert citations == citations_for(_live(), base_url=BASE_URL, accessed=ACCESSED)
    assert citations[1].key == "peerladder-bare-case-r1"
    assert citations[1].issued == dt.date(2020, 1, 2)


def test_each_chunk_costs_six_queries_whatever_its_size(varied, django_assert_num_queries):
    # Four live cases in chunks of two: two full chunks and the empty read that ends them.
    with django_assert_num_queries(2 * 6 + 1):
        batches = list(case_row_batches(Case.objects.filter(archived=False), chunk_size=2))
    assert [len(batch) for batch in batches] == [2, 2]
    with django_assert_num_queries(6):
        (batch,) = case_row_batches(Case.objects.filter(archived=False), chunk_size=500)
    assert len(batch) == 4


def test_citation_exports_read_revisions_once_per_chunk(varied, django_assert_num_queries):
    # The dataset release (its counts), then per chunk the six reads and one of revisions.
    stream = CaseStream(chunk_size=500)
    with django_assert_num_queries(6 + 6 + 1):
        data = b"".join(_exporter("bibtex").chunks(stream))
    assert data.count(b"@misc{") == 5  # the dataset and four cases


def _exporter(fmt):
    from peerladder.interchange.formats import exporter_for

    return exporter_for(fmt, base_url=BASE_URL, accessed=ACCESSED)


def test_chunk_size_must_be_positive():
    with pytest.raises(ValueError, match="chunk_size"):
        next(case_row_batches(Case.objects.all(), chunk_size=0))


def test_ids_of_a_search_are_read_in_slug_order_with_the_other_filters(varied):
    ids = list(Case.objects.order_by("-slug").values_list("id", flat=True))
    live = Case.objects.filter(archived=False)

    batches = list(case_row_batches_of_ids(live, ids, chunk_size=3))

    assert [[row.slug for row in batch] for batch in batches] == [
        ["alpha-foundation", "bare-case", "mid-project"],
        ["zeta-commons"],
    ]
    knowledge = live.filter(sector="knowledge")
    assert [row.slug for batch in case_row_batches_of_ids(knowledge, ids) for row in batch] == [
        "zeta-commons"
    ]


def test_an_export_of_search_matches_lists_them_by_slug(varied):
    ids = tuple(Case.objects.filter(slug__in=["zeta-commons", "bare-case"]).values_list("id"))
    stream = CaseStream(CaseFilters(ids=tuple(i for (i,) in ids)), chunk_size=1)

    assert [row.slug for row in stream] == ["bare-case", "zeta-commons"]


def test_a_placement_without_sources_has_an_empty_source_list(varied):
    placement = Placement.objects.get(case__slug="alpha-foundation")
    placement.sources.clear()

    (row,) = [
        row
        for batch in case_row_batches(Case.objects.filter(slug="alpha-foundation"))
        for row in batch
    ]

    assert row.record["placements"][0]["sources"] == []
    assert row.record == case_record_of(case_full_queryset().get(slug="alpha-foundation"))


def test_the_jsonl_export_writes_exactly_the_case_records(varied):
    import orjson

    lines = export("jsonl").splitlines()

    assert lines == [orjson.dumps(case_record_of(case)) for case in _live()]


def test_a_source_added_later_keeps_its_place_after_the_first(varied):
    case = Case.objects.get(slug="bare-case")
    Source.objects.create(case=case, url="https://example.org/later", title="Later")

    (row,) = [row for batch in case_row_batches(Case.objects.filter(pk=case.pk)) for row in batch]

    assert [s["url"] for s in row.record["sources"]] == [
        "https://example.org/a",
        "https://example.org/later",
    ]
    assert row.record == case_record_of(case_full_queryset().get(pk=case.pk))


def test_json_that_orjson_refuses_is_still_read(varied):
    # Integers past 64 bits: orjson refuses them, the json module (Django's) does not.
    Placement.objects.filter(case__slug="alpha-foundation").update(answers={"big": 2**70})

    (row,) = [
        row
        for batch in case_row_batches(Case.objects.filter(slug="alpha-foundation"))
        for row in batch
    ]

    assert row.record["placements"][0]["answers"] == {"big": 2**70}
    assert row.record == case_record_of(case_full_queryset().get(slug="alpha-foundation"))


AWKWARD = ['"', ",", "\r", "\n", " ", "'", "=", "a", "é", "\t", ";", "\\", "\u2028", "ü"]


@pytest.mark.parametrize("seed", range(5))
def test_csv_lines_are_written_as_the_csv_module_writes_them(seed):
    rng = random.Random(seed)
    rows = [[""], ["", ""], ["a"], [" lead", "trail "], ['"quoted"', "a,b", "line\r\nbreak"]]
    for _ in range(400):
        rows.append(
            [
                "".join(rng.choice(AWKWARD) for _ in range(rng.randrange(6)))
                for _ in range(rng.randrange(1, 5))
            ]
        )
    expected = io.StringIO()
    writer = csv.writer(expected, lineterminator="\r\n")
    for row in rows:
        writer.writerow(row)

    assert "".join(csv_line(row) for row in rows) == expected.getvalue()
