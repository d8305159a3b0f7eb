"""The record's one definition: every list derived from it agrees with the model, the
formats, the forms and the readers, so adding a field is one place, a model field and
a migration."""

from __future__ import annotations

import pytest

from peerladder.api.editing import CaseIn, CasePatchIn
from peerladder.catalogue.bulk import CASE_COLUMNS
from peerladder.catalogue.models import Case, Source
from peerladder.catalogue.record import (
    CASE_FIELD_NAMES,
    CASE_FIELDS,
    EDITABLE_CASE_FIELDS,
    LIMITS,
    RECORD_KEYS,
    STORED_CASE_FIELDS,
    case_record,
    placement_identity,
)
from peerladder.catalogue.record_stream import case_row_batches
from peerladder.catalogue.records import case_record_of
from peerladder.catalogue.selectors import case_full_queryset
from peerladder.interchange.datapackage import CASE_FIELDS as PACKAGE_CASE_FIELDS
from peerladder.interchange.parsers import CSV_COLUMNS
from peerladder.web.edit_forms import CaseFieldsForm
from tests.factories import make_case


def test_every_stored_field_is_a_model_field_with_the_records_limit_and_choices():
    for field in CASE_FIELDS:
        if field.name not in STORED_CASE_FIELDS:
            continue
        column = Case._meta.get_field(field.name)
        if field.max_length is not None and field.kind not in ("markdown", "tags"):
            assert column.max_length == field.max_length, field.name
        if field.vocabulary is not None:
            assert list(column.choices) == field.vocabulary.choices, field.name
            assert column.default == field.vocabulary.default, field.name


def test_source_columns_hold_what_the_record_allows():
    assert Source._meta.get_field("url").max_length == LIMITS.source_url
    assert Source._meta.get_field("title").max_length == LIMITS.source_title
    assert Source._meta.get_field("publisher").max_length == LIMITS.source_publisher


def test_bulk_writes_every_column_of_the_case_table():
    columns = {field.name for field in Case._meta.concrete_fields}
    assert set(CASE_COLUMNS) == columns
    assert len(CASE_COLUMNS) == len(columns)


def test_the_formats_and_forms_list_the_records_fields():
    # Translations take a column per language and field (name_es, ...) instead of one.
    assert CSV_COLUMNS[: len(RECORD_KEYS) - 1] == tuple(
        k for k in RECORD_KEYS if k != "translations"
    )
    assert [f["name"] for f in PACKAGE_CASE_FIELDS[: len(CASE_FIELD_NAMES)]] == list(
        CASE_FIELD_NAMES
    )
    form = CaseFieldsForm()
    assert {name for name in form.fields if name in CASE_FIELD_NAMES} == set(EDITABLE_CASE_FIELDS)
    assert form.fields["name"].max_length == LIMITS.name
    assert form.fields["summary"].max_length == LIMITS.summary


def test_the_api_takes_the_records_fields():
    assert list(CasePatchIn.model_fields) == [*EDITABLE_CASE_FIELDS, "translations", "comment"]
    assert set(CaseIn.model_fields) == set(RECORD_KEYS) - {"relations"} | {"comment"}


def test_a_record_has_the_documented_keys_in_order():
    record = case_record({}, countries=[], sources=[], placements=[], relations=[])
    assert tuple(record) == RECORD_KEYS
    assert record["website"] is None and record["tags"] == [] and record["sector"] == "other"


@pytest.mark.django_db
def test_the_two_readers_build_the_same_record():
    make_case(slug="alpha", tags=["one"])
    from_models = case_record_of(case_full_queryset().get(slug="alpha"))
    (row,) = next(case_row_batches(Case.objects.all()))
    assert tuple(from_models) == RECORD_KEYS
    assert row.record == from_models


def test_placement_identity_ignores_key_order_and_source_order():
    one = {
        "author": "a",
        "answers": {"directed_by": "peers", "value": "use"},
        "valid_from": "2001",
        "valid_to": None,
        "rationale": "R.",
        "sources": ["https://b.example/", "https://a.example/"],
    }
    other = {
        **one,
        "answers": {"value": "use", "directed_by": "peers"},
        "sources": ["https://a.example/", "https://b.example/"],
    }
    assert placement_identity(one) == placement_identity(other)
    assert placement_identity(one) != placement_identity({**one, "sources": ["https://a.example/"]})
