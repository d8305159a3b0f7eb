"""Exporters: every format, filters, streaming, and the data package checked by frictionless."""

from __future__ import annotations

import csv
import io
import zipfile

import orjson
import pytest
from frictionless import Package, validate
from ninja.testing import TestClient

from peerladder.api.interchange import router
from peerladder.catalogue.models import Case
from peerladder.catalogue.selectors import CaseFilters
from peerladder.catalogue.services import case_view_record, rating_set
from peerladder.interchange.datapackage import DataPackageExporter
from peerladder.interchange.exporters import CaseStream, CsvExporter
from peerladder.interchange.formats import EXPORT_FORMATS, EXPORTERS, exporter_for
from peerladder.interchange.jsonld import context_document
from peerladder.interchange.parsers import parse
from tests.factories import UserFactory
from tests.interchange.records import BASE_URL, export, load, load_records, sample_records

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    load_records(sample_records())


def test_every_exporter_names_its_format():
    assert set(EXPORT_FORMATS) == {
        "csv",
        "json",
        "jsonl",
        "jsonld",
        "datapackage",
        "bibtex",
        "csl",
        "ris",
    }
    for name, exporter in EXPORTERS.items():
        assert exporter.name == name
        assert exporter.extension
        assert "/" in exporter.media_type


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_every_format_writes_the_catalogue(catalogue, fmt):
    data = export(fmt)
    assert data
    if fmt not in ("datapackage",):
        assert b"Wikimedia Foundation" in data


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_an_empty_catalogue_exports_cleanly(fmt):
    data = export(fmt)
    assert data or fmt == "jsonl"  # no cases, no lines


def test_jsonl_export_is_the_import_format(catalogue):
    lines = export("jsonl").splitlines()
    assert [orjson.loads(line)["slug"] for line in lines] == ["wikimedia-foundation", "wikipedia"]
    assert orjson.loads(lines[1])["placements"][0]["author"] == "curator-1"


def test_json_export_carries_the_release_and_imports_again(catalogue):
    document = orjson.loads(export("json"))
    assert document["dataset"]["counts"]["cases"] == 2
    assert [case["slug"] for case in document["cases"]] == ["wikimedia-foundation", "wikipedia"]
    report = load(export("json"), fmt="json", name="cases.json", dry_run=True)
    assert report.unchanged == 2


def test_csv_export_imports_again_unchanged(catalogue):
    data = export("csv")
    rows = list(csv.DictReader(io.StringIO(data.decode())))
    assert rows[1]["countries"] == "US"
    assert rows[1]["tags"] == "encyclopedia;wiki"
    assert rows[1]["contested"] == "true"

    report = load(data, fmt="csv", name="cases.csv", dry_run=True)

    assert report.unchanged == 2


def test_filters_choose_the_exported_cases(catalogue):
    data = export("jsonl", CaseFilters(query="foundation"))
    assert [orjson.loads(line)["slug"] for line in data.splitlines()] == ["wikimedia-foundation"]


def test_cases_are_read_a_chunk_at_a_time(catalogue, django_assert_max_num_queries):
    stream = CaseStream(chunk_size=1)
    assert [len(batch) for batch in stream.batches()] == [1, 1]
    # Six queries a chunk (cases, countries, translations, sources, placements, relations).
    with django_assert_max_num_queries(14):
        chunks = list(CsvExporter(base_url=BASE_URL).chunks(CaseStream(chunk_size=1)))
    assert len(chunks) == 3  # the header, then one chunk per case


