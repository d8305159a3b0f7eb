"""History pages: a case's revisions, the diff between any two, revert, recent changes
(a page and an Atom feed), and the moderators' pages (review queue, lock, archive)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peerladder.catalogue import selectors, services
from peerladder.catalogue.history import Change, diff_records
from peerladder.catalogue.models import Case, PendingEdit, Revision
from peerladder.catalogue.revision_summaries import action_shown, summary_shown
from peerladder.errors import EditConflict, InvalidInput
from peerladder.lexicon import lookup
from peerladder.web.error_pages import error_page
from peerladder.web.writes import moderator, refused, writer

SECTIONS = (
    ("fields", gettext_lazy("Fields")),
    ("translations", gettext_lazy("Translations")),
    ("sources", gettext_lazy("Sources")),
    ("placements", gettext_lazy("Placements")),
    ("relations", gettext_lazy("Relations")),
)


def _case_for(request: HttpRequest, slug: str) -> Case:
    """A live case; an archived one too for moderators (to see and restore it)."""
    moderates = request.user.is_authenticated and request.user.is_moderator
    case = Case.objects.filter(slug=slug).first()
    if case is None or (case.archived and not moderates):
        raise Http404(_("No case has the slug %(slug)s.") % {"slug": repr(slug)})
    return case


def _grouped(changes: list[Change]) -> list[dict[str, Any]]:
    return [
        {"name": label, "changes": [c for c in changes if c.section == section]}
        for section, label in SECTIONS
        if any(c.section == section for c in changes)
    ]


def case_history(request: HttpRequest, slug: str) -> HttpResponse:
    case = _case_for(request, slug)
    revisions = list(selectors.case_revisions(case))
    viewer = request.user if request.user.is_authenticated else None
    context = {
        "case": case,
        "revisions": revisions,
        "pending": selectors.pending_edits_for(viewer=viewer, case=case),  # type: ignore[arg-type]
        "your_rating": selectors.rating_of(case, viewer),  # type: ignore[arg-type]
        "views": selectors.view_count(case),
        "stars": range(1, 6),
    }
    return render(request, "web/history/history.html", context)


def _number(raw: str | None) -> int | None:
    return int(raw) if raw is not None and raw.isdigit() else None


def case_diff(request: HttpRequest, slug: str) -> HttpResponse:
    """Field by field, what changed between revision ``from`` and revision ``to``
    (``from=0`` is the empty case before its first revision). Without them, the
    latest revision's changes."""
    case = _case_for(request, slug)
    raw_first, raw_second = request.GET.get("from"), request.GET.get("to")
    if raw_first is None and raw_second is None:
        raw_first, raw_second = str(case.revision_number - 1), str(case.revision_number)
    first, second = _number(raw_first), _number(raw_second)
    if first is None or second is None:
        return error_page(
            request,
            400,
            message=_("Give two revision numbers: ?from=N&to=M (0 is before the first)."),
        )
    before, after = selectors.revision_pair(case, first, second)
    if after is None or (before is None and first != 0):
        missing = second if after is None else first
        return error_page(
            request,
            404,
            message=_("%(name)s has no revision %(number)s.")
            % {"name": case.name, "number": missing},
        )
    changes = diff_records(before.snapshot if before else None, after.snapshot, lookup())
    context = {
        "case": case,
        "before": before,
        "after": after,
        "first": first,
        "second": second,
        "sections": _grouped(changes),
    }
    return render(request, "web/history/diff.html", context)


@require_POST
@writer
def case_revert(request: HttpRequest, slug: str) -> HttpResponse:
    """Restore a revision as a new revision; refused when the case moved on meanwhile."""
    case = get_object_or_404(Case, slug=slug, archived=False)
    revision, base = _number(request.POST.get("revision")), _number(request.POST.get("base"))
    if revision is None:
        return refused(request, _("Say which revision to restore."), status=400)
    try:
        services.case_revert(case=case, author=request.user, revision=revision, base_revision=base)
    except EditConflict as conflict:
        messages.error(
            request,
            _(
                "The case changed since you looked (now revision %(number)s); "
                "check the history and revert again if you still want to."
            )
            % {"number": conflict.current},
        )
        return redirect("web:case-history", slug=slug)
    except InvalidInput as exc:
        return refused(request, str(exc), status=400)
    messages.success(
        request, _("Restored revision %(number)s as a new revision.") % {"number": revision}
    )
    return redirect("web:case-history", slug=slug)


def recent_changes(request: HttpRequest) -> HttpResponse:
    return render(
        request, "web/history/changes.html", {"revisions": selectors.recent_revisions(limit=100)}
    )


