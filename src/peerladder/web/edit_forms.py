"""Forms of the editing pages. They only parse: every rule is checked by the services,
whose refusals are shown next to the fields they name (``service_fields``)."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from peerladder.catalogue.models import Case
from peerladder.catalogue.validation import EDITABLE_CASE_FIELDS
from peerladder.catalogue.vocabulary import OrgForm, RelationType, Sector
from peerladder.ladder import QUESTIONS, asked_questions

CASE_FIELDS = EDITABLE_CASE_FIELDS


def _words(text: str, pattern: str = r"[,\s]+") -> list[str]:
    return [word for word in re.split(pattern, text.strip()) if word]


def _year(text: str) -> int | str | None:
    text = text.strip()
    if not text:
        return None
    return int(text) if text.isdigit() else text


class CaseFieldsForm(forms.Form):
    name = forms.CharField(max_length=200)
    summary = forms.CharField(max_length=500, help_text="One or two sentences")
    description = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 8}), help_text="Markdown"
    )
    website = forms.CharField(required=False, max_length=500)
    wikidata = forms.CharField(required=False, max_length=16, help_text="Like Q52")
    countries = forms.CharField(
        required=False, max_length=400, help_text="ISO codes separated by commas, like DE, FR"
    )
    sector = forms.ChoiceField(choices=Sector.choices, initial=Sector.OTHER)
    org_form = forms.ChoiceField(label="Form", choices=OrgForm.choices, initial=OrgForm.OTHER)
    founded = forms.CharField(required=False, max_length=4, help_text="Year")
    ended = forms.CharField(required=False, max_length=4, help_text="Year, if it ended")
    tags = forms.CharField(required=False, max_length=1000, help_text="Separated by commas")
    comment = forms.CharField(
        required=False, max_length=300, label="Summary of your change", help_text="For history"
    )

    def case_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "summary": data["summary"],
            "description": data["description"],
            "website": data["website"].strip(),
            "wikidata": data["wikidata"].strip().upper() or None,
            "countries": [code.upper() for code in _words(data["countries"])],
            "sector": data["sector"],
            "org_form": data["org_form"],
            "founded": _year(data["founded"]),
            "ended": _year(data["ended"]),
            "tags": [tag.strip() for tag in _words(data["tags"], r",")],
        }

    @staticmethod
    def initial_from(case: Case) -> dict[str, Any]:
        return {
            "name": case.name,
            "summary": case.summary,
            "description": case.description,
            "website": case.website,
            "wikidata": case.wikidata or "",
            "countries": ", ".join(row.code for row in case.country_rows.all()),
            "sector": case.sector,
            "org_form": case.org_form,
            "founded": case.founded or "",
            "ended": case.ended or "",
            "tags": ", ".join(case.tags),
        }


class CaseEditForm(CaseFieldsForm):
    base_revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


def add_answer_fields(form: forms.Form) -> None:
    """One radio group per question of the answer schema, all optional here: the
    answers that the procedure does not ask are dropped before classifying."""
    for question in QUESTIONS:
        form.fields[f"answer_{question.field}"] = forms.ChoiceField(
            label=question.prompt,
            help_text=question.help,
            required=False,
            widget=forms.RadioSelect,
            choices=[("", "Not answered"), *((c.value, c.label) for c in question.values)],
        )


def answers_from(cleaned: dict[str, Any]) -> dict[str, str]:
    given = {
        q.field: cleaned[f"answer_{q.field}"] for q in QUESTIONS if cleaned.get(f"answer_{q.field}")
    }
    asked = {q.field for q in asked_questions(given)}
    return {field: value for field, value in given.items() if field in asked}


class PlacementFieldsMixin(forms.Form):
    valid_from = forms.CharField(max_length=10, label="From", help_text="YYYY or YYYY-MM-DD")
    valid_to = forms.CharField(
        max_length=10, required=False, label="To", help_text="Empty while it still holds"
    )
    rationale = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), max_length=20_000)

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
    slug = forms.CharField(max_length=80, help_text="lowercase-words-with-hyphens, for the URL")
    source_url = forms.CharField(max_length=1000, label="Source URL")
    source_title = forms.CharField(max_length=300, label="Source title")
    source_publisher = forms.CharField(max_length=200, required=False, label="Source publisher")
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_answer_fields(self)
        self.order_fields(
            [
                "slug",
                *CASE_FIELDS,
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
        required=False, widget=forms.RadioSelect, label="Source", help_text="Or cite a new one"
    )
    new_source_url = forms.CharField(max_length=1000, required=False, label="New source URL")
    new_source_title = forms.CharField(max_length=300, required=False, label="New source title")

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [
            (source.url, source.title) for source in case.sources.all()
        ] + [("", "A new source (below)")]
        add_answer_fields(self)
        self.order_fields([f"answer_{q.field}" for q in QUESTIONS])

    def source_refs(self) -> list[Any]:
        data = self.cleaned_data
        if data["source"]:
            return [data["source"]]
        return [{"url": data["new_source_url"].strip(), "title": data["new_source_title"]}]


class SourceForm(forms.Form):
    url = forms.CharField(max_length=1000, label="URL")
    title = forms.CharField(max_length=300)
    publisher = forms.CharField(max_length=200, required=False)
    published = forms.CharField(required=False, max_length=10, help_text="YYYY-MM-DD")
    accessed = forms.CharField(required=False, max_length=10, help_text="YYYY-MM-DD")


class RelationForm(forms.Form):
    type = forms.ChoiceField(choices=RelationType.choices, label="This case")
    target = forms.CharField(max_length=80, label="Other case (its slug)")


def form_field_for(name: str | None) -> str | None:
    """The form field a service's error names (``placements[0].valid_from`` → ``valid_from``)."""
    if not name:
        return None
    name = re.sub(r"^placements\[0\]\.", "", name)
    if name.startswith("answers"):
        field = name.split(".", 1)[1] if "." in name else ""
        return f"answer_{field}" if field else None
    match = re.match(r"^sources\[0\]\.(\w+)$", name)
    if match:
        return f"source_{match.group(1)}"
    return name


def add_errors(form: forms.Form, errors: list[Any]) -> None:
    """Show each service refusal next to its field (above the form when it has none)."""
    for error in errors:
        field = form_field_for(error.field)
        form.add_error(field if field in form.fields else None, error.message)
