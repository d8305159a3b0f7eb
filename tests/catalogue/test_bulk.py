"""cases_bulk_create: the same cases, sources, placements and revision as case_create."""

from __future__ import annotations

import pytest

from peerladder.catalogue import services
from peerladder.catalogue.bulk import cases_bulk_create
from peerladder.catalogue.errors import InvalidInput
from peerladder.catalogue.models import Case, Revision
from peerladder.catalogue.records import case_record
from peerladder.catalogue.selectors import case_full_queryset
from tests.factories import LINUX_ANSWERS, WIKIPEDIA_ANSWERS, UserFactory

pytestmark = pytest.mark.django_db


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
        records=[record("linux"), record("hurd")],
        authors={"curator-2": curator},
    )
    linux = case_full_queryset().get(slug="linux")
    stored = case_record(linux)
    assert stored["countries"] == ["DE", "FR"]
    assert [p["author"] for p in stored["placements"]] == ["importer", "curator-2"]
    assert linux.standing_rung == 8 and linux.revision_number == 1
    revision = Revision.objects.get(case=linux)
    assert revision.number == 1 and revision.author == importer
    assert revision.snapshot == stored
    assert Case.objects.count() == 2


def test_bulk_create_matches_case_create():
    importer = UserFactory(username="importer")
    cases_bulk_create(author=importer, records=[record("bulk", placements=[])], authors={})
    data = record("single", placements=[])
    services.case_create(
        author=importer,
        fields={k: v for k, v in data.items() if k not in ("sources", "placements")},
        sources=data["sources"],
    )
    bulk = case_record(case_full_queryset().get(slug="bulk"))
    single = case_record(case_full_queryset().get(slug="single"))
    for key in ("slug", "name", "summary"):
        bulk.pop(key), single.pop(key)
    bulk["sources"][0].pop("url"), single["sources"][0].pop("url")
    assert bulk == single


def test_a_bad_record_names_its_index_and_writes_nothing():
    bad = record("bad", countries=["XX"])
    bad["placements"][0]["sources"] = ["https://elsewhere.example/"]
    with pytest.raises(InvalidInput) as caught:
        cases_bulk_create(author=UserFactory(), records=[record("good"), bad], authors={})
    fields = {error.field for error in caught.value.errors}
    assert "records[1].countries" in fields
    assert "records[1].placements[0].sources" in fields
    assert not Case.objects.exists()
