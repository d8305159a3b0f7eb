"""Importing case records: creation, matching and updating, dry runs, all or nothing."""

from __future__ import annotations

import copy
import csv
import io

import orjson
import pytest

from peerladder.accounts.models import User
from peerladder.catalogue import services
from peerladder.catalogue.models import Case, Placement, Relation, Revision
from peerladder.interchange.problems import InvalidFile
from tests.factories import IKEA_ANSWERS, UserFactory, make_case
from tests.interchange.records import (
    database_state,
    foundation_record,
    jsonl,
    load,
    load_records,
    sample_records,
    wiki_record,
)

pytestmark = pytest.mark.django_db


def test_jsonl_import_creates_cases_with_sources_placements_and_relations():
    report = load_records(sample_records())

    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    wikipedia = Case.objects.get(slug="wikipedia")
    assert wikipedia.wikidata == "Q52"
    assert [row.code for row in wikipedia.country_rows.all()] == ["US"]
    assert wikipedia.placements.count() == 2
    assert wikipedia.placement_count == 2
    relation = Relation.objects.get(subject=wikipedia)
    assert (relation.type, relation.target.slug) == ("governed_by", "wikimedia-foundation")


def test_placements_keep_the_authors_their_records_name():
    load_records(sample_records())

    authors = list(
        Placement.objects.filter(case__slug="wikipedia")
        .order_by("id")
        .values_list("author__username", flat=True)
    )
    assert authors == ["curator-1", "curator-2"]


def test_new_cases_are_created_by_the_importing_account():
    load_records(sample_records(), user="importer-7")

    first = Revision.objects.get(case__slug="wikipedia", number=1)
    assert first.author.username == "importer-7"
    assert first.action == "create"


def test_a_placement_without_author_is_the_importing_accounts():
    record = foundation_record()
    del record["placements"][0]["author"]
    load_records([record])

    placement = Placement.objects.get(case__slug="wikimedia-foundation")
    assert placement.author.username == "peerladder-import"


def test_json_accepts_a_list_or_an_object_with_cases():
    as_list = orjson.dumps(sample_records())
    load(as_list, fmt="json", name="cases.json")
    assert Case.objects.count() == 2

    record = wiki_record()
    record["summary"] = "Changed through the JSON object form."
    as_object = orjson.dumps({"dataset": {"version": "x"}, "cases": [record]})
    report = load(as_object, fmt="json", name="cases.json")
    assert report.updated == 1
    assert Case.objects.get(slug="wikipedia").summary == record["summary"]


def test_csv_rows_with_lists_and_json_cells_are_imported():
    header = "slug,name,summary,countries,tags,sector,org_form,founded,sources,placements,relations"
    foundation = foundation_record()
    row = [
        foundation["slug"],
        foundation["name"],
        "'-the nonprofit, with a leading dash kept as text",
        "US;DE",
        "hosting;wiki",
        "knowledge",
        "nonprofit",
        "2003",
        orjson.dumps(foundation["sources"]).decode(),
        orjson.dumps(foundation["placements"]).decode(),
        "",
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header.split(","))
    writer.writerow(row)
    load(buffer.getvalue().encode(), fmt="csv", name="cases.csv")

    case = Case.objects.get(slug="wikimedia-foundation")
    assert case.summary == "-the nonprofit, with a leading dash kept as text"
    assert [row.code for row in case.country_rows.all()] == ["US", "DE"]
    assert case.tags == ["hosting", "wiki"]
    assert case.founded == 2003
    assert case.placements.count() == 1


