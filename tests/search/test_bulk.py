"""Indexing deferred during a bulk import: the new cases are found, the triggers come back."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from peerladder.catalogue import services
from peerladder.catalogue.bulk import cases_bulk_create
from peerladder.catalogue.selectors import CaseFilters
from peerladder.catalogue.validation import check_case
from peerladder.search.bulk import index_deferred, settle_after_bulk_load
from peerladder.search.selectors import search_cases
from peerladder.search.triggers import POSTGRES_TRIGGERS, SQLITE_TRIGGERS
from tests.factories import WIKIPEDIA_ANSWERS, UserFactory
from tests.schema import enabled_triggers

pytestmark = pytest.mark.django_db


def slugs(text: str) -> list[str]:
    return [case.slug for case in search_cases(filters=CaseFilters(query=text))]


def record(slug: str, name: str, source_title: str) -> dict:
    url = f"https://example.org/{slug}"
    return {
        "slug": slug,
        "name": name,
        "summary": "Made in bulk.",
        "sources": [{"url": url, "title": source_title}],
        "placements": [
            {"answers": WIKIPEDIA_ANSWERS, "valid_from": "2001", "rationale": "R.",
             "sources": [url]},
        ],
    }  # fmt: skip


def test_cases_written_with_indexing_deferred_are_found_by_name_and_source_title():
    author = UserFactory()
    errors: list = []
    cases = [
        check_case(record("tangerine", "Tangerine Cooperative", "Annual report"), errors),
        check_case(record("quince", "Quince Commons", "Tangerine audit"), errors),
    ]
    assert errors == []
    with transaction.atomic(), index_deferred() as index:
        index.add(cases_bulk_create(author=author, cases=cases, authors={}))
    assert sorted(slugs("tangerine")) == ["quince", "tangerine"]
    assert slugs("audit") == ["quince"]


def test_the_triggers_are_back_after_the_block():
    triggers = SQLITE_TRIGGERS if connection.vendor == "sqlite" else POSTGRES_TRIGGERS
    with transaction.atomic(), index_deferred():
        assert not set(triggers) <= enabled_triggers()
    assert set(triggers) <= enabled_triggers()
    author = UserFactory()
    services.case_create(
        author=author, fields={"slug": "medlar", "name": "Medlar Guild", "summary": "Later."}
    )
    assert slugs("medlar") == ["medlar"]


def test_an_error_inside_the_block_rolls_back_the_trigger_changes_too():
    triggers = SQLITE_TRIGGERS if connection.vendor == "sqlite" else POSTGRES_TRIGGERS
    with pytest.raises(RuntimeError), transaction.atomic(), index_deferred():
        raise RuntimeError("stop")
    assert set(triggers) <= enabled_triggers()


@pytest.mark.django_db(transaction=True)
def test_deferring_needs_a_transaction():
    with pytest.raises(RuntimeError, match="needs a transaction"), index_deferred():
        pass


def test_settling_after_a_bulk_load_keeps_every_case_findable():
    author = UserFactory()
    errors: list = []
    cases = [
        check_case(record(f"pear-{n}", f"Pear Guild {n}", "Orchard notes"), errors)
        for n in range(3)
    ]
    with transaction.atomic(), index_deferred() as index:
        index.add(cases_bulk_create(author=author, cases=cases, authors={}))
    settle_after_bulk_load()
    assert sorted(slugs("orchard")) == ["pear-0", "pear-1", "pear-2"]
