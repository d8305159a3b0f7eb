"""Field-level diffs between revisions, and reverting to any revision."""

from __future__ import annotations

import pytest

from peerladder.catalogue import services
from peerladder.catalogue.history import diff_records
from peerladder.catalogue.models import Placement, Revision
from peerladder.catalogue.records import case_record_of
from peerladder.catalogue.selectors import case_full_queryset
from peerladder.errors import EditConflict, InvalidInput
from tests.factories import IKEA_ANSWERS, UserFactory, make_case


def _record(**overrides):
    record = {
        "slug": "x",
        "name": "X",
        "summary": "A case.",
        "description": "",
        "website": None,
        "wikidata": None,
        "countries": ["DE"],
        "sector": "other",
        "org_form": "other",
        "founded": 2001,
        "ended": None,
        "tags": [],
        "sources": [{"url": "https://a.example/", "title": "A", "publisher": ""}],
        "placements": [],
        "relations": [],
    }
    record.update(overrides)
    return record


def test_diff_names_each_changed_field_with_both_values():
    changes = diff_records(_record(), _record(name="Y", countries=["DE", "FR"]))
    assert {(c.key, c.before, c.after) for c in changes} == {
        ("name", "X", "Y"),
        ("countries", "DE", "DE, FR"),
    }
    assert all(c.kind == "changed" for c in changes)


def test_diff_of_lists_says_what_was_added_and_removed():
    placement = {
        "answers": {"directed_by": "firm"},
        "valid_from": "2001",
        "valid_to": None,
        "rationale": "Because.",
        "sources": ["https://a.example/"],
        "author": "ann",
    }
    before = _record(relations=[{"type": "fork_of", "target": "y"}])
    after = _record(
        sources=[
            {"url": "https://a.example/", "title": "A renamed", "publisher": ""},
            {"url": "https://b.example/", "title": "B", "publisher": ""},
        ],
        placements=[placement],
    )
    changes = {(c.section, c.kind) for c in diff_records(before, after)}
    assert changes == {
        ("sources", "changed"),
        ("sources", "added"),
        ("placements", "added"),
        ("relations", "removed"),
    }


def test_diff_from_nothing_lists_every_field_as_added():
    changes = diff_records(None, _record())
    assert {c.key for c in changes if c.section == "fields"} >= {"slug", "name", "summary"}
    assert all(c.before is None for c in changes)


def test_identical_records_have_no_differences():
    assert diff_records(_record(), _record()) == []


@pytest.mark.django_db
def test_revert_restores_fields_sources_and_placements_as_a_new_revision():
    author = UserFactory()
    case = make_case(author=author, slug="commons", founded=2001)
    original = Revision.objects.get(case=case, number=1).snapshot
    old = case.placements.get()
    first_rung = case.standing_rung
    services.case_update(
        case=case, author=author, changes={"name": "Renamed", "founded": 1999}, base_revision=1
    )
    services.source_add(
        case=case, author=author, source={"url": "https://b.example/", "title": "B"}
    )
    services.placement_add(
        case=case,
        author=UserFactory(),
        answers=IKEA_ANSWERS,
        valid_from="2005",
        rationale="Firm-run.",
        sources=["https://b.example/"],
    )
    services.placement_retract(placement=old, author=author)

    services.case_revert(case=case, author=author, revision=1, base_revision=5)

    fresh = case_full_queryset().get(pk=case.pk)
    assert fresh.revision_number == 6
    assert case_record_of(fresh) == original
    latest = Revision.objects.get(case=case, number=6)
    assert latest.action == "revert" and latest.parent.number == 5
    assert diff_records(original, latest.snapshot) == []
    # The retracted placement came back (the same row), the later one was retracted.
    old.refresh_from_db()
    assert old.retracted_at is None
    assert Placement.objects.filter(case=case, retracted_at__isnull=False).count() == 1
    assert fresh.standing_rung == first_rung


@pytest.mark.django_db
def test_revert_on_a_stale_revision_is_refused():
    author = UserFactory()
    case = make_case(author=author)
    services.case_update(case=case, author=author, changes={"name": "B"}, base_revision=1)
    with pytest.raises(EditConflict):
        services.case_revert(case=case, author=author, revision=1, base_revision=1)


@pytest.mark.django_db
def test_revert_to_an_unknown_revision_is_refused():
    author = UserFactory()
    case = make_case(author=author)
    with pytest.raises(InvalidInput) as raised:
        services.case_revert(case=case, author=author, revision=9)
    assert raised.value.errors[0].field == "revision"
