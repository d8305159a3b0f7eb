"""Every write path of the catalogue: what it stores, what it refuses, and its revision."""

from __future__ import annotations

import pytest

from peerladder.catalogue import services
from peerladder.catalogue.models import Case, Placement, Relation, Revision, Source
from peerladder.errors import EditConflict, InvalidInput, NotAllowed
from tests.factories import IKEA_ANSWERS, LINUX_ANSWERS, WIKIPEDIA_ANSWERS, UserFactory, make_case

pytestmark = pytest.mark.django_db


def fields_of(errors: InvalidInput) -> set[str | None]:
    return {error.field for error in errors.errors}


def test_case_create_stores_the_case_its_standing_and_revision_one():
    case = make_case(slug="wikipedia", countries=["us"], wikidata="Q52", founded=2001)
    case.refresh_from_db()
    assert case.standing_rung == 6
    assert case.standing_economy == "commons"
    assert case.agreement == 1.0
    assert case.contested is False
    assert case.placement_count == 1
    assert [row.code for row in case.country_rows.all()] == ["US"]
    revision = Revision.objects.get(case=case)
    assert revision.number == case.revision_number == 1
    assert revision.action == "create"
    assert revision.snapshot["slug"] == "wikipedia"
    assert revision.snapshot["placements"][0]["answers"] == WIKIPEDIA_ANSWERS


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"slug": "Bad Slug"}, "slug"),
        ({"website": "ftp://example.org"}, "website"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"countries": ["XX"]}, "countries"),
        ({"wikidata": "52"}, "wikidata"),
        ({"sector": "space"}, "sector"),
        ({"founded": 2010, "ended": 2001}, "ended"),
        ({"name": ""}, "name"),
    ],
)
def test_case_create_refuses_bad_fields_naming_them_and_writes_nothing(fields, field):
    author = UserFactory()
    base = {
        "slug": "ok",
        "name": "Ok",
        "summary": "Fine.",
        "sector": "media",
        "org_form": "company",
    }
    with pytest.raises(InvalidInput) as caught:
        services.case_create(author=author, fields={**base, **fields})
    assert field in fields_of(caught.value)
    assert not Case.objects.exists()
    assert not Revision.objects.exists()


def test_case_create_reports_all_errors_together():
    with pytest.raises(InvalidInput) as caught:
        services.case_create(
            author=UserFactory(),
            fields={"slug": "x", "name": "", "summary": "", "countries": ["ZZ"], "sector": "nope"},
        )
    assert {"name", "summary", "countries", "sector"} <= fields_of(caught.value)


def test_duplicate_wikidata_id_is_refused():
    make_case(slug="one", wikidata="Q52")
    with pytest.raises(InvalidInput) as caught:
        make_case(slug="two", wikidata="Q52")
    assert "wikidata" in fields_of(caught.value)
    assert Case.objects.count() == 1


def test_invalid_answers_are_refused_with_the_answer_field_named_and_nothing_half_saved():
    with pytest.raises(InvalidInput) as caught:
        make_case(slug="bad", answers={"directed_by": "peers", "value": "use"})
    assert "placements[0].answers.producers" in fields_of(caught.value)
    assert not Case.objects.exists()
    assert not Source.objects.exists()


def test_placement_add_with_disagreement_makes_the_case_contested():
    case = make_case(slug="contested", answers=WIKIPEDIA_ANSWERS)
    other = UserFactory()
    services.placement_add(
        case=case,
        author=other,
        answers=LINUX_ANSWERS,
        valid_from="2001",
        rationale="Firms sell services around it.",
        sources=["https://example.org/contested"],
    )
    case.refresh_from_db()
    assert case.contested is True
    assert case.standing_rung is None  # a tie is shown, never silently resolved
    assert case.agreement == 0.5
    assert case.revision_number == 2


def test_placement_for_a_later_period_moves_the_standing_rung():
    case = make_case(slug="mover", answers=WIKIPEDIA_ANSWERS, valid_from="2004")
    services.placement_add(
        case=case,
        author=UserFactory(),
        answers=IKEA_ANSWERS,
        valid_from="2011",
        rationale="Became a firm.",
        sources=[{"url": "https://example.org/news", "title": "News"}],
    )
    case.refresh_from_db()
    assert case.standing_rung == 3
    assert case.sources.count() == 2


def test_placement_add_refuses_valid_to_before_valid_from():
    case = make_case(slug="period")
    with pytest.raises(InvalidInput) as caught:
        services.placement_add(
            case=case,
            author=case.placements.get().author,
            answers=IKEA_ANSWERS,
            valid_from="2010",
            valid_to="2005",
            rationale="r",
            sources=["https://example.org/period"],
        )
    assert "valid_to" in fields_of(caught.value)
    assert Placement.objects.count() == 1


