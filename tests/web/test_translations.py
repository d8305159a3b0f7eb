"""The interface is complete in every language.

- Every catalogue under src/peerladder/**/locale translates every message, none fuzzy.
- Every page type, rendered under /es/ and /de/, shows none of the site's own English
  interface strings (the msgids of the interface's catalogue): a string left unmarked
  in a template, or marked but not translated, shows up here.

Both fail until the translations are merged; they are not skipped.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings

from tests.factories import UserFactory, make_case

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "peerladder"
INTERFACE = PACKAGE / "web" / "locale"
LANGUAGES = ("es", "fr", "pt_BR", "de", "it")
CATALOGUES = sorted(PACKAGE.glob("**/locale/*/LC_MESSAGES/*.po"))

# Words the same in every language (names of formats and of the site): never a sign of
# an untranslated page.
SAME_EVERYWHERE = {"API", "CSV", "JSON", "JSON Lines", "JSON-LD", "BibTeX", "CSL-JSON", "RIS"}
_PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%%")
_TAG = re.compile(r"<[^>]+>")
# A phrase of this many words or more is looked for anywhere in the page's text; a
# shorter one only as the whole text of an element or attribute (so that "Rung" is not
# found inside a case's summary).
PHRASE_WORDS = 4


def test_the_interface_has_a_catalogue_for_every_language():
    for language in LANGUAGES:
        assert (INTERFACE / language / "LC_MESSAGES" / "django.po").is_file(), language
        assert (INTERFACE / language / "LC_MESSAGES" / "django.mo").is_file(), language
    assert {code for code, _ in settings.LANGUAGES} == {"en", "es", "fr", "pt-br", "de", "it"}


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_catalogue_is_completely_translated(path):
    """UNTRANSLATED OR FUZZY MESSAGES: translate them (docs/translating.md)."""
    catalogue = polib.pofile(str(path))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not untranslated, f"{len(untranslated)} untranslated, first: {untranslated[:5]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy, first: {fuzzy[:5]}"
    assert not catalogue.metadata_is_fuzzy, "the header is marked fuzzy"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_plural_message_has_as_many_forms_as_its_language(path):
    """A plural message with fewer forms than the header's nplurals falls back to English
    for the counts that take a missing form (Spanish with nplurals=3 and only two)."""
    catalogue = polib.pofile(str(path))
    match = re.search(r"nplurals=(\d+)", catalogue.metadata.get("Plural-Forms", ""))
    assert match, "the header has no Plural-Forms"
    forms = int(match.group(1))
    for entry in catalogue:
        if entry.msgid_plural:
            assert len(entry.msgstr_plural) == forms, (entry.msgid, forms)


def _attribute_messages() -> set[str]:
    """The messages the templates put inside an HTML attribute ("...") as they are:
    {% translate %} does not escape its text, so a '"' in a translation would end the
    attribute. (The one message that needs quotes is escaped where it is used.)"""
    found = set()
    for template in (PACKAGE / "web" / "templates").rglob("*.html"):
        source = template.read_text(encoding="utf-8")
        found.update(re.findall(r'[a-z-]+="\{% translate "([^"]+)"', source))
        found.update(re.findall(r'\{% block description %\}\{% translate "([^"]+)"', source))
    return found


def test_no_translation_puts_a_double_quote_inside_an_attribute():
    attributes = _attribute_messages()
    assert "Search the cases" in attributes and len(attributes) > 20
    for language in LANGUAGES:
        catalogue = polib.pofile(str(INTERFACE / language / "LC_MESSAGES" / "django.po"))
        quoted = [e.msgid for e in catalogue if e.msgid in attributes and '"' in e.msgstr]
        assert not quoted, f'{language}: use “ ” or « » instead of " in {quoted}'


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_interface_says_what_its_own_catalogue_says(language):
    """Django merges every catalogue: the interface's own translation must win over
    another app's (Django's admin has its own "History", "Save", "Log out")."""
    from django.utils import translation

    ladder = PACKAGE / "locale" / language / "LC_MESSAGES" / "django.po"
    shared = {e.msgid for e in polib.pofile(str(ladder))} if ladder.is_file() else set()
    catalogue = polib.pofile(str(INTERFACE / language / "LC_MESSAGES" / "django.po"))
    code = language.lower().replace("_", "-")
    with translation.override(code):
        for entry in catalogue.translated_entries():
            if entry.msgid_plural or entry.msgctxt or entry.msgid in shared:
                continue
            assert translation.gettext(entry.msgid) == entry.msgstr, entry.msgid


def test_every_compiled_catalogue_is_up_to_date():
    """The .mo beside each .po (committed, so a checkout works without gettext) holds
    the same translations: run `make compile-messages` after editing a .po."""
    for path in CATALOGUES:
        mo_path = path.with_suffix(".mo")
        assert mo_path.is_file(), f"{mo_path} is missing"
        compiled = {
            (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in polib.mofile(str(mo_path))
        }
        source = {
            (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural
            for e in polib.pofile(str(path)).translated_entries()
        }
        assert compiled.keys() >= source.keys(), f"{mo_path} is older than its .po"


def _fragments(text: str) -> Iterator[str]:
    """The words of a message a reader sees: no tags, split at its placeholders."""
    for part in _PLACEHOLDER.split(_TAG.sub(" ", text)):
        part = " ".join(html.unescape(part).split()).strip(" .,:;()–—-·“”\"'")
        if re.search(r"[A-Za-z]{2,}", part):
            yield part


def english_strings(language: str) -> tuple[set[str], set[str]]:
    """The interface's English (phrases, and short strings) that must not appear on a
    page in ``language``: every msgid's fragments, except those the language writes
    the same (its translation is the msgid, or the fragment is another message's
    translation there) and names the same everywhere."""
    catalogue = polib.pofile(str(INTERFACE / language / "LC_MESSAGES" / "django.po"))
    translations = set()
    for entry in catalogue:
        translations.update(_fragments(entry.msgstr))
        for text in entry.msgstr_plural.values():
            translations.update(_fragments(text))
    phrases, short = set(), set()
    for entry in catalogue:
        if entry.obsolete or entry.msgstr == entry.msgid:
            continue
        for source in filter(None, (entry.msgid, entry.msgid_plural)):
            whole = len(list(_fragments(source))) == 1 and not _PLACEHOLDER.search(source)
            for fragment in _fragments(source):
                if fragment in SAME_EVERYWHERE or fragment in translations:
                    continue
                # One word cut from a sentence ("of", "economy") says nothing: a single
                # word counts only when it is the whole message ("Filters").
                if len(fragment.split()) == 1 and not whole:
                    continue
                (phrases if len(fragment.split()) >= PHRASE_WORDS else short).add(fragment)
    return phrases, short


class _Text(HTMLParser):
    """A page's visible text, one piece per text node, plus the attributes people read."""

    READ = {"aria-label", "title", "placeholder", "alt", "data-said-copied", "data-said-selected"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if value and (name in self.READ or (tag == "meta" and name == "content")):
                self.pieces.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.pieces.append(data)


def english_on(page: str, phrases: set[str], short: set[str]) -> list[str]:
    parser = _Text()
    parser.feed(page)
    pieces = [" ".join(piece.split()) for piece in parser.pieces]
    whole = {piece.strip(" .,:;()–—-·“”\"'") for piece in pieces}
    text = " ".join(pieces)
    found = sorted(fragment for fragment in short if fragment in whole)
    found += sorted(phrase for phrase in phrases if phrase in text)
    return found


# Pages for visitors who are not logged in.
ANONYMOUS_PAGES = ("/accounts/login/", "/accounts/signup/", "/accounts/password/reset/")
# One address of each page type; {case} is a case's slug, {user} an account's name.
PAGES = (
    "/",
    "/cases",
    "/cases?q=wiki&rung=11",
    "/cases/{case}",
    "/cases/{case}/history",
    "/cases/{case}/diff?from=1&to=2",
    "/cases/{case}/edit",
    "/ladder",
    "/ladder/6",
    "/ladder/classify",
    "/ladder/classify?directed_by=peers&value=use&producers=group&monetization=none",
    "/insights",
    "/insights/trend",
    "/insights/report",
    "/about",
    "/accounts/{user}",
    "/changes",
    "/status",
    "/no-such-page",
)


@pytest.fixture
def catalogue(db):  # type: ignore[no-untyped-def]
    """A case with two revisions by an account that is logged in for the test."""
    from peerladder.catalogue import services

    user = UserFactory(username="zoe")
    case = make_case(slug="wiki", name="Wikiqx", summary="Zyx qwv.", author=user)
    services.case_update(
        case=case, author=user, changes={"summary": "Zyx qwv wq."}, base_revision=1
    )
    return {"case": case.slug, "user": user.username, "account": user}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["es", "de"])
