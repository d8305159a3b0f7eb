"""What every write of the API does: find the live case, read the precondition it
starts from (``If-Match``), and answer with the revision the write created."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from ninja import Status

from peerladder.api.language import refusal_text
from peerladder.api.requests import ANY, if_match_revisions
from peerladder.catalogue import selectors, services
from peerladder.catalogue.models import Case
from peerladder.catalogue.presenters import case_detail, etag_for
from peerladder.catalogue.services import HeldForReview
from peerladder.errors import refusal


def live_case(slug: str) -> Case | None:
    """The live case with ``slug``, or None (the handler answers 404)."""
    return Case.objects.filter(slug=slug, archived=False).first()


def written(response: HttpResponse, write: Callable[[], object]) -> dict[str, Any]:
    """Run ``write`` (a service call) and read back the case it changed inside the same
    transaction, so the body and the ``ETag`` are those of the revision this write
    created, never a later writer's. A held edit (``HeldForReview``) still commits its
    pending edit before it is raised for the 202."""
    held: HeldForReview | None = None
    with transaction.atomic():
        try:
            case = services.case_of(write())
        except HeldForReview as exc:
            held = exc
        else:
            fresh = selectors.case_get(slug=case.slug)
            assert fresh is not None
            response["ETag"] = etag_for(fresh)
            body = case_detail(fresh, relations_in=selectors.case_relations_in(fresh))
    if held is not None:
        raise held
    return body


def base_revision(request: HttpRequest, case: Case, *, required: bool) -> int | Status | None:
    """The revision an edit starts from, by ``If-Match`` (strong comparison; ``*`` is any
    current revision): the number, None for no check, or the 412/428 to answer."""
    header = request.headers.get("If-Match")
    if not header:
        if required:
            text = refusal("request.if-match-missing")
            return Status(428, {"detail": refusal_text(request, text)})
        return None
    wanted = if_match_revisions(header)
    if wanted == ANY:
        return None
    if not wanted:
        text = refusal("request.if-match-unknown", header=repr(header))
        return Status(412, {"detail": refusal_text(request, text)})
    return case.revision_number if case.revision_number in wanted else min(wanted)
