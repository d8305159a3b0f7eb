"""Moderation: locks, archives, blocks, rollbacks, the review queue, ratings and views."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from peerladder.accounts.models import Role
from peerladder.catalogue import services
from peerladder.catalogue.models import (
    Case,
    CaseViewDay,
    ModerationAction,
    PendingEdit,
    Rating,
    Revision,
)
from peerladder.catalogue.services import HeldForReview
from peerladder.errors import InvalidInput, NotAllowed
from tests.factories import UserFactory, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def mod():
    return UserFactory(username="mod", role=Role.MODERATOR)


def test_a_locked_case_is_edited_by_moderators_only(mod):
    author = UserFactory()
    case = make_case(author=author)
    services.case_lock(case=case, moderator=mod, locked=True)
    case.refresh_from_db()
    assert case.locked and case.revision_number == 2
    with pytest.raises(NotAllowed):
        services.case_update(case=case, author=author, changes={"name": "B"}, base_revision=2)
    services.case_update(case=case, author=mod, changes={"name": "B"}, base_revision=2)
    services.case_lock(case=case, moderator=mod, locked=False)
    services.case_update(case=case, author=author, changes={"name": "C"}, base_revision=4)
    assert ModerationAction.objects.filter(action__in=["lock", "unlock"]).count() == 2


def test_contributors_cannot_moderate():
    author = UserFactory()
    case = make_case(author=author)
    with pytest.raises(NotAllowed):
        services.case_lock(case=case, moderator=author, locked=True)
    with pytest.raises(NotAllowed):
        services.case_archive(case=case, moderator=author, archived=True)
    with pytest.raises(NotAllowed):
        services.account_block(account=UserFactory(), moderator=author, blocked=True)


def test_archiving_is_the_delete_and_can_be_undone(mod):
    case = make_case()
    services.case_archive(case=case, moderator=mod, archived=True)
    assert Case.objects.get(pk=case.pk).archived
    assert Revision.objects.filter(case=case, action="archive").exists()
    services.case_archive(case=case, moderator=mod, archived=False)
    assert not Case.objects.get(pk=case.pk).archived


def test_a_blocked_account_cannot_edit_until_unblocked(mod):
    author = UserFactory()
    case = make_case(author=author)
    services.account_block(account=author, moderator=mod, blocked=True)
    author.refresh_from_db()
    with pytest.raises(NotAllowed):
        services.case_update(case=case, author=author, changes={"name": "B"}, base_revision=1)
    services.account_block(account=author, moderator=mod, blocked=False)
    author.refresh_from_db()
    services.case_update(case=case, author=author, changes={"name": "B"}, base_revision=1)


def test_rollback_reverts_each_case_to_the_last_revision_by_someone_else(mod):
    good, vandal = UserFactory(), UserFactory(username="vandal")
    kept = make_case(author=good, slug="kept", name="Kept")
    services.case_update(case=kept, author=good, changes={"summary": "Good."}, base_revision=1)
    since = timezone.now()
    services.case_update(case=kept, author=vandal, changes={"name": "Spam"}, base_revision=2)
    services.case_update(case=kept, author=vandal, changes={"summary": "Spam"}, base_revision=3)
    spam = make_case(author=vandal, slug="spam")
    untouched = make_case(author=good, slug="untouched")

    affected = services.account_rollback(account=vandal, moderator=mod, since=since)

    assert {case.slug for case in affected} == {"kept", "spam"}
    kept.refresh_from_db()
    assert (kept.name, kept.summary, kept.revision_number) == ("Kept", "Good.", 5)
    assert Case.objects.get(slug="spam").archived
    assert Case.objects.get(pk=untouched.pk).revision_number == 1
    assert ModerationAction.objects.filter(action="rollback", account=vandal).exists()
    assert spam.pk


def _newcomer():
    user = UserFactory(username="newcomer")
    user.review_edits_left = 2
    user.save()
    return user


def test_a_new_accounts_edit_waits_for_review_and_is_applied_on_approval(mod):
    case = make_case(name="Before")
    newcomer = _newcomer()
    with pytest.raises(HeldForReview) as held:
        services.case_update(case=case, author=newcomer, changes={"name": "After"}, base_revision=1)
    edit = held.value.edit
    case.refresh_from_db()
    assert (case.name, case.revision_number) == ("Before", 1)
    assert edit.state == "pending" and edit.preview["name"] == "After"
    assert edit.base_revision == 1

    revision = services.pending_approve(edit=edit, moderator=mod)

    case.refresh_from_db()
    assert case.name == "After"
    assert revision.author == newcomer and revision.number == 2
    newcomer.refresh_from_db()
    assert newcomer.review_edits_left == 1
    edit.refresh_from_db()
    assert (edit.state, edit.reviewed_by, edit.revision) == ("approved", mod, revision)


def test_a_new_accounts_new_case_exists_only_once_approved(mod):
    newcomer = _newcomer()
    with pytest.raises(HeldForReview) as held:
        make_case(author=newcomer, slug="proposed")
    assert not Case.objects.filter(slug="proposed").exists()
    assert held.value.edit.case is None and held.value.edit.slug == "proposed"
    services.pending_approve(edit=held.value.edit, moderator=mod)
    assert Case.objects.get(slug="proposed").revisions.get().author == newcomer


def test_a_rejected_edit_is_never_applied(mod):
    case = make_case(name="Before")
    newcomer = _newcomer()
    with pytest.raises(HeldForReview) as held:
        services.case_update(case=case, author=newcomer, changes={"name": "Spam"}, base_revision=1)
    services.pending_reject(edit=held.value.edit, moderator=mod, note="spam")
    case.refresh_from_db()
    assert case.name == "Before"
    assert PendingEdit.objects.get().state == "rejected"
    newcomer.refresh_from_db()
    assert newcomer.review_edits_left == 2
    with pytest.raises(InvalidInput):
        services.pending_approve(edit=held.value.edit, moderator=mod)


def test_a_held_edit_is_checked_like_a_live_one():
    case = make_case()
    with pytest.raises(InvalidInput):
        services.case_update(
            case=case, author=_newcomer(), changes={"founded": 3000}, base_revision=1
        )
    assert not PendingEdit.objects.exists()


def test_moderators_are_never_held(mod):
    mod.review_edits_left = 3
    mod.save()
    case = make_case(author=mod)
    assert case.revision_number == 1


def test_one_rating_per_account_changeable_with_count_and_average():
    case = make_case()
    first, second = UserFactory(), UserFactory()
    services.rating_set(case=case, user=first, stars=2)
    services.rating_set(case=case, user=second, stars=5)
    services.rating_set(case=case, user=first, stars=4)
    case.refresh_from_db()
    assert Rating.objects.filter(case=case).count() == 2
    assert (case.rating_count, case.rating_average) == (2, 4.5)


@pytest.mark.parametrize("stars", [0, 6, "5", True])
def test_a_rating_outside_one_to_five_is_refused(stars):
    with pytest.raises(InvalidInput):
        services.rating_set(case=make_case(), user=UserFactory(), stars=stars)


def test_views_are_counted_per_case_and_day_without_who():
    case = make_case()
    today = date(2026, 1, 2)
    for _ in range(3):
        services.case_view_record(case=case, day=today)
    services.case_view_record(case=case, day=today + timedelta(days=1))
    rows = list(CaseViewDay.objects.order_by("day").values_list("day", "count"))
    assert rows == [(today, 3), (today + timedelta(days=1), 1)]
    assert {field.name for field in CaseViewDay._meta.fields} == {"id", "case", "day", "count"}
