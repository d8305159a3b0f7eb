"""Moderators' writes: locking and archiving cases, blocking accounts, rolling back an
account's edits, and deciding the review queue of new accounts' edits. Each runs in
one transaction with its audit row (``ModerationAction``); a change to a case also
writes its revision.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from peerladder.accounts.models import User
from peerladder.catalogue import revision_summaries as summaries
from peerladder.catalogue.models import Case, ModerationAction, PendingEdit, Placement, Revision
from peerladder.catalogue.services.cases import case_create, case_update, relation_add, source_add
from peerladder.catalogue.services.placements import placement_add, placement_retract
from peerladder.catalogue.services.restore import case_revert
from peerladder.catalogue.services.review import Reviewed, case_of
from peerladder.catalogue.services.translations import translation_set
from peerladder.catalogue.services.writing import check_moderator, lock_case, record_revision
from peerladder.errors import InvalidInput, NotAllowed, refusal
from peerladder.ladder import FieldError

# The services a pending edit can replay, by the action name it was stored under.
REPLAYED: dict[str, Reviewed[Any]] = {
    "case_create": case_create,
    "case_update": case_update,
    "case_revert": case_revert,
    "placement_add": placement_add,
    "placement_retract": placement_retract,
    "source_add": source_add,
    "relation_add": relation_add,
    "translation_set": translation_set,
}


@transaction.atomic
def case_lock(*, case: Case, moderator: User, locked: bool, note: str = "") -> Case:
    """Lock a case so that only moderators edit it, or unlock it."""
    check_moderator(moderator)
    case = lock_case(case, base_revision=None)
    if case.locked != locked:
        case.locked = locked
        record_revision(
            case,
            author=moderator,
            action="lock" if locked else "unlock",
            summary=note or (summaries.LOCKED if locked else summaries.UNLOCKED).text(),
        )
        ModerationAction.objects.create(
            moderator=moderator, action="lock" if locked else "unlock", case=case, note=note[:300]
        )
    return case


@transaction.atomic
def case_archive(*, case: Case, moderator: User, archived: bool, note: str = "") -> Case:
    """Delete a case by archiving it (it stays in the database and its history), or restore it."""
    check_moderator(moderator)
    case = lock_case(case, base_revision=None)
    if case.archived != archived:
        case.archived = archived
        action = "archive" if archived else "restore"
        record_revision(
            case,
            author=moderator,
            action=action,
            summary=note or (summaries.ARCHIVED if archived else summaries.RESTORED).text(),
        )
        ModerationAction.objects.create(
            moderator=moderator, action=action, case=case, note=note[:300]
        )
    return case


@transaction.atomic
def account_block(*, account: User, moderator: User, blocked: bool, note: str = "") -> User:
    """Block an account from every write (or unblock it). Moderators cannot block admins."""
    check_moderator(moderator)
    if account.pk == moderator.pk:
        raise NotAllowed(refusal("not-allowed.block-self"))
    if blocked and account.is_superuser and not moderator.is_superuser:
        raise NotAllowed(refusal("not-allowed.block-admin"))
    account = User.objects.select_for_update().get(pk=account.pk)
    if (account.blocked_at is not None) != blocked:
        account.blocked_at = timezone.now() if blocked else None
        account.save(update_fields=["blocked_at"])
        ModerationAction.objects.create(
            moderator=moderator,
            action="block" if blocked else "unblock",
            account=account,
            note=note[:300],
        )
    return account


@transaction.atomic
def account_rollback(*, account: User, moderator: User, since: datetime) -> list[Case]:
    """Undo every edit ``account`` made since ``since``.

    Each affected case is reverted to its last revision by someone else before the
    account's first edit in that window (a new revision; history keeps everything); a
    case the account created in the window is archived. Pending edits are rejected.
    """
    check_moderator(moderator)
    first_numbers: dict[int, int] = {}
    for case_id, number in (
        Revision.objects.filter(author=account, created_at__gte=since)
        .order_by("case_id", "number")
        .values_list("case_id", "number")
    ):
        first_numbers.setdefault(case_id, number)
    affected: list[Case] = []
    for case_id, first in sorted(first_numbers.items()):
        case = Case.objects.get(pk=case_id)
        target = (
            Revision.objects.filter(case_id=case_id, number__lt=first)
            .exclude(author=account)
            .order_by("-number")
            .first()
        )
        if target is None:
            case_archive(
                case=case,
                moderator=moderator,
                archived=True,
                note=summaries.ROLLED_BACK.text(account=account),
            )
        else:
            case_revert.without_review(
                case=case,
                author=moderator,
                revision=target.number,
                summary=summaries.ROLLED_BACK_SINCE.text(
                    account=account, since=f"{since:%Y-%m-%d %H:%M}"
                ),
            )
        affected.append(case)
    for edit in PendingEdit.objects.filter(
        author=account, state=PendingEdit.State.PENDING, created_at__gte=since
    ):
        _close(edit, moderator=moderator, state=PendingEdit.State.REJECTED)
    ModerationAction.objects.create(
        moderator=moderator,
        action="rollback",
        account=account,
        note=f"since {since.isoformat()}: {len(affected)} case(s)",
    )
    return affected


def _close(
    edit: PendingEdit, *, moderator: User, state: str, revision: Revision | None = None
) -> None:
    edit.state = state
    edit.reviewed_by = moderator
    edit.reviewed_at = timezone.now()
    edit.revision = revision
    edit.save(update_fields=["state", "reviewed_by", "reviewed_at", "revision"])


@transaction.atomic
def pending_approve(*, edit: PendingEdit, moderator: User) -> Revision:
    """Apply a held edit as its author's, then count it towards the author's trust."""
    check_moderator(moderator)
    edit = PendingEdit.objects.select_for_update().get(pk=edit.pk)
    if edit.state != PendingEdit.State.PENDING:
        raise InvalidInput(
            [FieldError.keyed("edit", edit.pk, None, refusal("edit.closed", state=edit.state))]
        )
    arguments: dict[str, Any] = dict(edit.arguments)
    if edit.action == "placement_retract":
        arguments["placement"] = Placement.objects.get(pk=arguments["placement"])
    elif edit.action != "case_create":
        if edit.case is None:
            raise InvalidInput([FieldError.keyed("edit", edit.pk, None, refusal("edit.case-gone"))])
        # Replayed onto the case as it is now: the moderator has seen the preview.
        arguments["case"] = edit.case
        arguments["base_revision"] = None
    result = REPLAYED[edit.action].without_review(author=edit.author, **arguments)
    case = case_of(result)
    revision = Revision.objects.filter(case_id=case.pk).latest("number")
    _close(edit, moderator=moderator, state=PendingEdit.State.APPROVED, revision=revision)
    author = User.objects.select_for_update().get(pk=edit.author_id)
    if author.review_edits_left > 0:
        author.review_edits_left -= 1
        author.save(update_fields=["review_edits_left"])
    ModerationAction.objects.create(
        moderator=moderator, action="approve", case=case, account=author, note=edit.summary
    )
    return revision


@transaction.atomic
def pending_reject(*, edit: PendingEdit, moderator: User, note: str = "") -> PendingEdit:
    """Refuse a held edit: it is never applied, and stays listed as rejected."""
    check_moderator(moderator)
    edit = PendingEdit.objects.select_for_update().get(pk=edit.pk)
    if edit.state != PendingEdit.State.PENDING:
        raise InvalidInput(
            [FieldError.keyed("edit", edit.pk, None, refusal("edit.closed", state=edit.state))]
        )
    _close(edit, moderator=moderator, state=PendingEdit.State.REJECTED)
    ModerationAction.objects.create(
        moderator=moderator,
        action="reject",
        case=edit.case,
        account=edit.author,
        note=note[:300] or edit.summary,
    )
    return edit
