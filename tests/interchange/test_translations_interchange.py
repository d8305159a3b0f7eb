"""Translations in every format: JSON Lines round-trips them byte for byte, CSV has a
column per language and field, JSON-LD tags each value with its language, and imports
refuse a language the catalogue does not know, naming the line and the field."""

from __future__ import annotations

import copy

import orjson
import pytest
from django.db import transaction

from peerladder.catalogue.models import Case, CaseTranslation
from peerladder.interchange.parsers import CSV_COLUMNS
from peerladder.interchange.problems import InvalidFile
from tests.interchange.records import export, load, load_records, sample_records

pytestmark = pytest.mark.django_db

TRANSLATIONS = {
    "pt-br": {"summary": "Uma enciclopédia livre escrita por voluntários.", "editorial": True},
    "es": {
        "name": "Wikipedia en español",
        "summary": "Una enciclopedia libre escrita por voluntarios.",
        "description": "Escrita *en común*.",
    },
    "de": {"summary": "Eine freie Enzyklopädie.", "editorial": False},
}


def _translated_records():
    records = copy.deepcopy(sample_records())
    records[0]["translations"] = copy.deepcopy(TRANSLATIONS)
    records[1]["translations"] = {"fr": {"name": "Linux (noyau)", "summary": "Un noyau libre."}}
    return records


def _exported(fmt="jsonl", records=None):
    with transaction.atomic():
        load_records(records or _translated_records())
        data = export(fmt)
        transaction.set_rollback(True)
    return data


def test_json_lines_round_trip_with_translations_is_byte_identical():
    first = _exported()
    with transaction.atomic():
        assert not Case.objects.exists()
        load(first)
        second = export("jsonl")
        transaction.set_rollback(True)
    assert second == first
    record = orjson.loads(first.splitlines()[-1])
    # Languages in the catalogue's order, every key written, editorial kept.
    assert list(record["translations"]) == ["es", "pt-br", "de"]
    assert record["translations"]["pt-br"] == {
        "name": "",
        "summary": TRANSLATIONS["pt-br"]["summary"],
        "description": "",
        "editorial": True,
    }


def test_a_case_without_translations_has_an_empty_object():
    record = orjson.loads(_exported(records=sample_records()).splitlines()[0])
    assert record["translations"] == {}


def test_csv_has_columns_per_language_and_round_trips():
    assert {"name_es", "summary_es", "description_es", "editorial_es", "summary_pt-br"} <= set(
        CSV_COLUMNS
    )
    first = _exported("csv")
    header = first.splitlines()[0].decode()
    assert "summary_es" in header and "editorial_pt-br" in header
    with transaction.atomic():
        load(first, fmt="csv", name="cases.csv")
        assert CaseTranslation.objects.get(language="pt-br").editorial is True
        second = export("csv")
        transaction.set_rollback(True)
    assert second == first


def test_jsonld_tags_translated_values_with_their_language():
    document = orjson.loads(_exported("jsonld"))
    wiki = next(node for node in document["@graph"] if node["identifier"] == "wikipedia")
    assert {"@value": "Wikipedia", "@language": "en"} in wiki["name"]
    assert {"@value": "Wikipedia en español", "@language": "es"} in wiki["name"]
    assert {
        "@value": TRANSLATIONS["pt-br"]["summary"],
        "@language": "pt-BR",
    } in wiki["description"]
    untranslated = orjson.loads(_exported("jsonld", records=sample_records()))
    assert all(isinstance(node["name"], str) for node in untranslated["@graph"][1:])


def test_datapackage_has_a_translations_table(tmp_path):
    import io
    import zipfile

    data = _exported("datapackage")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        table = archive.read("data/translations.csv").decode()
        descriptor = orjson.loads(archive.read("datapackage.json"))
    assert table.splitlines()[0] == "case,language,name,summary,description,editorial"
    assert "wikipedia,pt-br,,Uma enciclopédia" in table
    resource = next(r for r in descriptor["resources"] if r["name"] == "translations")
    language = next(f for f in resource["schema"]["fields"] if f["name"] == "language")
    assert language["constraints"]["enum"] == ["es", "fr", "pt-br", "de", "it"]


@pytest.mark.parametrize(
    ("translations", "field"),
    [
        ({"xx": {"summary": "?"}}, "translations.xx"),
        ({"en": {"summary": "?"}}, "translations.en"),
        ({"es": {"summary": 5}}, "translations.es.summary"),
    ],
)
def test_an_import_refuses_a_bad_translation_naming_line_and_field(translations, field):
    records = sample_records()
    records[1]["translations"] = translations
    data = b"\n".join(orjson.dumps(record) for record in records)
    with pytest.raises(InvalidFile) as refused:
        load(data, name="cases.jsonl")
    (problem,) = refused.value.problems
    assert problem.where == "cases.jsonl:2" and problem.field == field
    assert not Case.objects.exists()


def test_a_csv_with_a_bad_editorial_cell_is_refused():
    import csv
    import io

    rows = list(csv.reader(io.StringIO(_exported("csv").decode(), newline="")))
    rows[1][rows[0].index("editorial_fr")] = "maybe"
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    with pytest.raises(InvalidFile) as refused:
        load(out.getvalue().encode(), fmt="csv", name="cases.csv")
    (problem,) = refused.value.problems
    assert (problem.where, problem.field) == ("cases.csv:2", "editorial_fr")
    assert not Case.objects.exists()


def test_importing_a_translation_into_an_existing_case_adds_it_as_a_revision():
    load_records(sample_records())
    records = sample_records()
    records[0]["translations"] = {"it": {"summary": "Un'enciclopedia libera."}}
    report = load(b"\n".join(orjson.dumps(record) for record in records))
    assert report.updated == 1
    case = Case.objects.get(slug=records[0]["slug"])
    assert case.translations.get().language == "it"
    assert case.revisions.latest("number").snapshot["translations"]["it"]["summary"]
