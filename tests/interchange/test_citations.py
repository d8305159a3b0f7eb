"""Citations of a case revision and of the dataset release, in BibTeX, CSL-JSON and RIS."""

from __future__ import annotations

import datetime as dt

import orjson
import pytest
from django.template.loader import render_to_string
from ninja.testing import TestClient

from peerladder.api.interchange import router
from peerladder.catalogue import services
from peerladder.catalogue.models import Case
from peerladder.interchange.citations import (
    case_citation,
    citation_context,
    dataset_release,
    render_citation,
    to_bibtex,
    to_csl,
    to_ris,
)
from tests.factories import UserFactory
from tests.interchange.records import BASE_URL, export, load_records, sample_records

pytestmark = pytest.mark.django_db

ACCESSED = dt.date(2027, 1, 15)


@pytest.fixture
def wikipedia():
    load_records(sample_records(), user="importer")
    case = Case.objects.get(slug="wikipedia")
    editor = UserFactory(username="editor_a")
    services.case_update(
        case=case,
        author=editor,
        changes={"summary": "100% free & open {encyclopedia}"},
        base_revision=None,
    )
    return Case.objects.get(slug="wikipedia")


def test_a_case_citation_names_its_revision_contributors_and_dates(wikipedia):
    citation = case_citation(wikipedia, base_url=BASE_URL, accessed=ACCESSED)

    # Revision authors in order, then the authors of the placements not yet named.
    assert citation.authors == ("importer", "editor_a", "curator-1", "curator-2")
    assert citation.url == f"{BASE_URL}/cases/wikipedia?revision={wikipedia.revision_number}"
    assert citation.version == f"revision {wikipedia.revision_number}"
    assert citation.issued == dt.date.today()
    assert citation.accessed == ACCESSED
    assert citation.title == "Wikipedia"


def test_bibtex_entry(wikipedia):
    text = to_bibtex(case_citation(wikipedia, base_url=BASE_URL, accessed=ACCESSED))

    assert text.startswith(f"@misc{{peerladder-wikipedia-r{wikipedia.revision_number},\n")
    assert "  author = {{importer} and {editor\\_a} and {curator-1} and {curator-2}},\n" in text
    assert "  title = {{Wikipedia}},\n" in text
    assert f"  url = {{{BASE_URL}/cases/wikipedia?revision=" in text
    assert "  urldate = {2027-01-15},\n" in text
    assert f"  year = {{{dt.date.today().year}}},\n" in text
    assert text.count("{") == text.count("}")


def test_bibtex_escapes_special_characters(wikipedia):
    wikipedia.name = "50% off & more_#"
    text = to_bibtex(case_citation(wikipedia, base_url=BASE_URL))
    assert r"title = {{50\% off \& more\_\#}}" in text


def test_csl_item(wikipedia):
    item = to_csl(case_citation(wikipedia, base_url=BASE_URL, accessed=ACCESSED))

    assert item["type"] == "webpage"
    assert item["author"][0] == {"literal": "importer"}
    assert item["accessed"] == {"date-parts": [[2027, 1, 15]]}
    assert item["URL"].endswith(f"?revision={wikipedia.revision_number}")
    assert item["issued"]["date-parts"][0][0] == dt.date.today().year


def test_ris_record(wikipedia):
    text = to_ris(case_citation(wikipedia, base_url=BASE_URL, accessed=ACCESSED))
    lines = text.splitlines()

    assert lines[0] == "TY  - ELEC"
    assert "AU  - importer" in lines
    assert "TI  - Wikipedia" in lines
    assert "Y2  - 2027/01/15" in lines
    assert lines[-1].rstrip() == "ER  -"


def test_dataset_release_is_dated_versioned_and_counted(wikipedia):
    release = dataset_release(Case.objects.all(), base_url=BASE_URL)

    assert release.counts == {
        "cases": 2,
        "placements": 3,
        "sources": 2,
        "contributors": 4,
        "revisions": release.counts["revisions"],
    }
    assert release.version == f"{dt.date.today():%Y.%m.%d}-r{release.counts['revisions']}"
    citation = release.citation(accessed=ACCESSED)
    assert citation.kind == "dataset"
    assert "2 cases" in citation.note
    assert to_csl(citation)["type"] == "dataset"
    assert to_ris(citation).startswith("TY  - DATA\n")


def test_a_new_revision_gives_a_new_release_version(wikipedia):
    before = dataset_release(Case.objects.all()).version
    services.case_update(
        case=wikipedia, author=UserFactory(), changes={"name": "Wikipedia!"}, base_revision=None
    )
    assert dataset_release(Case.objects.all()).version != before


def test_bibliography_exports_start_with_the_dataset(wikipedia):
    bibtex = export("bibtex").decode()
    assert bibtex.startswith("@misc{peerladder-")
    assert bibtex.count("@misc{") == 3
    csl = orjson.loads(export("csl"))
    assert [item["type"] for item in csl] == ["dataset", "webpage", "webpage"]
    assert export("ris").decode().count("TY  - ") == 3


def test_render_citation_in_each_format(wikipedia):
    citation = case_citation(wikipedia, base_url=BASE_URL)
    assert render_citation(citation, "bibtex").startswith("@misc{")
    assert orjson.loads(render_citation(citation, "csl"))[0]["title"] == "Wikipedia"
    assert render_citation(citation, "ris").startswith("TY  - ELEC")
    with pytest.raises(ValueError, match="bibtex, csl, ris"):
        render_citation(citation, "mla")


def test_cite_box_links_every_format_and_shows_bibtex(wikipedia):
    context = {"case": wikipedia, **citation_context(wikipedia, base_url=BASE_URL)}
    html = render_to_string("web/cases/_cite.html", context)

    for fmt in ("bibtex", "csl", "ris"):
        assert f'href="/api/cases/wikipedia/cite?format={fmt}"' in html
    assert "<pre" in html and "@misc{peerladder-wikipedia-r" in html
    assert f"?revision={wikipedia.revision_number}" in html


def test_download_links_keep_the_list_filters():
    html = render_to_string("web/cases/_downloads.html", {"query_without_page": "rung=8&q=wiki"})
    assert 'href="/api/export?format=csv&amp;rung=8&amp;q=wiki"' in html
    assert "format=datapackage" in html


# -- the API --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "media_type", "start"),
    [
        ("bibtex", "application/x-bibtex", b"@misc{"),
        ("csl", "application/vnd.citationstyles.csl+json", b"["),
        ("ris", "application/x-research-info-systems", b"TY  - ELEC"),
    ],
)
def test_api_cites_a_case(wikipedia, fmt, media_type, start):
    response = TestClient(router).get(f"/cases/wikipedia/cite?format={fmt}")

    assert response.status_code == 200
    assert response["Content-Type"].startswith(media_type)
    assert response.content.startswith(start)
    assert f"/cases/wikipedia?revision={wikipedia.revision_number}".encode() in response.content


def test_api_cite_defaults_to_bibtex(wikipedia):
    response = TestClient(router).get("/cases/wikipedia/cite")
    assert response.content.startswith(b"@misc{")


def test_api_cite_refuses_an_unknown_format(wikipedia):
    assert TestClient(router).get("/cases/wikipedia/cite?format=mla").status_code == 422


def test_api_cite_of_an_unknown_case_is_404():
    response = TestClient(router).get("/cases/nobody/cite?format=ris")
    assert response.status_code == 404
    assert "nobody" in response.json()["detail"]
