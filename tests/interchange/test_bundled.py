"""The bundled catalogue of real cases: well formed, and assembled by the rules of
docs/cases.md — enough cases, no country dominating, every continent, every case
described and carried by at least two sources with one specific page, placements by
named editorial accounts, and disagreement only where a source carries it."""

from __future__ import annotations

from collections import Counter, defaultdict
from urllib.parse import urlsplit

import pytest

from peerladder.catalogue.validation import check_case
from peerladder.interchange.bundled import BUNDLED_FILE, bundled_records, load_bundled_if_empty
from peerladder.ladder import PlacementRow, classify, consensus, standing

RECORDS = [record for _, record in bundled_records()]
BY_SLUG = {record["slug"]: record for record in RECORDS}
ESSAY = "https://timreview.ca/article/113"
ACCOUNTS = {"peerladder-editors", "essay-2008", "literature"}
# The cases the 2008 essay names, and the rung it gives each (for the years it wrote of).
ESSAY_CASES = {
    "ikea": 3,
    "dell": 4,
    "procter-gamble-connect-develop": 5,
    "lego-factory": 5,
    "wikipedia": 6,
    "craigslist": 6,
    "couchsurfing": 6,
    "linux": 8,
    "youtube": 9,
    "mondragon": 10,
    "ebay": 11,
    "istockphoto": 11,
}
# The continents of the countries the catalogue names (a new country needs a line here).
CONTINENTS = {
    "Africa": {"BJ", "CI", "GH", "KE", "MW", "NG", "TG", "TZ", "UG", "ZA"},
    "Asia": {"CN", "HK", "ID", "IL", "IN", "JP", "KR", "LK", "MY", "NP", "PH", "SG", "TH", "TW"},
    "Europe": {
        "AT", "BE", "CH", "DE", "DK", "ES", "FI", "FR", "GB", "GR", "IE", "IM", "IT", "LT",
        "LU", "NL", "NO", "PL", "RU", "SE",
    },
    "North America": {"CA", "CR", "CU", "MX", "US"},
    "South America": {"AR", "BR", "EC", "UY"},
    "Oceania": {"AU", "NZ"},
}  # fmt: skip
CONTINENT_OF = {code: name for name, codes in CONTINENTS.items() for code in codes}


def rows(record, period=None):
    return [
        PlacementRow(
            p["valid_from"], p["valid_to"], classify(p["answers"]).rung, None, None, p["author"]
        )
        for p in record["placements"]
        if period is None or (p["valid_from"], p["valid_to"]) == period
    ]


def latest_period(record):
    return standing(rows(record))


def is_specific(url: str, website: str | None) -> bool:
    """A page about something (an article, a report, a governance page), not a homepage
    and not an encyclopedia entry."""
    parts = urlsplit(url)
    if parts.netloc.endswith(("wikipedia.org", "wikidata.org")):
        return False
    if website and url.rstrip("/") == website.rstrip("/"):
        return False
    return bool(parts.path.strip("/") or parts.query)


def test_file_is_in_the_package_and_sorted_by_slug():
    assert BUNDLED_FILE.name == "cases.jsonl"
    slugs = [record["slug"] for record in RECORDS]
    assert slugs == sorted(slugs)
    assert len(set(slugs)) == len(slugs)


def test_every_record_passes_the_one_check_and_its_relations_resolve():
    problems = []
    for record in RECORDS:
        errors = []
        check_case(record, errors)
        problems.extend(f"{record['slug']}: {error.message}" for error in errors)
        for relation in record.get("relations", []):
            if relation["target"] not in BY_SLUG:
                problems.append(f"{record['slug']}: unknown relation target {relation}")
    assert problems == []


def test_no_duplicate_wikidata_ids():
    wikidata = Counter(record["wikidata"] for record in RECORDS if record.get("wikidata"))
    assert [qid for qid, n in wikidata.items() if n > 1] == []


def test_at_least_400_cases_and_no_country_above_35_percent():
    assert len(RECORDS) >= 400
    countries = Counter(code for record in RECORDS for code in set(record["countries"]))
    largest, count = countries.most_common(1)[0]
    assert count / len(RECORDS) <= 0.35, (largest, count)


def test_every_continent_has_organisations_of_its_own():
    unmapped = {code for r in RECORDS for code in r["countries"] if code not in CONTINENT_OF}
    assert unmapped == set(), "add these countries to CONTINENTS"
    present = Counter(
        CONTINENT_OF[record["countries"][0]] for record in RECORDS if record["countries"]
    )
    for continent in CONTINENTS:
        assert present[continent] >= 5, (continent, present)


def test_every_case_is_described_in_one_to_three_paragraphs():
    for record in RECORDS:
        paragraphs = [p for p in record["description"].split("\n\n") if p.strip()]
        assert 1 <= len(paragraphs) <= 3, record["slug"]
        assert record["production"] in {"material", "immaterial", "both"}, record["slug"]