def test_jsonld_nodes_are_schema_org_organizations_with_ladder_terms(catalogue):
    document = orjson.loads(export("jsonld"))
    assert document["@context"] == f"{BASE_URL}/api/context.jsonld"
    node = document["@graph"][1]
    assert node["@type"] == "Organization"
    assert node["@id"] == f"{BASE_URL}/cases/wikipedia"
    assert node["sameAs"] == ["https://www.wikidata.org/wiki/Q52"]
    assert node["placements"][0]["@type"] == "Placement"
    terms = context_document(BASE_URL)["@context"]
    used = set(node) | set(node["placements"][0]) | set(node["subjectOf"][0])
    schema_org = {"name", "description", "url", "sameAs", "foundingDate", "identifier"}
    schema_org |= {"keywords", "subjectOf", "publisher", "citation", "contributor"}
    schema_org |= {"datePublished", "aggregateRating", "interactionStatistic"}
    for key in used - schema_org:
        assert key.startswith("@") or key in terms, key
    assert {"rung", "economy", "placements"} <= set(terms)
    # What readers did: views always, a rating once someone gave one.
    assert node["interactionStatistic"]["@type"] == "InteractionCounter"
    assert node["interactionStatistic"]["userInteractionCount"] == 0
    assert node.get("aggregateRating") is None


def test_exports_carry_ratings_and_views_as_computed_columns(catalogue):
    wikipedia = Case.objects.get(slug="wikipedia")
    rating_set(case=wikipedia, user=UserFactory(), stars=5)
    rating_set(case=wikipedia, user=UserFactory(), stars=4)
    for _ in range(3):
        case_view_record(case=wikipedia)

    rows = list(csv.DictReader(io.StringIO(export("csv").decode())))
    row = next(r for r in rows if r["slug"] == "wikipedia")
    assert (row["rating_average"], row["rating_count"], row["views"]) == ("4.5", "2", "3")
    node = next(
        n for n in orjson.loads(export("jsonld"))["@graph"][1:] if n["identifier"] == "wikipedia"
    )
    assert node["aggregateRating"]["ratingValue"] == 4.5
    assert node["aggregateRating"]["ratingCount"] == 2
    assert node["interactionStatistic"]["userInteractionCount"] == 3


def test_datapackage_directory_is_valid_for_frictionless(catalogue, tmp_path):
    DataPackageExporter(base_url=BASE_URL).write_directory(CaseStream(), tmp_path)

    report = validate(str(tmp_path / "datapackage.json"))

    assert report.valid, report.flatten(["type", "message"])
    package = Package(str(tmp_path / "datapackage.json"))
    rows = package.get_resource("placements").read_rows()
    assert len(rows) == 3
    assert rows[0]["answers"]["directed_by"]


def test_datapackage_zip_is_streamed_and_valid(catalogue, tmp_path):
    target = tmp_path / "package.zip"
    target.write_bytes(export("datapackage"))
    with zipfile.ZipFile(target) as archive:
        assert archive.namelist() == [
            "datapackage.json",
            "data/cases.csv",
            "data/translations.csv",
            "data/sources.csv",
            "data/placements.csv",
            "data/relations.csv",
        ]
        archive.extractall(tmp_path / "unzipped")
    report = validate(str(tmp_path / "unzipped" / "datapackage.json"))
    assert report.valid, report.flatten(["type", "message"])


def test_exporter_writes_to_any_stream(catalogue):
    stream = io.BytesIO()
    exporter_for("jsonl").write(CaseStream(), stream)
    assert parse(stream.getvalue(), fmt="jsonl", name="x.jsonl")


# -- the API --------------------------------------------------------------------------


def _download(response) -> bytes:
    assert response.streaming
    return response.content  # the test client has read the stream


def test_api_export_streams_a_download(catalogue):
    client = TestClient(router)
    response = client.get("/export?format=csv&sector=knowledge")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="peerladder-cases.csv"'
    assert b"Wikimedia Foundation" in _download(response)


def test_api_export_applies_the_case_list_filters(catalogue):
    client = TestClient(router)
    response = client.get("/export?format=jsonl&q=foundation")
    lines = _download(response).splitlines()
    assert [orjson.loads(line)["slug"] for line in lines] == ["wikimedia-foundation"]


def test_api_export_refuses_an_unknown_format():
    client = TestClient(router)
    assert client.get("/export?format=xls").status_code == 422


def test_api_publishes_the_jsonld_context():
    client = TestClient(router)
    response = client.get("/context.jsonld")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    terms = orjson.loads(response.content)["@context"]
    assert terms["@vocab"] == "https://schema.org/"
    assert {"rung", "economy", "placements"} <= set(terms)