def test_placement_add_needs_a_source_of_the_case():
    case = make_case(slug="nosource")
    with pytest.raises(InvalidInput) as caught:
        services.placement_add(
            case=case,
            author=UserFactory(),
            answers=IKEA_ANSWERS,
            valid_from="2010",
            rationale="r",
            sources=["https://elsewhere.example/not-cited"],
        )
    assert "sources[0]" in fields_of(caught.value)
    with pytest.raises(InvalidInput):
        services.placement_add(
            case=case,
            author=UserFactory(),
            answers=IKEA_ANSWERS,
            valid_from="2010",
            rationale="r",
            sources=[],
        )


def test_placement_retract_by_its_author_updates_standing_and_keeps_history():
    case = make_case(slug="retract")
    author = UserFactory()
    placement = services.placement_add(
        case=case,
        author=author,
        answers=IKEA_ANSWERS,
        valid_from="2015",
        rationale="r",
        sources=["https://example.org/retract"],
    )
    services.placement_retract(placement=placement, author=author)
    case.refresh_from_db()
    assert case.standing_rung == 6
    placement.refresh_from_db()
    assert placement.retracted_at is not None
    assert case.revisions.count() == 3


def test_placement_retract_by_someone_else_is_not_allowed():
    case = make_case(slug="notmine")
    with pytest.raises(NotAllowed):
        services.placement_retract(placement=case.placements.get(), author=UserFactory())


def test_case_update_on_stale_revision_is_refused():
    case = make_case(slug="stale")
    author = UserFactory()
    services.case_update(case=case, author=author, changes={"name": "First"}, base_revision=1)
    with pytest.raises(EditConflict) as caught:
        services.case_update(case=case, author=author, changes={"name": "Second"}, base_revision=1)
    assert caught.value.current == 2
    case.refresh_from_db()
    assert case.name == "First"


def test_case_update_changes_fields_and_writes_a_revision():
    case = make_case(slug="edit")
    services.case_update(
        case=case,
        author=UserFactory(),
        changes={"countries": ["DE", "FR"], "founded": 1999},
        base_revision=1,
    )
    case.refresh_from_db()
    assert [row.code for row in case.country_rows.all()] == ["DE", "FR"]
    latest = case.revisions.order_by("-number").first()
    assert latest.snapshot["countries"] == ["DE", "FR"]
    assert latest.parent.number == 1


def test_locked_case_is_edited_by_moderators_only():
    case = make_case(slug="locked")
    Case.objects.filter(pk=case.pk).update(locked=True)
    with pytest.raises(NotAllowed):
        services.case_update(
            case=case, author=UserFactory(), changes={"name": "X"}, base_revision=None
        )
    moderator = UserFactory(role="moderator")
    services.case_update(case=case, author=moderator, changes={"name": "X"}, base_revision=None)


def test_source_add_refuses_non_http_urls_and_duplicates():
    case = make_case(slug="sources")
    author = UserFactory()
    with pytest.raises(InvalidInput) as caught:
        services.source_add(
            case=case, author=author, source={"url": "file:///etc/passwd", "title": "t"}
        )
    assert "url" in fields_of(caught.value)
    with pytest.raises(InvalidInput):
        services.source_add(
            case=case, author=author, source={"url": "https://example.org/sources", "title": "t"}
        )
    services.source_add(
        case=case, author=author, source={"url": "https://example.org/b", "title": "B"}
    )
    assert case.sources.count() == 2


def test_relation_add_links_cases_and_refuses_unknown_targets():
    linux = make_case(slug="linux", answers=LINUX_ANSWERS)
    make_case(slug="linux-foundation")
    author = UserFactory()
    services.relation_add(
        case=linux, author=author, relation={"type": "governed_by", "target": "linux-foundation"}
    )
    assert Relation.objects.get().target.slug == "linux-foundation"
    with pytest.raises(InvalidInput) as caught:
        services.relation_add(
            case=linux, author=author, relation={"type": "governed_by", "target": "nowhere"}
        )
    assert "target" in fields_of(caught.value)
    with pytest.raises(InvalidInput) as caught:
        services.relation_add(
            case=linux, author=author, relation={"type": "owns", "target": "linux-foundation"}
        )
    assert "type" in fields_of(caught.value)


def test_blocked_account_cannot_write():
    case = make_case(slug="blocked")
    from django.utils import timezone

    blocked = UserFactory(blocked_at=timezone.now())
    with pytest.raises(NotAllowed):
        services.case_update(case=case, author=blocked, changes={"name": "X"}, base_revision=None)
