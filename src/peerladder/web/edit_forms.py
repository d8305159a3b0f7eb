"""Forms of the editing pages. They only parse: every rule is checked by the services,
whose refusals are shown next to the fields they name (``service_fields``)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from peerladder.catalogue.models import Case
from peerladder.catalogue.record import (
    EDITABLE_CASE_FIELDS,
    LIMITS,
    STORED_CASE_FIELDS,
    TRANSLATED_FIELDS,
    CaseField,
    case_field,
)
from peerladder.catalogue.vocabulary import RELATION_TYPES
from peerladder.catalogue.vocabulary_labels import term_choices
from peerladder.ladder import QUESTIONS, asked_questions
from peerladder.lexicon import lookup, question_shown

CASE_FIELDS = EDITABLE_CASE_FIELDS


def _words(text: str, pattern: str = r"[,\s]+") -> list[str]:
    return [word for word in re.split(pattern, text.strip()) if word]


def _year(text: str) -> int | str | None:
    text = text.strip()
    if not text:
        return None
    return int(text) if text.isdigit() else text


# What the forms call each of the record's case fields, and the help that says how to
# type it, in the reader's language (the record's own label and description are the
# data's, in English; a test checks every editable field has both here).
LABELS: dict[str, Promise] = {
    "slug": _("Slug"),
    "name": _("Name"),
    "summary": _("Summary"),
    "description": _("Description"),
    "website": _("Website"),
    "wikidata": _("Wikidata"),
    "countries": _("Countries"),
    "sector": _("Sector"),
    "org_form": _("Form"),
    "production": _("Production"),
    "founded": _("Founded"),
    "ended": _("Ended"),
    "tags": _("Tags"),
}
HELP: dict[str, Promise | str] = {
    "slug": _("Unique key of the case: lowercase words joined by hyphens"),
    "name": "",
    "summary": _("One or two sentences"),
    "description": _("Markdown"),
    "website": _("The website of the organisation"),
    "wikidata": _("Like Q52"),
    "countries": _("ISO codes separated by commas, like DE, FR"),
    "sector": "",
    "org_form": "",
    "production": _(
        "What the participants produce: material, immaterial or both (empty: not recorded)"
    ),
    "founded": _("Year"),
    "ended": _("Year, if it ended"),
    "tags": _("Separated by commas"),
}


def _form_field(field: CaseField) -> forms.Field:
    """A form field for one of the record's case fields (they only parse; the services
    check every rule and their refusals are shown beside the field)."""
    common: dict[str, Any] = {
        "label": LABELS.get(field.name, field.label),
        "help_text": HELP.get(field.name, field.description),
    }
    if field.vocabulary is not None:
        optional = field.vocabulary.default is None
        choices = [("", _("Not recorded"))] * optional + term_choices(field.vocabulary)
        return forms.ChoiceField(
            choices=choices, initial=field.vocabulary.default, required=not optional, **common
        )
    if field.kind == "markdown":
        return forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 8}), **common)
    if field.name == "summary":
        # One or two sentences: a box as wide as the form, a few lines high.
        return forms.CharField(
            required=field.required,
            max_length=field.max_length,
            widget=forms.Textarea(attrs={"rows": 3, "class": "summary"}),
            **common,
        )
    if field.kind == "year":
        return forms.CharField(required=False, max_length=4, **common)
    if field.kind == "countries":
        return forms.CharField(required=False, max_length=4 * LIMITS.countries, **common)
    if field.kind == "tags":
        return forms.CharField(required=False, max_length=(LIMITS.tag + 2) * LIMITS.tags, **common)
    return forms.CharField(required=field.required, max_length=field.max_length, **common)


class CaseFieldsForm(forms.Form):
    """The case's editable fields, one form field per field of the record."""

    comment = forms.CharField(
        required=False,
        max_length=300,
        label=_("Summary of your change"),
        help_text=_("For history"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in reversed(CASE_FIELDS):
            self.fields = {name: _form_field(case_field(name)), **self.fields}

    def case_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        fields: dict[str, Any] = {}
        for name in CASE_FIELDS:
            kind = case_field(name).kind
            value = data[name]
            if kind == "countries":
                value = [code.upper() for code in _words(value)]
            elif kind == "tags":
                value = [tag.strip() for tag in _words(value, r",")]
            elif kind == "year":
                value = _year(value)
            elif kind == "wikidata":
                value = value.strip().upper() or None
            elif kind == "url":
                value = value.strip()
            elif kind == "choice":
                value = value or None
            fields[name] = value
        return fields

    @staticmethod
    def initial_from(case: Case) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for name in CASE_FIELDS:
            kind = case_field(name).kind
            if kind == "countries":
                initial[name] = ", ".join(row.code for row in case.country_rows.all())
            elif kind == "tags":
                initial[name] = ", ".join(case.tags)
            elif name in STORED_CASE_FIELDS:
                value = getattr(case, name)
                initial[name] = "" if value is None else value
        return initial


# The order the forms show the case's fields in: the slug (the case's address) right
# after the name it is made from.
FORM_ORDER = ("name", "slug", *(name for name in CASE_FIELDS if name not in ("name", "slug")))


class CaseEditForm(CaseFieldsForm):
    base_revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"].label = _("Address (slug)")
        self.fields["slug"].help_text = _(
            "The case's address: /cases/this-slug. Changing it keeps the old address "
            "working: it leads here."
        )
        self.order_fields(FORM_ORDER)


def add_answer_fields(form: forms.Form) -> None:
    """One radio group per question of the answer schema, all optional here: the
    answers that the procedure does not ask are dropped before classifying. The
    questions are in the page's language."""
    for question in map(question_shown, QUESTIONS):
        form.fields[f"answer_{question.field}"] = forms.ChoiceField(
            label=question.prompt,
            help_text=question.help,
            required=False,
            widget=forms.RadioSelect,
            choices=[("", _("Not answered")), *((c.value, c.label) for c in question.values)],
        )


def answers_from(cleaned: dict[str, Any]) -> dict[str, str]:
    given = {
        q.field: cleaned[f"answer_{q.field}"] for q in QUESTIONS if cleaned.get(f"answer_{q.field}")
    }
    asked = {q.field for q in asked_questions(given)}
    return {field: value for field, value in given.items() if field in asked}


class PlacementFieldsMixin(forms.Form):
    valid_from = forms.CharField(max_length=10, label=_("From"), help_text=_("YYYY or YYYY-MM-DD"))
    valid_to = forms.CharField(
        max_length=10, required=False, label=_("To"), help_text=_("Empty while it still holds")
    )
    rationale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}), max_length=20_000, label=_("Rationale")
    )

    def placement(self, sources: list[Any]) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "answers": answers_from(data),
            "valid_from": data["valid_from"].strip(),
            "valid_to": data["valid_to"].strip() or None,
            "rationale": data["rationale"],
            "sources": sources,
        }


