"""cases_bulk_create: the same cases, sources, placements and revision as case_create."""

from __future__ import annotations

import pytest

from peerladder.catalogue import services
from peerladder.catalogue.bulk import cases_bulk_create
from peerladder.catalogue.models import Case, Revision
from peerladder.catalogue.records import case_record_of
from peerladder.catalogue.selectors import case_full_queryset
from peerladder.catalogue.validation import CheckedCase, check_case
from peerladder.errors import InvalidInput
from tests.factories import LINUX_ANSWERS, WIKIPEDIA_ANSWERS, UserFactory

pytestmark = pytest.mark.django_db


def checked(*records) -> list[CheckedCase]:
    errors = []
    cases = [check_case(record, errors) for record in records]
    assert errors == []
    return cases


def record(slug: str, **extra):
    url = f"https://example.org/{slug}"
    return {
        "slug": slug,
        "name": slug.title(),
        "summary": f"About {slug}.",
        "countries": ["DE", "FR"],
        "sector": "software",
        "org_form": "community",
        "founded": 1991,
        "tags": ["kernel"],
        "sources": [{"url": url, "title": "Source", "accessed": "2026-11-26"}],
        "placements": [
            {"answers": WIKIPEDIA_ANSWERS, "valid_from": "1991", "valid_to": "1992",
             "rationale": "Early years.", "sources": [url]},
            {"answers": LINUX_ANSWERS, "valid_from": "1992", "rationale": "Firms around it.",
             "sources": [url], "author": "curator-2"},
        ],
        **extra,
    }  # fmt: skip


def test_bulk_created_cases_read_back_as_their_records_with_revision_one():
    importer = UserFactory(username="importer")
    curator = UserFactory(username="curator-2")
    cases_bulk_create(
        author=importer,
        cases=checked(record("linux"), record("hurd")),
        authors={"curator-2": curator},
    )
    linux = case_full_queryset().get(slug="linux")
    stored = case_record_of(linux)
    assert stored["countries"] == ["DE", "FR"]
    assert [p["author"] for p in stored["placements"]] == ["importer", "curator-2"]
    assert linux.standing_rung == 8 and linux.revision_number == 1
    revision = Revision.objects.get(case=linux)
    assert revision.number == 1 and revision.author == importer
    assert revision.snapshot == stored
    assert Case.objects.count() == 2


def test_bulk_create_matches_case_create():
    importer = UserFactory(username="importer")
    cases_bulk_create(author=importer, cases=checked(record("bulk", placements=[])), authors={})
    data = record("single", placements=[])
    services.case_create(
        author=importer,
        fields={k: v for k, v in data.items() if k not in ("sources", "placements")},
        sources=data["sources"],
    )
    bulk = case_record_of(case_full_queryset().get(slug="bulk"))
    single = case_record_of(case_full_queryset().get(slug="single"))
    for key in ("slug", "name", "summary"):
        bulk.pop(key), single.pop(key)
    bulk["sources"][0].pop("url"), single["sources"][0].pop("url")
    assert bulk == single


def test_a_taken_slug_is_refused_and_nothing_is_written():
    importer = UserFactory(username="importer")
    cases_bulk_create(author=importer, cases=checked(record("linux")), authors={})
    with pytest.raises(InvalidInput):
        cases_bulk_create(
            author=importer, cases=checked(record("hurd"), record("linux")), authors={}
        )
    assert list(Case.objects.values_list("slug", flat=True)) == ["linux"]
    assert Revision.objects.count() == 1


def test_snapshots_equal_what_is_read_back_for_varied_records():
    importer = UserFactory(username="importer")
    curator = UserFactory(username="curator-2")
    first, second = "https://example.org/a", "https://example.org/b"
    varied = record(
        "varied",
        website="",
        wikidata="Q42",
        countries=["ES"],
        tags=["Open  Source", "open source", "kernel"],
        description="Long **text**.",
        ended=2020,
        sources=[
            {"url": first, "title": "A", "publisher": "P", "published": "2001-02-03"},
            {"url": second, "title": "B"},
        ],
        placements=[
            {"answers": LINUX_ANSWERS, "valid_from": "2005-06-01", "rationale": "Later.",
             "sources": [second, first, second], "author": "curator-2"},
            {"answers": WIKIPEDIA_ANSWERS, "valid_from": "1991", "valid_to": "2005",
             "rationale": "Earlier.", "sources": [first]},
            {"answers": WIKIPEDIA_ANSWERS, "valid_from": "2005-06-01", "rationale": "Same period.",
             "sources": [first]},
        ],
    )  # fmt: skip
    bare = record("bare", countries=[], tags=[], sources=[], placements=[], founded=None)
    cases_bulk_create(author=importer, cases=checked(varied, bare), authors={"curator-2": curator})
    for case in case_full_queryset().filter(slug__in=["varied", "bare"]):
        assert Revision.objects.get(case=case).snapshot == case_record_of(case)
    stored = case_record_of(case_full_queryset().get(slug="varied"))
    assert [p["rationale"] for p in stored["placements"]] == ["Earlier.", "Later.", "Same period."]
    assert stored["placements"][1]["sources"] == [first, second]
