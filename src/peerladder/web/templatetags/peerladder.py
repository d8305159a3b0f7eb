"""Template filters the pages share: one name for each economy and each country, and one
label for each term of the catalogue's vocabularies, wherever they are shown."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from peerladder.catalogue.revision_summaries import action_shown, summary_shown
from peerladder.catalogue.vocabulary_labels import (
    TRANSLATED_VOCABULARIES,
    country_label,
    term_label,
)
from peerladder.ladder import UnknownRung, rung
from peerladder.lexicon import economy_name_shown, rung_shown

register = template.Library()


@register.filter
def economy_name(key: str | None) -> str:
    """``{{ standing.economy|economy_name }}``: "Commons economy", or "None of the three",
    in the page's language."""
    try:
        return economy_name_shown(key)
    except KeyError:
        return str(key)


_VOCABULARIES = {vocabulary.name: vocabulary for vocabulary in TRANSLATED_VOCABULARIES}


@register.filter
def term(value: str | None, vocabulary: str) -> str:
    """``{{ record.sector|term:"sector" }}``: a stored key's label in the page's language
    (``sector``, ``org_form``, ``production``, ``type`` for a relation)."""
    return term_label(_VOCABULARIES[vocabulary], value)


@register.filter
def country(code: str | None) -> str:
    """``{{ row.code|country }}``: a country's name in the page's language ("Alemania")."""
    return country_label(code) if code else ""


@register.filter
def lang_attr(language: str | None) -> SafeString | str:
    """`` lang="en"`` for text not in the page's language (``{{ text.lang.name|lang_attr }}``
    inside a tag), nothing for text in it."""
    return format_html(' lang="{}"', language) if language else ""


@register.filter
def revision_action(action: str) -> str:
    """``{{ revision.action|revision_action }}``: what a revision did ("placed"), in the
    page's language."""
    return action_shown(action or "")


@register.filter
def revision_summary(summary: str) -> str:
    """``{{ revision.summary|revision_summary }}``: a summary the site wrote ("Created the
    case") in the page's language; a contributor's own words as they are."""
    return summary_shown(summary or "")


@register.filter
def rung_name(number: int | None) -> str:
    """``{{ standing.rung|rung_name }}``: the rung's name in the page's language."""
    try:
        return rung_shown(rung(int(number or 0))).name
    except (UnknownRung, ValueError):
        return str(number)
