"""The bundled catalogue of real cases: well formed, complete, and loadable."""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlsplit

import pytest

from peerladder.catalogue.validation import check_case
from peerladder.interchange.bundled import BUNDLED_FILE, bundled_records, load_bundled_if_empty
from peerladder.ladder import classify
from peerladder.ladder.trajectory import PlacementRow, standing

RECORDS = [record for _, record in bundled_records()]
BY_SLUG = {record["slug"]: record for record in RECORDS}
ESSAY_CASES = {
    "ikea": 3,
    "dell": 4,
    "procter-gamble-connect-develop": 5,
    "lego-factory": 5,
    "wikipedia": 6,
    "craigslist": None,  # contested in the bundle: argued both ways
    "couchsurfing": None,
    "linux": 8,
    "youtube": 9,
    "mondragon": 10,
    "ebay": 11,
    "istockphoto": 11,
}


def latest_period(record):
    rows = []
    for placement in record["placements"]:
        result = classify(placement["answers"])
        rows.append(
            PlacementRow(
                placement["valid_from"],
                placement["valid_to"],
                result.rung,
                result.economy,
                result.viability,
            )
        )
    return standing(rows)


def test_file_is_in_the_package_and_sorted_by_slug():
    assert BUNDLED_FILE.name == "cases.jsonl"
    slugs = [record["slug"] for record in RECORDS]
    assert slugs == sorted(slugs)


def test_every_record_passes_the_importers_checks():
    problems = []
    for record in RECORDS:
        errors = []
        check_case(record, errors)
        for relation in record.get("relations", []):
            assert relation["target"] in BY_SLUG, f"{record['slug']}: unknown {relation}"
        problems.extend(f"{record['slug']}: {error.message}" for error in errors)
    assert problems == []


def test_every_url_is_well_formed_http():
    for record in RECORDS:
        urls = [source["url"] for source in record["sources"]]
        if record.get("website"):
            urls.append(record["website"])
        for url in urls:
            parts = urlsplit(url)
            assert parts.scheme in {"http", "https"} and parts.netloc, (record["slug"], url)
            assert not any(ch.isspace() for ch in url), (record["slug"], url)


def test_every_placement_cites_a_source_of_its_case():
    for record in RECORDS:
        cited = {source["url"] for source in record["sources"]}
        for placement in record["placements"]:
            assert placement["sources"], record["slug"]
            assert set(placement["sources"]) <= cited, record["slug"]
            assert placement["rationale"].strip(), record["slug"]


def test_no_duplicate_slugs_or_wikidata_ids():
    slugs = Counter(record["slug"] for record in RECORDS)
    wikidata = Counter(record["wikidata"] for record in RECORDS if record.get("wikidata"))
    assert [slug for slug, n in slugs.items() if n > 1] == []
    assert [qid for qid, n in wikidata.items() if n > 1] == []


def test_size_and_per_rung_minimums_hold():
    assert len(RECORDS) >= 150
    standing_rungs = Counter(latest_period(record).rung for record in RECORDS)
    for number in range(1, 6):
        assert standing_rungs[number] >= 4, f"rung {number}: {standing_rungs[number]}"
    for number in range(6, 12):
        assert standing_rungs[number] >= 8, f"rung {number}: {standing_rungs[number]}"


def test_essay_cases_are_present_where_the_essay_puts_them():
    for slug, expected in ESSAY_CASES.items():
        assert slug in BY_SLUG, slug
        if expected is not None:
            assert latest_period(BY_SLUG[slug]).rung == expected, slug
    couchsurfing = latest_period(BY_SLUG["couchsurfing"])
    assert couchsurfing.valid_from > "2004"  # it moved; its first period is non-profit rung 6
    first = min(BY_SLUG["couchsurfing"]["placements"], key=lambda p: p["valid_from"])
    assert classify(first["answers"]).rung == 6


def test_trajectories_and_contested_cases_are_there():
    moved = [
        record["slug"]
        for record in RECORDS
        if len({(p["valid_from"], p["valid_to"]) for p in record["placements"]}) > 1
    ]
    contested = [record["slug"] for record in RECORDS if latest_period(record).consensus.contested]
    assert len(moved) >= 12, moved
    assert len(contested) >= 5, contested
    for slug in contested:
        authors = {p["author"] for p in BY_SLUG[slug]["placements"]}
        assert len(authors) >= 2, slug


@pytest.mark.django_db
def test_bundled_cases_load_into_an_empty_catalogue_once():
    from peerladder.catalogue.models import Case

    assert load_bundled_if_empty() == len(RECORDS)
    assert Case.objects.count() == len(RECORDS)
    assert Case.objects.get(slug="linux").standing_rung == 8
    assert Case.objects.filter(contested=True).count() >= 5
    assert load_bundled_if_empty() == 0  # never twice
