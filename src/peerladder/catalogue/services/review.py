"""The review queue's entry: a new account's edits are held for a moderator instead of
being applied (``@reviewed``). Approving and rejecting them are moderators' writes
(:mod:`.moderation`)."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from peerladder.accounts.models import User
from peerladder.catalogue.models import Case, PendingEdit, Placement, Relation, Revision, Source
from peerladder.errors import NotAllowed, refusal

Result = TypeVar("Result")


class HeldForReview(NotAllowed):
    """A new account's edit was stored for a moderator's review instead of being applied.

    A ``NotAllowed``, so that every caller that does not know of the review queue still
    answers cleanly instead of pretending the change is live.
    """

    def __init__(self, edit: PendingEdit) -> None:
        self.edit = edit
        super().__init__(refusal("edit.held"))


def needs_review(author: User) -> bool:
    """Whether ``author``'s edits wait for a moderator (a new account's first edits)."""
    return author.review_edits_left > 0 and not author.is_moderator


class _Preview(Exception):
    """Carries the would-be snapshot out of a savepoint that is then rolled back."""

    def __init__(self, revision: Revision) -> None:
        self.revision = revision


def case_of(result: object) -> Case:
    """The case a service's result belongs to."""
    if isinstance(result, Case):
        return result
    if isinstance(result, Relation):
        return result.subject
    assert isinstance(result, Placement | Source)
    return result.case


def _call_arguments(kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """The call as JSON, to replay on approval (the case and author are stored apart)."""
    arguments = {
        key: value.pk if isinstance(value, Placement) else value
        for key, value in kwargs.items()
        if key not in ("author", "case", "base_revision")
    }
    replayable: dict[str, Any] = json.loads(json.dumps(arguments, cls=DjangoJSONEncoder))
    return replayable


class Reviewed(Generic[Result]):
    """A service whose new-account calls are held for review (see :func:`reviewed`);
    ``without_review`` runs it directly, as applying an approved edit does."""

    def __init__(self, service: Callable[..., Result], action: str) -> None:
        self.without_review = service
        self.action = action
        functools.update_wrapper(self, service)

    def __call__(self, **kwargs: Any) -> Result:
        author: User = kwargs["author"]
        if not needs_review(author):
            return self.without_review(**kwargs)
        try:
            with transaction.atomic():
                case = case_of(self.without_review(**kwargs))
                raise _Preview(Revision.objects.filter(case_id=case.pk).latest("number"))
        except _Preview as preview:
            revision = preview.revision
        target = kwargs.get("case") or (kwargs["placement"].case if "placement" in kwargs else None)
        edit = PendingEdit.objects.create(
            case=target,
            slug=revision.snapshot["slug"],
            author=author,
            action=self.action,
            summary=revision.summary,
            arguments=_call_arguments(kwargs),
            base_revision=revision.number - 1 if target is not None else None,
            preview=revision.snapshot,
        )
        raise HeldForReview(edit)


def reviewed(action: str) -> Callable[[Callable[..., Result]], Reviewed[Result]]:
    """Hold the service's change for review when its author is a new account.

    The change is made in a savepoint (so it is checked exactly as a live edit would
    be), its snapshot kept as a preview, and the savepoint rolled back; the call is
    stored as a ``PendingEdit`` and ``HeldForReview`` raised. ``without_review`` on the
    returned function runs the service directly (used to apply an approved edit).
    """

    def decorate(service: Callable[..., Result]) -> Reviewed[Result]:
        return Reviewed(service, action)

    return decorate