def test_every_case_has_two_sources_one_of_them_a_specific_page():
    for record in RECORDS:
        urls = [source["url"] for source in record["sources"]]
        assert len(urls) >= 2, record["slug"]
        assert any(is_specific(url, record["website"]) for url in urls), record["slug"]
        for source in record["sources"]:
            assert source["accessed"], (record["slug"], source["url"])


def test_placements_are_by_named_editorial_accounts_citing_their_case_sources():
    for record in RECORDS:
        cited = {source["url"] for source in record["sources"]}
        for placement in record["placements"]:
            assert placement["author"] in ACCOUNTS, record["slug"]
            assert placement["sources"] and set(placement["sources"]) <= cited, record["slug"]
            assert placement["rationale"].strip(), record["slug"]
            if placement["author"] == "essay-2008":
                assert ESSAY in placement["sources"], record["slug"]
            if placement["author"] == "literature":
                assert any(is_specific(u, record["website"]) for u in placement["sources"])
        periods = Counter(
            (p["valid_from"], p["valid_to"], p["author"]) for p in record["placements"]
        )
        assert max(periods.values()) == 1, f"{record['slug']}: one account places a period once"


def test_disagreement_is_carried_by_a_source_of_its_own():
    """No placement exists only to make a dispute: in every period where placements
    disagree, each dissenting placement cites a source the others do not."""
    for record in RECORDS:
        by_period = defaultdict(list)
        for placement in record["placements"]:
            by_period[(placement["valid_from"], placement["valid_to"])].append(placement)
        for period, placements in by_period.items():
            rungs = [classify(p["answers"]).rung for p in placements]
            agreed = consensus(rungs)
            for placement, rung in zip(placements, rungs, strict=True):
                if rung == agreed.rung:
                    continue
                others = {u for p in placements if p is not placement for u in p["sources"]}
                assert set(placement["sources"]) - others, (record["slug"], period)


def test_the_essays_cases_carry_the_essays_own_placement():
    for slug, rung in ESSAY_CASES.items():
        essay = [p for p in BY_SLUG[slug]["placements"] if p["author"] == "essay-2008"]
        assert len(essay) == 1, slug
        assert classify(essay[0]["answers"]).rung == rung, slug
        period = (essay[0]["valid_from"], essay[0]["valid_to"])
        assert period[0] <= "2008" and (period[1] is None or period[1] >= "2007"), slug


def test_agreement_has_something_to_measure_and_every_rung_is_there():
    shared = [
        period
        for record in RECORDS
        for period in {(p["valid_from"], p["valid_to"]) for p in record["placements"]}
        if len({p["author"] for p in record["placements"]
                if (p["valid_from"], p["valid_to"]) == period}) >= 2
    ]  # fmt: skip
    assert len(shared) >= 30
    standing_rungs = Counter(latest_period(record).rung for record in RECORDS)
    assert all(standing_rungs[number] >= 5 for number in range(1, 12)), standing_rungs
    moved = [
        r for r in RECORDS if len({(p["valid_from"], p["valid_to"]) for p in r["placements"]}) > 1
    ]
    assert len(moved) >= 20


@pytest.mark.django_db
def test_bundled_cases_load_into_an_empty_catalogue_once():
    from peerladder.catalogue.models import Case

    assert load_bundled_if_empty() == len(RECORDS)
    assert Case.objects.count() == len(RECORDS)
    assert Case.objects.get(slug="linux").standing_rung == 8
    contested = {r["slug"] for r in RECORDS if latest_period(r).consensus.contested}
    assert set(Case.objects.filter(contested=True).values_list("slug", flat=True)) == contested
    assert load_bundled_if_empty() == 0  # never twice


# -- the editors' translations ---------------------------------------------------------


def test_every_bundled_translation_names_a_bundled_case():
    from peerladder.interchange.bundled import bundled_translations

    translations = bundled_translations()
    assert set(translations) <= set(BY_SLUG)


def test_the_whole_corpus_has_spanish_and_portuguese_summaries_marked_editorial():
    for record in RECORDS:
        translations = record.get("translations") or {}
        for language in ("es", "pt-br"):
            assert translations.get(language, {}).get("summary"), (record["slug"], language)
            assert translations[language]["editorial"] is True
            assert translations[language]["summary"] != record["summary"]


def test_bundled_translations_pass_the_one_check():
    for record in RECORDS:
        errors = []
        assert check_case(record, errors) is not None, (record["slug"], errors)


@pytest.mark.django_db
def test_loaded_bundled_cases_carry_their_editorial_translations():
    from peerladder.catalogue.models import CaseTranslation

    load_bundled_if_empty()
    row = CaseTranslation.objects.get(case__slug="linux", language="es")
    assert row.editorial and row.summary == BY_SLUG["linux"]["translations"]["es"]["summary"]
    assert CaseTranslation.objects.filter(language="pt-br").count() == len(RECORDS)