def test_existing_case_matched_by_slug_is_updated_with_revisions_by_the_importer():
    load_records(sample_records())
    before = Case.objects.get(slug="wikipedia").revision_number
    record = wiki_record()
    record["summary"] = "An encyclopedia anyone can edit."
    record["sources"].append(
        {"url": "https://example.org/history", "title": "History", "publisher": ""}
    )
    record["placements"].append(
        {
            "answers": IKEA_ANSWERS,
            "valid_from": "2020",
            "rationale": "A later view.",
            "sources": ["https://example.org/history"],
            "author": "curator-3",
        }
    )

    report = load_records([record], user="bulk-editor")

    assert report.updated == 1
    case = Case.objects.get(slug="wikipedia")
    assert case.summary == "An encyclopedia anyone can edit."
    assert case.sources.count() == 2
    assert case.placements.count() == 3
    revisions = Revision.objects.filter(case=case, number__gt=before).order_by("number")
    assert [(r.action, r.author.username) for r in revisions] == [
        ("edit", "bulk-editor"),
        ("source_add", "bulk-editor"),
        ("placement_add", "curator-3"),
    ]


def test_existing_case_matched_by_wikidata_id_gets_the_new_slug():
    author = UserFactory()
    make_case(author=author, slug="old-name", wikidata="Q52")
    record = wiki_record()
    record["relations"] = []

    report = load_records([record])

    assert report.updated == 1
    assert Case.objects.filter(slug="wikipedia", wikidata="Q52").exists()
    assert not Case.objects.filter(slug="old-name").exists()


def test_importing_the_same_file_again_changes_nothing():
    load_records(sample_records())
    before = database_state()

    report = load_records(sample_records())

    assert report.unchanged == 2
    assert database_state() == before


def test_dry_run_reports_and_writes_nothing():
    load_records([foundation_record()])
    before = database_state()
    record = foundation_record()
    record["name"] = "Wikimedia Foundation, Inc."

    report = load_records([record, wiki_record()], dry_run=True)

    assert database_state() == before
    assert [plan.action for plan in report.plans] == ["update", "create"]
    assert report.plans[0].describe() == "update wikimedia-foundation: changes name"
    assert report.plans[1].describe().startswith("create wikipedia:")
    assert "would create 1" in report.summary()


def test_a_slug_and_a_wikidata_id_matching_two_cases_is_refused():
    make_case(slug="wikipedia")
    make_case(slug="other", wikidata="Q52")
    before = database_state()

    with pytest.raises(InvalidFile) as caught:
        load_records([wiki_record()])

    assert "Wikidata id matches case 'other'" in caught.value.problems[0].line()
    assert database_state() == before


def test_a_relation_to_an_unknown_case_is_refused():
    with pytest.raises(InvalidFile) as caught:
        load_records([wiki_record()])

    line = caught.value.problems[0].line()
    assert line.startswith("cases.jsonl:1: relations[0].target")
    assert "wikimedia-foundation" in line
    assert Case.objects.count() == 0


def test_a_refusal_while_writing_rolls_back_every_earlier_write():
    load_records([foundation_record()])
    case = Case.objects.get(slug="wikimedia-foundation")
    moderator = UserFactory(role="moderator")
    services.case_update(
        case=case, author=moderator, changes={}, base_revision=None, summary="touch"
    )
    Case.objects.filter(pk=case.pk).update(locked=True)
    before = database_state()
    locked = foundation_record()
    locked["name"] = "Renamed while locked"

    with pytest.raises(InvalidFile) as caught:
        load_records([wiki_record(), locked])

    assert "locked" in caught.value.problems[0].line()
    assert database_state() == before


def test_a_blocked_importing_account_writes_nothing():
    from django.utils import timezone

    UserFactory(username="peerladder-import", blocked_at=timezone.now())

    with pytest.raises(InvalidFile) as caught:
        load_records(sample_records())

    assert "blocked" in caught.value.problems[0].line()
    assert Case.objects.count() == 0


def test_accounts_named_by_placements_are_created_once():
    records = copy.deepcopy(sample_records())
    load_records(records)

    names = set(User.objects.values_list("username", flat=True))
    assert {"curator-1", "curator-2", "peerladder-import"} <= names


def test_the_jsonl_parser_reports_the_line_of_each_record():
    data = jsonl(sample_records())
    report = load(data, dry_run=True)
    assert [plan.where for plan in report.plans] == ["cases.jsonl:1", "cases.jsonl:2"]