class NewCaseForm(CaseFieldsForm, PlacementFieldsMixin):
    slug = forms.CharField(
        max_length=LIMITS.slug,
        required=False,
        label=_("Address (slug), optional"),
        help_text=_(
            "Made from the name when left empty (like fairbnb-coop); you can change it later"
        ),
    )
    source_url = forms.CharField(max_length=1000, label=_("Source URL"))
    source_title = forms.CharField(max_length=300, label=_("Source title"))
    source_publisher = forms.CharField(max_length=200, required=False, label=_("Source publisher"))
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_answer_fields(self)
        self.order_fields(
            [
                *FORM_ORDER,
                "source_url",
                "source_title",
                "source_publisher",
                *(f"answer_{q.field}" for q in QUESTIONS),
                "valid_from",
                "valid_to",
                "rationale",
                "comment",
            ]
        )

    def source(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "url": data["source_url"].strip(),
            "title": data["source_title"],
            "publisher": data["source_publisher"],
        }


class PlacementForm(PlacementFieldsMixin):
    source = forms.ChoiceField(
        required=False,
        widget=forms.RadioSelect,
        label=_("Source"),
        help_text=_("Or cite a new one"),
    )
    new_source_url = forms.CharField(max_length=1000, required=False, label=_("New source URL"))
    new_source_title = forms.CharField(max_length=300, required=False, label=_("New source title"))

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [
            (source.url, source.title) for source in case.sources.all()
        ] + [("", _("A new source (below)"))]
        add_answer_fields(self)
        self.order_fields([f"answer_{q.field}" for q in QUESTIONS])

    def source_refs(self) -> list[Any]:
        data = self.cleaned_data
        if data["source"]:
            return [data["source"]]
        return [{"url": data["new_source_url"].strip(), "title": data["new_source_title"]}]


