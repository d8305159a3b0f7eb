"""Editing pages: create and edit cases, add and retract placements, add sources and
relations, rate a case. Each parses a form, calls one service, and shows the service's
refusals next to the fields they name."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peerladder.catalogue import selectors, services
from peerladder.catalogue.models import Case, Placement
from peerladder.errors import EditConflict, InvalidInput
from peerladder.ladder import QUESTIONS, InvalidAnswers, rung
from peerladder.lexicon import lookup
from peerladder.search.selectors import duplicate_candidates
from peerladder.search.suggest import suggest_rungs
from peerladder.web.edit_forms import (
    CASE_FIELDS,
    CaseEditForm,
    NewCaseForm,
    PlacementForm,
    RelationForm,
    SourceForm,
    add_errors,
)
from peerladder.web.ladder_pages import carried_answers
from peerladder.web.language import localized
from peerladder.web.writes import writer


def _likely_duplicates(fields: dict[str, Any]) -> list[dict[str, Any]]:
    """Live cases the new one may duplicate, with the reasons."""
    return duplicate_candidates(
        name=fields.get("name"), website=fields.get("website"), wikidata=fields.get("wikidata")
    )


def _live_case(slug: str) -> Case:
    case = selectors.case_get(slug=slug)
    if case is None:
        raise Http404(_("No case has the slug %(slug)s.") % {"slug": repr(slug)})
    return case


@writer
def case_new(request: HttpRequest) -> HttpResponse:
    # The questionnaire's answers, when it sent the person here, fill in the answers.
    form = NewCaseForm(request.POST or None, initial=carried_answers(request.GET))
    duplicates: list[dict[str, Any]] = []
    if request.method == "POST" and form.is_valid():
        # An empty slug is made from the name by the service.
        fields = {**form.case_fields(), "slug": form.cleaned_data["slug"].strip()}
        duplicates = [] if form.cleaned_data["confirmed"] else _likely_duplicates(fields)
        if not duplicates:
            source = form.source()
            try:
                case = services.case_create(
                    author=request.user,
                    fields=fields,
                    sources=[source],
                    placements=[form.placement([source["url"]])],
                    summary=form.cleaned_data["comment"],
                )
            except InvalidInput as exc:
                add_errors(form, exc.errors)
            else:
                messages.success(request, _("Added %(name)s.") % {"name": case.name})
                return redirect(localized(case.get_absolute_url()))
        else:
            form.data = form.data.copy()
            form.data["confirmed"] = "True"
    status = 400 if form.errors else 200
    return render(
        request,
        "web/edit/case_new.html",
        {
            "form": form,
            "duplicates": duplicates,
            "hints": _rung_hints(form.data) if request.method == "POST" else [],
        },
        status=status,
    )


def _rung_hints(data: Any) -> list[dict[str, Any]]:
    """Likely rungs for what the form says so far: a hint beside the form, never stored."""
    text = " ".join(str(data.get(name, "")) for name in ("name", "summary", "description"))
    answers = {
        q.field: data[f"answer_{q.field}"] for q in QUESTIONS if data.get(f"answer_{q.field}")
    }
    try:
        suggestions, _ = suggest_rungs(description=text, answers=answers)
    except InvalidAnswers:
        return []
    return [
        {"rung": rung(item["rung"]), "percent": round(100 * item["probability"])}
        for item in suggestions[:3]
    ]


def _conflict_rows(form: CaseEditForm, case: Case) -> list[dict[str, Any]]:
    current = CaseEditForm.initial_from(case)
    rows = []
    for name in CASE_FIELDS:
        yours = str(form.data.get(name, "")).strip()
        theirs = str(current.get(name, "") or "").strip()
        rows.append(
            {
                "field": form.fields[name].label or name,
                "yours": yours,
                "current": theirs,
                "differs": yours != theirs,
            }
        )
    return rows


@writer
def case_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Edit a case's fields. The form carries the revision it started from; a save
    against a newer revision shows both versions side by side to merge."""
    case = _live_case(slug)
    if request.method != "POST":
        form = CaseEditForm(
            initial={**CaseEditForm.initial_from(case), "base_revision": case.revision_number}
        )
        return render(request, "web/edit/case_edit.html", {"form": form, "case": case})
    form = CaseEditForm(request.POST)
    if form.is_valid():
        try:
            case = services.case_update(
                case=case,
                author=request.user,
                changes=form.case_fields(),
                base_revision=form.cleaned_data["base_revision"],
                summary=form.cleaned_data["comment"],
            )
        except EditConflict as conflict:
            current = _live_case(slug)
            merge = CaseEditForm(data={**request.POST.dict(), "base_revision": conflict.current})
            merge.is_valid()
            return render(
                request,
                "web/edit/conflict.html",
                {
                    "case": current,
                    "form": merge,
                    "rows": _conflict_rows(form, current),
                    "conflict": conflict,
                },
                status=409,
            )
        except InvalidInput as exc:
            add_errors(form, exc.errors)
        else:
            messages.success(request, _("Saved your changes."))
            return redirect(localized(case.get_absolute_url()))
    return render(request, "web/edit/case_edit.html", {"form": form, "case": case}, status=400)


