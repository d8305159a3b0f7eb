"""The one check of an incoming case (check_case, check_placement) and the clean_* checks."""

from __future__ import annotations

from urllib.parse import urlsplit

from hypothesis import given
from hypothesis import strategies as st

from peerladder.catalogue.validation import check_case, check_placement, clean_url
from peerladder.text import unstorable
from tests.factories import IKEA_ANSWERS, LINUX_ANSWERS


def accepted_by_urlsplit(value: str) -> bool:
    value = value.strip()
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return (
        parts.scheme in ("http", "https")
        and bool(parts.netloc)
        and not any(c.isspace() for c in value)
        and len(value) <= 1000
        and unstorable(value) is None
    )


url_like = st.builds(
    lambda scheme, host, rest: f"{scheme}{host}{rest}",
    st.sampled_from(["http://", "https://", "HTTPS://", "ftp://", "https:/", ""]),
    st.text(alphabet="abcxyz.-:[]0123456789é ", max_size=20),
    st.text(max_size=30),
)


@given(url_like)
def test_clean_url_accepts_exactly_what_urlsplit_accepts(value):
    errors = []
    cleaned = clean_url(value, errors, field="url")
    assert (errors == []) == accepted_by_urlsplit(value), (value, cleaned)
    if not errors:
        assert cleaned == value.strip()


def test_clean_url_names_the_field_of_a_bad_url():
    errors = []
    assert clean_url("https://example.org/a b", errors, field="website") == ""
    assert errors[0].field == "website"


def incoming(**extra):
    url = "https://example.org/about"
    return {
        "slug": "example",
        "name": "Example",
        "summary": "An example.",
        "sources": [{"url": url, "title": "About"}],
        "placements": [
            {"answers": LINUX_ANSWERS, "valid_from": "2001", "rationale": "R.", "sources": [url]}
        ],
        **extra,
    }


def test_check_case_names_every_problem_of_a_record_at_once():
    record = incoming(countries=["XX"], colour="red")
    record["placements"][0]["sources"] = ["https://elsewhere.example/"]
    record["placements"].append({"answers": {"directed_by": "nobody"}, "valid_from": "later"})
    errors = []
    assert check_case(record, errors) is None
    fields = {error.field for error in errors}
    assert {
        "colour",
        "countries",
        "placements[0].sources[0]",
        "placements[1].answers.directed_by",
        "placements[1].valid_from",
        "placements[1].rationale",
        "placements[1].sources",
    } <= fields


def test_a_source_given_in_full_in_a_placement_becomes_a_source_of_the_case():
    record = incoming()
    inline = {"url": "https://example.org/report", "title": "Report"}
    record["placements"][0]["sources"].append(inline)
    errors = []
    checked = check_case(record, errors)
    assert errors == []
    assert [source["url"] for source in checked.sources] == [
        "https://example.org/about",
        "https://example.org/report",
    ]
    assert checked.placements[0].source_urls == (
        "https://example.org/about",
        "https://example.org/report",
    )


def test_a_placement_may_cite_the_sources_a_case_already_has():
    placement = {
        "answers": IKEA_ANSWERS,
        "valid_from": "1956",
        "rationale": "Flat packs.",
        "sources": ["https://stored.example/"],
    }
    errors = []
    checked = check_placement(placement, errors, prefix="", known_urls={"https://stored.example/"})
    assert errors == [] and checked.classification.rung == 3
    check_placement(placement, errors, prefix="placements[2].", known_urls=set())
    assert [error.field for error in errors] == ["placements[2].sources[0]"]


def test_lists_past_their_limit_are_refused_naming_the_limit():
    errors = []
    check_case(incoming(tags=[f"t{n}" for n in range(31)], countries=["DE"] * 61), errors)
    messages = {error.field: error.message for error in errors}
    assert "at most 30" in messages["tags"]
    assert "at most 60" in messages["countries"]