class SourceForm(forms.Form):
    url = forms.CharField(max_length=1000, label=_("URL"))
    title = forms.CharField(max_length=300, label=_("Title"))
    publisher = forms.CharField(max_length=200, required=False, label=_("Publisher"))
    published = forms.CharField(
        required=False, max_length=10, label=_("Published"), help_text=_("YYYY-MM-DD")
    )
    accessed = forms.CharField(
        required=False, max_length=10, label=_("Accessed"), help_text=_("YYYY-MM-DD")
    )


class RelationForm(forms.Form):
    type = forms.ChoiceField(choices=term_choices(RELATION_TYPES), label=_("This case"))
    target = forms.CharField(max_length=80, label=_("Other case (its slug)"))


def form_field_for(name: str | None) -> str | None:
    """The form field a service's error names (``placements[0].valid_from`` → ``valid_from``)."""
    if not name:
        return None
    name = re.sub(r"^placements\[0\]\.", "", name)
    name = re.sub(r"^translations\.[a-z-]+\.", "", name)  # a translation's own field
    if name.startswith("answers"):
        field = name.split(".", 1)[1] if "." in name else ""
        return f"answer_{field}" if field else None
    match = re.match(r"^sources\[0\]\.(\w+)$", name)
    if match:
        return f"source_{match.group(1)}"
    return name


def add_errors(form: forms.Form, errors: list[Any]) -> None:
    """Show each service refusal next to its field (above the form when it has none), in
    the page's language."""
    for error in errors:
        field = form_field_for(error.field)
        if field in form.fields:
            # Beside its field, the message names it as the form does ("Founded").
            label = form.fields[field].label
            text = error.shown(lookup(), field_label=str(label) if label else None)
            form.add_error(field, text)
        else:
            form.add_error(None, error.shown(lookup()))


class TranslationForm(forms.Form):
    """A case's name, summary and description in one language; each may stay empty
    (readers then see the English one). Limits are those of the fields translated."""

    name = forms.CharField(label=_("Name"), max_length=LIMITS.name, required=False, strip=False)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=LIMITS.summary,
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5, "class": "wide"}),
    )
    description = forms.CharField(
        label=_("Description"),
        help_text=_("Markdown"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    editorial = forms.BooleanField(
        label=_("Editorial translation"),
        help_text=_("Written for the project's editors. Only moderators and admins may mark it."),
        required=False,
    )
    comment = forms.CharField(label=_("What did you change?"), max_length=300, required=False)
    base_revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, editors: bool = False, **kwargs: Any) -> None:
        """``editors``: whether the account speaks for the editors. Others are not
        offered ``editorial``; one sent anyway is parsed, for the service to refuse."""
        super().__init__(*args, **kwargs)
        if not editors and not (self.is_bound and self.data.get("editorial")):
            del self.fields["editorial"]

    def texts(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in TRANSLATED_FIELDS}

    def marked_editorial(self) -> bool:
        """Whether the translation is marked as the editors' (False when not offered)."""
        return bool(self.cleaned_data.get("editorial"))