@writer
def placement_new(request: HttpRequest, slug: str) -> HttpResponse:
    case = _live_case(slug)
    form = PlacementForm(request.POST or None, case=case, initial=carried_answers(request.GET))
    if request.method == "POST" and form.is_valid():
        try:
            placement = services.placement_add(
                case=case, author=request.user, **form.placement(form.source_refs())
            )
        except InvalidInput as exc:
            add_errors(form, exc.errors)
        else:
            messages.success(
                request, _("Added your placement on rung %(number)s.") % {"number": placement.rung}
            )
            return redirect(localized(case.get_absolute_url()))
    status = 400 if form.errors else 200
    return render(
        request, "web/edit/placement_new.html", {"form": form, "case": case}, status=status
    )


@require_POST
@writer
def placement_retract(request: HttpRequest, slug: str, placement_id: int) -> HttpResponse:
    placement = (
        Placement.objects.select_related("case")
        .filter(pk=placement_id, case__slug=slug, case__archived=False, retracted_at__isnull=True)
        .first()
    )
    if placement is None:
        raise Http404(_("No such active placement."))
    services.placement_retract(placement=placement, author=request.user)
    messages.success(request, _("Retracted the placement; the history keeps it."))
    return redirect(localized(placement.case.get_absolute_url()))


@writer
def source_new(request: HttpRequest, slug: str) -> HttpResponse:
    case = _live_case(slug)
    form = SourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.source_add(case=case, author=request.user, source=form.cleaned_data)
        except InvalidInput as exc:
            add_errors(form, exc.errors)
        else:
            messages.success(request, _("Added the source."))
            return redirect(localized(case.get_absolute_url()))
    context = {
        "form": form,
        "case": case,
        "title": _("Add a source"),
        "button": _("Add the source"),
    }
    status = 400 if form.errors else 200
    return render(request, "web/edit/simple_form.html", context, status=status)


@writer
def relation_new(request: HttpRequest, slug: str) -> HttpResponse:
    case = _live_case(slug)
    form = RelationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.relation_add(
                case=case,
                author=request.user,
                relation={
                    "type": form.cleaned_data["type"],
                    "target": form.cleaned_data["target"].strip(),
                },
            )
        except InvalidInput as exc:
            add_errors(form, exc.errors)
        else:
            messages.success(request, _("Added the relation."))
            return redirect(localized(case.get_absolute_url()))
    context = {
        "form": form,
        "case": case,
        "title": _("Link to another case"),
        "button": _("Link"),
    }
    status = 400 if form.errors else 200
    return render(request, "web/edit/simple_form.html", context, status=status)


@require_POST
@writer
def case_rate(request: HttpRequest, slug: str) -> HttpResponse:
    """Rate a case 1-5; rating again changes your rating."""
    case = _live_case(slug)
    raw = request.POST.get("stars", "")
    try:
        services.rating_set(case=case, user=request.user, stars=int(raw) if raw.isdigit() else raw)
    except InvalidInput as exc:
        messages.error(request, exc.errors[0].shown(lookup()))
    else:
        messages.success(
            request, _("Rated %(name)s %(stars)s of 5.") % {"name": case.name, "stars": raw}
        )
    return redirect("web:case-history", slug=case.slug)


urlpatterns: list[URLPattern] = [
    path("cases/new", case_new, name="case-new"),
    path("cases/<slug:slug>/edit", case_edit, name="case-edit"),
    path("cases/<slug:slug>/placements/new", placement_new, name="placement-new"),
    path(
        "cases/<slug:slug>/placements/<int:placement_id>/retract",
        placement_retract,
        name="placement-retract",
    ),
    path("cases/<slug:slug>/sources/new", source_new, name="source-new"),
    path("cases/<slug:slug>/relations/new", relation_new, name="relation-new"),
    path("cases/<slug:slug>/rating", case_rate, name="case-rate"),
]
