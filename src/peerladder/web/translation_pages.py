"""Translating a case: the page that writes its name, summary and description in one
language, and what the case page shows a reader of another language.

The write is ``services.translation_set``: a revision of the case, held for review
when a new account makes it, refused as a conflict when someone saved first."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from peerladder.catalogue import selectors, services
from peerladder.catalogue.markup import render_markdown
from peerladder.catalogue.models import Case
from peerladder.catalogue.presenters import LISTED_FIELDS, case_text, translations_of
from peerladder.catalogue.record import TRANSLATED_FIELDS
from peerladder.catalogue.selectors import with_translation
from peerladder.catalogue.vocabulary import CASE_LANGUAGES, ORIGINAL_LANGUAGE
from peerladder.errors import EditConflict, InvalidInput, NotAllowed
from peerladder.web.edit_forms import TranslationForm, add_errors
from peerladder.web.writes import writer


def reading_language() -> str | None:
    """The reader's language when the case's text can be in it (None: English)."""
    language = (get_language() or ORIGINAL_LANGUAGE).lower()
    return language if language in CASE_LANGUAGES.values else None


def _field_languages(
    text: dict[str, Any], names: tuple[str, ...], language: str | None
) -> dict[str, str]:
    """Each field's ``lang`` attribute where it is not in the page's language ("" where
    it is): "en" for a field shown in the original inside a page in another language."""
    page_language = language or ORIGINAL_LANGUAGE
    shown = text["language"]
    return {
        name: "" if field_language == page_language else field_language
        for name in names
        for field_language in [ORIGINAL_LANGUAGE if name in text["untranslated"] else shown]
    }


def listed_text(case: Case) -> dict[str, Any]:
    """A case's name and summary as a list shows them to this reader: in the reader's
    language where translated, else in English, with ``lang`` naming each field's
    language where it is not the page's. The list's selector prefetched the
    translations (``selectors.with_translation``), so this reads nothing."""
    language = reading_language()
    text = case_text(case, language, LISTED_FIELDS)
    return {
        "name": text["name"],
        "summary": text["summary"],
        "lang": _field_languages(text, LISTED_FIELDS, language),
    }


def listed(cases: list[Case]) -> list[dict[str, Any]]:
    """``{"case", "text"}`` for each case of a list, its translations read in one query."""
    with_translation(cases, reading_language())
    return [{"case": case, "text": listed_text(case)} for case in cases]


def reader_text(case: Case) -> dict[str, Any]:
    """What the case page shows of the case's text to this reader: each field in the
    reader's language where translated, else the English original, with what a
    notice needs to say (see ``presenters.case_text``)."""
    language = reading_language()
    text = case_text(case, language)
    return {
        **text,
        "field_language": _field_languages(text, TRANSLATED_FIELDS, language),
        "description_html": render_markdown(text["description"]),
        "wanted": language,
        "wanted_label": CASE_LANGUAGES.label(language) if language else "",
        "missing": language is not None and text["language"] == ORIGINAL_LANGUAGE,
        "partial": language is not None
        and text["language"] != ORIGINAL_LANGUAGE
        and bool(text["untranslated"]),
        "languages": [
            {"code": code, "label": label, "translation": translations_of(case).get(code)}
            for code, label in CASE_LANGUAGES.terms
        ],
    }


def _conflict_rows(form: TranslationForm, current: dict[str, Any] | None) -> list[dict[str, Any]]:
    rows = []
    for name in TRANSLATED_FIELDS:
        yours = str(form.data.get(name, "")).strip()
        theirs = str((current or {}).get(name, "")).strip()
        rows.append(
            {
                "field": form.fields[name].label,
                "yours": yours,
                "current": theirs,
                "differs": yours != theirs,
            }
        )
    return rows


@writer
def case_translate(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    """Write or change the case's text in ``language``; all fields empty removes it."""
    case = selectors.case_get(slug=slug)
    if case is None:
        raise Http404(f"No case has the slug {slug!r}.")
    if language not in CASE_LANGUAGES.values:
        raise Http404(f"Case text is not translated into {language!r}.")
    current = translations_of(case).get(language)
    editors = services.speaks_for_editors(request.user)  # type: ignore[arg-type]
    context: dict[str, Any] = {
        "case": case,
        "language": language,
        "language_label": CASE_LANGUAGES.label(language),
        "current": current,
        "editors": editors,
    }
    if request.method != "POST":
        initial = {name: (current or {}).get(name, "") for name in TRANSLATED_FIELDS}
        form = TranslationForm(
            initial={
                **initial,
                "editorial": bool(current and current["editorial"]),
                "base_revision": case.revision_number,
            },
            editors=editors,
        )
        return render(request, "web/edit/translate.html", {**context, "form": form})
    form = TranslationForm(request.POST, editors=editors)
    status = 400
    if form.is_valid():
        try:
            case = services.translation_set(
                case=case,
                author=request.user,
                language=language,
                texts=form.texts(),
                base_revision=form.cleaned_data["base_revision"],
                summary=form.cleaned_data["comment"],
                editorial=form.marked_editorial(),
            )
        except NotAllowed as refusal:
            if refusal.field is None or not refusal.field.endswith(".editorial"):
                raise
            form.add_error(
                "editorial",
                _(
                    "Only moderators and admins may mark a translation as editorial. "
                    "Untick it to save the translation as yours."
                ),
            )
            status = 403
        except EditConflict as conflict:
            fresh = selectors.case_get(slug=slug)
            assert fresh is not None
            now = translations_of(fresh).get(language)
            merge = TranslationForm(
                data={**request.POST.dict(), "base_revision": conflict.current}, editors=editors
            )
            merge.is_valid()
            context.update(
                case=fresh,
                current=now,
                form=merge,
                conflict=conflict,
                rows=_conflict_rows(form, now),  # type: ignore[arg-type]
            )
            return render(request, "web/edit/translate.html", context, status=409)
        except InvalidInput as exc:
            add_errors(form, exc.errors)
        else:
            messages.success(
                request,
                _("Saved the translation (%(language)s).")
                % {"language": context["language_label"]},
            )
            return redirect(case.get_absolute_url())
    return render(request, "web/edit/translate.html", {**context, "form": form}, status=status)


urlpatterns: list[URLPattern] = [
    path("cases/<slug:slug>/translate/<str:language>", case_translate, name="case-translate"),
]
