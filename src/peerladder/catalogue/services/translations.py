"""A case's text in other languages: written like any other edit of the case.

Translations are part of the case record (``translations``), so each change is a
revision of the case: it shows in the case's history and diffs, waits for review
when a new account makes it, and is undone by reverting the case.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from peerladder.accounts.models import User
from peerladder.catalogue import revision_summaries as summaries
from peerladder.catalogue.models import Case, CaseTranslation
from peerladder.catalogue.record import TRANSLATED_FIELDS
from peerladder.catalogue.services.review import reviewed
from peerladder.catalogue.services.writing import (
    check_may_edit,
    lock_case,
    raise_if,
    record_revision,
)
from peerladder.catalogue.validation import Errors, clean_language, clean_translation
from peerladder.catalogue.vocabulary import CASE_LANGUAGES
from peerladder.errors import NotAllowed, refusal


def speaks_for_editors(account: User) -> bool:
    """Whether ``account`` may mark a translation ``editorial`` (the project's editors'
    own): the accounts that already speak for the project, moderators and admins."""
    return account.is_moderator


def check_may_mark_editorial(
    author: User, case: Case | None, translations: Mapping[str, Mapping[str, Any] | None]
) -> None:
    """Refuse checked ``translations`` (``validation.clean_translations``) that would
    store a translation marked ``editorial`` unless ``author`` speaks for the editors.
    A translation already stored as editorial and given back unchanged passes: a client
    may send back what it read."""
    marked = [code for code, texts in translations.items() if texts and texts["editorial"]]
    if not marked or speaks_for_editors(author):
        return
    stored = (
        {}
        if case is None
        else {
            row.language: row
            for row in CaseTranslation.objects.filter(case=case, language__in=marked)
        }
    )
    for code in marked:
        texts = translations[code]
        assert texts is not None
        row = stored.get(code)
        if (
            row is not None
            and row.editorial
            and all(getattr(row, name) == texts[name] for name in TRANSLATED_FIELDS)
        ):
            continue
        field = f"translations.{code}.editorial"
        raise NotAllowed(refusal("not-allowed.editorial", field=field), field=field)


def write_translations(
    case: Case, translations: Mapping[str, Mapping[str, Any] | None], *, replace: bool
) -> None:
    """Store checked translations (``validation.clean_translations``): a language given
    None is removed; with ``replace``, so is every language not given. Called inside
    the transaction of the write that records the revision."""
    stored = {row.language: row for row in CaseTranslation.objects.filter(case=case)}
    gone = [
        language
        for language in stored
        if (language in translations and translations[language] is None)
        or (replace and language not in translations)
    ]
    if gone:
        CaseTranslation.objects.filter(case=case, language__in=gone).delete()
    for language, texts in translations.items():
        if texts is None:
            continue
        values = {name: texts[name] for name in (*TRANSLATED_FIELDS, "editorial")}
        row = stored.get(language)
        if row is None:
            CaseTranslation.objects.create(case=case, language=language, **values)
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            row.save()


@reviewed("translation_set")
@transaction.atomic
def translation_set(
    *,
    case: Case,
    author: User,
    language: str,
    texts: Mapping[str, Any],
    base_revision: int | None,
    summary: str = "",
    editorial: bool = False,
) -> Case:
    """Write the case's name, summary and description in ``language`` (a field left
    empty stays untranslated) as a new revision; all three empty removes the language.

    ``editorial`` marks the project's editors' own translations, refused unless the
    author speaks for them (:func:`speaks_for_editors`); a person's edit is a
    contributor's translation unless it leaves the text as it was. Refused when the
    case moved past ``base_revision``.
    """
    case = lock_case(case, base_revision=base_revision)
    check_may_edit(case, author)
    errors: Errors = []
    code = clean_language(language, errors, field="language")
    raise_if(errors)
    assert code is not None
    label = CASE_LANGUAGES.label(code)
    given = {name: texts.get(name) or "" for name in TRANSLATED_FIELDS}
    if not any(isinstance(value, str) and value.strip() for value in given.values()):
        write_translations(case, {code: None}, replace=False)
        comment = summaries.TRANSLATION_REMOVED.text(language=label)
    else:
        current = CaseTranslation.objects.filter(case=case, language=code).first()
        unchanged = current is not None and all(
            getattr(current, name) == str(given[name] or "").strip() for name in TRANSLATED_FIELDS
        )
        marker = editorial or (unchanged and current is not None and current.editorial)
        translation = clean_translation(
            {**given, "editorial": marker}, errors, prefix=f"translations.{code}."
        )
        raise_if(errors)
        assert translation is not None
        check_may_mark_editorial(author, case, {code: translation})
        write_translations(case, {code: translation}, replace=False)
        written = summaries.EDITORIAL_TRANSLATION if marker else summaries.TRANSLATED
        comment = written.text(language=label)
    record_revision(case, author=author, action="translate", summary=summary or comment)
    return case