def recent_changes_feed(request: HttpRequest) -> HttpResponse:
    """The recent changes as an Atom feed."""
    feed = Atom1Feed(
        title=_("peerladder: recent changes"),
        link=request.build_absolute_uri(reverse("web:changes")),
        description=_("The newest revisions of the catalogue's cases."),
        feed_url=request.build_absolute_uri(reverse("web:changes-feed")),
        language=get_language(),
    )
    for revision in selectors.recent_revisions(limit=50):
        diff_url = reverse("web:case-diff", args=[revision.case.slug])
        what = summary_shown(revision.summary) if revision.summary else None
        feed.add_item(
            title=f"{revision.case.name}: {what or action_shown(revision.action)}",
            link=request.build_absolute_uri(
                f"{diff_url}?from={revision.number - 1}&to={revision.number}"
            ),
            description=_("Revision %(number)s (%(action)s)")
            % {"number": revision.number, "action": action_shown(revision.action)},
            author_name=revision.author.username if revision.author else "peerladder",
            pubdate=revision.created_at,
            updateddate=revision.created_at,
            unique_id=request.build_absolute_uri(f"{diff_url}?to={revision.number}"),
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response


def _preview_changes(edit: PendingEdit) -> list[dict[str, Any]]:
    base: Mapping[str, Any] | None = None
    if edit.case_id is not None and edit.base_revision:
        revision = Revision.objects.filter(case_id=edit.case_id, number=edit.base_revision).first()
        base = revision.snapshot if revision else None
    return _grouped(diff_records(base, edit.preview, lookup()))


@moderator
def review_queue(request: HttpRequest) -> HttpResponse:
    edits = selectors.pending_edits_for(viewer=request.user)  # type: ignore[arg-type]
    rows = [{"edit": edit, "sections": _preview_changes(edit)} for edit in edits[:50]]
    return render(request, "web/history/review.html", {"rows": rows})


@require_POST
@moderator
def review_decide(request: HttpRequest, edit_id: int, decision: str) -> HttpResponse:
    edit = get_object_or_404(PendingEdit, pk=edit_id)
    try:
        if decision == "approve":
            services.pending_approve(edit=edit, moderator=request.user)  # type: ignore[arg-type]
            messages.success(request, _("Approved: %(summary)s.") % {"summary": edit.summary})
        else:
            services.pending_reject(
                edit=edit,
                moderator=request.user,  # type: ignore[arg-type]
                note=request.POST.get("note", ""),
            )
            messages.success(request, _("Rejected: %(summary)s.") % {"summary": edit.summary})
    except (InvalidInput, EditConflict) as exc:
        messages.error(request, _("Could not apply it: %(reason)s") % {"reason": exc})
    return redirect("web:review-queue")


@require_POST
@moderator
def case_lock(request: HttpRequest, slug: str) -> HttpResponse:
    case = get_object_or_404(Case, slug=slug)
    locked = request.POST.get("locked") == "1"
    services.case_lock(case=case, moderator=request.user, locked=locked)  # type: ignore[arg-type]
    messages.success(request, _("Locked the case.") if locked else _("Unlocked the case."))
    return redirect("web:case-history", slug=slug)


@require_POST
@moderator
def case_archive(request: HttpRequest, slug: str) -> HttpResponse:
    case = get_object_or_404(Case, slug=slug)
    archived = request.POST.get("archived") == "1"
    services.case_archive(
        case=case,
        moderator=request.user,  # type: ignore[arg-type]
        archived=archived,
        note=request.POST.get("note", ""),
    )
    messages.success(request, _("Archived the case.") if archived else _("Restored the case."))
    return redirect("web:case-history", slug=slug)


urlpatterns: list[URLPattern] = [
    path("cases/<slug:slug>/history", case_history, name="case-history"),
    path("cases/<slug:slug>/diff", case_diff, name="case-diff"),
    path("cases/<slug:slug>/revert", case_revert, name="case-revert"),
    path("cases/<slug:slug>/lock", case_lock, name="case-lock"),
    path("cases/<slug:slug>/archive", case_archive, name="case-archive"),
    path("changes", recent_changes, name="changes"),
    path("changes.atom", recent_changes_feed, name="changes-feed"),
    path("moderation/review", review_queue, name="review-queue"),
    path(
        "moderation/review/<int:edit_id>/approve",
        review_decide,
        {"decision": "approve"},
        name="review-approve",
    ),
    path(
        "moderation/review/<int:edit_id>/reject",
        review_decide,
        {"decision": "reject"},
        name="review-reject",
    ),
]