def test_pages_in_another_language_show_no_english_interface_strings(client, catalogue, language):
    """UNTRANSLATED OR UNMARKED INTERFACE STRINGS on pages in another language."""
    from django.test import Client

    visitor = Client()
    client.force_login(catalogue["account"])
    phrases, short = english_strings(language)
    assert len(phrases) + len(short) > 300  # the list is the interface's, not empty
    leaks = {}
    for page in (*PAGES, *ANONYMOUS_PAGES):
        path = f"/{language}" + page.format(case=catalogue["case"], user=catalogue["user"])
        response = (visitor if page in ANONYMOUS_PAGES else client).get(path)
        assert response.status_code in (200, 404), path
        assert response["Content-Language"] == language, path
        found = english_on(response.content.decode(), phrases, short)
        if found:
            leaks[path] = found
    assert not leaks, (
        "English on pages in "
        + language
        + ":\n"
        + "\n".join(f"{path}: {found[:8]}" for path, found in leaks.items())
    )


def test_the_check_finds_english_where_there_is_some():
    """The checker itself: an English interface string in a page is found, whole or in
    a sentence; content words that merely contain one are not."""
    phrases = {"Every page of the list, not only this one"}
    short = {"Filters", "Log in"}
    page = (
        "<p>Every page of the list, not only this one. Formats</p>"
        "<summary>Filters</summary><p>A case about Filters and more</p>"
        '<button aria-label="Log in">x</button>'
    )
    assert english_on(page, phrases, short) == ["Filters", "Log in", *sorted(phrases)]
    assert english_on("<p>Filtros</p><p>Filters of water</p>", phrases, short) == []
