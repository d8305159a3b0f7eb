"""The one check of an incoming case and its placements, shared by the services (and so
the API and the web forms) and the importer.

:func:`check_case` checks a whole incoming record (the case's fields, its sources,
its placements with the sources they cite, its relations) and :func:`check_placement`
one placement; both append every problem to ``errors`` (never only the first), each
naming the field, the value received and what is allowed, with one wording whatever
the caller. The ``clean_*`` functions check one part each. Limits come from the
record's one definition, :mod:`peerladder.catalogue.record`.

Pure: no Django, no database (uniqueness against stored cases is the services' job).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from peerladder.catalogue.record import (
    CASE_FIELD_NAMES,
    CASE_FIELDS,
    LIMITS,
    RECORD_KEYS,
    TRANSLATED_FIELDS,
    TRANSLATION_KEYS,
    TRANSLATIONS_KEY,
    RelationRecord,
    SourceRecord,
    source_record,
)
from peerladder.catalogue.vocabulary import (
    CASE_LANGUAGES,
    COUNTRY_CODES,
    ORIGINAL_LANGUAGE,
    PERIOD_PATTERN,
    RELATION_TYPES,
    SLUG_PATTERN,
    WIKIDATA_PATTERN,
    Vocabulary,
)
from peerladder.errors import refusal, unstorable_refusal
from peerladder.ladder import FieldError, InvalidAnswers, Message, classify
from peerladder.ladder.result import Classification
from peerladder.text import printable, unstorable

Errors = list[FieldError]

MAX_TEXT = LIMITS.description
_SPACE = re.compile(r"\s")
# An http(s) URL with a plain host name and no spaces: one that urlsplit accepts too.
_PLAIN_URL = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:[/?#][^\s]*)?\Z")


def _storable(value: str, errors: Errors, *, field: str) -> bool:
    """Whether ``value`` can be stored; if not, the problem goes to ``errors``."""
    problem = unstorable(value)
    if problem is None:
        return True
    _error(errors, field, printable(value[:80]), unstorable_refusal(field, problem))
    return False


def _error(
    errors: Errors, field: str | None, received: Any, text: Message, allowed: Any = None
) -> None:
    errors.append(FieldError.keyed(field, received, allowed, text))


def _text(
    data: Mapping[str, Any],
    field: str,
    errors: Errors,
    *,
    prefix: str,
    max_length: int,
    required: bool,
) -> str:
    value = data.get(field)
    name = prefix + field
    if value is None:
        value = ""
    if not isinstance(value, str):
        _error(errors, name, value, refusal("not-text", field=name, kind=type(value).__name__))
        return ""
    value = value.strip()
    if not _storable(value, errors, field=name):
        return ""
    if required and not value:
        _error(errors, name, data.get(field), refusal("required", field=name))
    if len(value) > max_length:
        _error(
            errors,
            name,
            value[:80] + "…",
            refusal("too-long", field=name, length=len(value), limit=max_length),
        )
    return value


def clean_url(
    value: Any,
    errors: Errors,
    *,
    field: str,
    required: bool = True,
    max_length: int = LIMITS.source_url,
) -> str:
    """An absolute http(s) URL, or '' when optional and absent."""
    if value in (None, "") and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        _error(errors, field, value, refusal("url", field=field))
        return ""
    url = value.strip()
    if not _storable(url, errors, field=field):
        return ""
    if _PLAIN_URL.match(url) and len(url) <= max_length:
        return url  # the common case, without taking the URL apart
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.netloc
        or _SPACE.search(url)
    ):
        _error(
            errors,
            field,
            url[:200],
            refusal("url.host", field=field),
            ["http", "https"],
        )
        return ""
    if len(url) > max_length:
        _error(
            errors,
            field,
            url[:80] + "…",
            refusal("too-long", field=field, length=len(url), limit=max_length),
        )
        return ""
    return url


def _choice(
    data: Mapping[str, Any],
    field: str,
    vocabulary: Vocabulary,
    errors: Errors,
    *,
    prefix: str,
    default: str | None,
) -> str | None:
    """One of ``vocabulary``'s values; an absent value takes ``default`` (None: the field
    is optional and stays empty)."""
    value = data.get(field, default)
    if default is None and value in (None, ""):
        return None
    if value not in vocabulary.values:
        allowed = list(vocabulary.values)
        _error(
            errors,
            prefix + field,
            value,
            refusal("one-of", field=prefix + field, allowed=", ".join(allowed)),
            allowed,
        )
        return default
    return str(value)


def _year(data: Mapping[str, Any], field: str, errors: Errors, *, prefix: str) -> int | None:
    value = data.get(field)
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    low, high = LIMITS.year_min, LIMITS.year_max
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        _error(
            errors, prefix + field, value, refusal("year", field=prefix + field, low=low, high=high)
        )
        return None
    return value


def clean_date(value: Any, errors: Errors, *, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    _error(errors, field, value, refusal("date", field=field))
    return None


def clean_countries(value: Any, errors: Errors, *, field: str) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = [part for part in value.replace(";", ",").replace(" ", ",").split(",") if part]
    if not isinstance(value, list | tuple):
        _error(errors, field, value, refusal("countries.list", field=field))
        return []
    if len(value) > LIMITS.countries:
        _error(
            errors,
            field,
            len(value),
            refusal("countries.too-many", field=field, count=len(value), limit=LIMITS.countries),
        )
        return []
    codes: list[str] = []
    for code in value:
        if not isinstance(code, str) or code.strip().upper() not in COUNTRY_CODES:
            _error(
                errors,
                field,
                code,
                refusal("countries.code", field=field, code=repr(code)),
            )
            continue
        code = code.strip().upper()
        if code not in codes:
            codes.append(code)
    return codes


def clean_tags(value: Any, errors: Errors, *, field: str) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = [part for part in value.split(",")]
    if not isinstance(value, list | tuple) or not all(isinstance(tag, str) for tag in value):
        _error(errors, field, value, refusal("tags.list", field=field))
        return []
    if len(value) > LIMITS.tags:
        _error(
            errors,
            field,
            len(value),
            refusal("tags.too-many", field=field, count=len(value), limit=LIMITS.tags),
        )
        return []
    tags: list[str] = []
    for tag in value:
        if not _storable(tag, errors, field=field):
            continue
        tag = " ".join(tag.lower().split())
        if len(tag) > LIMITS.tag:
            _error(errors, field, tag[:60], refusal("tags.too-long", field=field, limit=LIMITS.tag))
        elif tag and tag not in tags:
            tags.append(tag)
    return tags


def clean_case(data: Mapping[str, Any], errors: Errors, *, partial: bool = False) -> dict[str, Any]:
    """Check the case's own fields. With ``partial`` only the fields present are checked."""
    if not isinstance(data, Mapping):
        _error(errors, "case", data, refusal("case.not-object"))
        return {}
    cleaned: dict[str, Any] = {}

    def wanted(field: str) -> bool:
        return not partial or field in data

    if wanted("slug"):
        slug = data.get("slug")
        if not isinstance(slug, str) or not SLUG_PATTERN.match(slug) or len(slug) > LIMITS.slug:
            _error(
                errors,
                "slug",
                slug,
                refusal("slug", limit=LIMITS.slug),
            )
        else:
            cleaned["slug"] = slug
    if wanted("name"):
        cleaned["name"] = _text(
            data, "name", errors, prefix="", max_length=LIMITS.name, required=True
        )
    if wanted("summary"):
        cleaned["summary"] = _text(
            data, "summary", errors, prefix="", max_length=LIMITS.summary, required=True
        )
    if wanted("description"):
        cleaned["description"] = _text(
            data, "description", errors, prefix="", max_length=MAX_TEXT, required=False
        )
    if wanted("website"):
        cleaned["website"] = clean_url(
            data.get("website"),
            errors,
            field="website",
            required=False,
            max_length=LIMITS.website,
        )
    if wanted("wikidata"):
        wikidata = data.get("wikidata")
        if wikidata in (None, ""):
            cleaned["wikidata"] = None
        elif not isinstance(wikidata, str) or not WIKIDATA_PATTERN.match(wikidata.strip()):
            _error(errors, "wikidata", wikidata, refusal("wikidata"))
        else:
            cleaned["wikidata"] = wikidata.strip()
    if wanted("countries"):
        cleaned["countries"] = clean_countries(data.get("countries"), errors, field="countries")
    for name, vocabulary in ((f.name, f.vocabulary) for f in CASE_FIELDS if f.vocabulary):
        if wanted(name):
            cleaned[name] = _choice(
                data, name, vocabulary, errors, prefix="", default=vocabulary.default
            )
    if wanted("founded"):
        cleaned["founded"] = _year(data, "founded", errors, prefix="")
    if wanted("ended"):
        cleaned["ended"] = _year(data, "ended", errors, prefix="")
    founded, ended = cleaned.get("founded"), cleaned.get("ended")
    if founded is not None and ended is not None and ended < founded:
        _error(
            errors, "ended", ended, refusal("ended-before-founded", ended=ended, founded=founded)
        )
    if wanted("tags"):
        cleaned["tags"] = clean_tags(data.get("tags"), errors, field="tags")
    return cleaned


def clean_language(value: Any, errors: Errors, *, field: str) -> str | None:
    """A language a case's text can be translated into (its code), or None (in ``errors``)."""
    allowed = list(CASE_LANGUAGES.values)
    if isinstance(value, str) and value.strip().lower() in allowed:
        return value.strip().lower()
    if isinstance(value, str) and value.strip().lower() == ORIGINAL_LANGUAGE:
        key, code = "language.original", repr(ORIGINAL_LANGUAGE)
    else:
        key, code = "language.unknown", repr(printable(value))
    text = refusal(key, field=field, code=code, allowed=", ".join(allowed))
    _error(errors, field, printable(value), text, allowed)
    return None


def clean_translation(
    data: Any, errors: Errors, *, prefix: str, editorial: bool = False
) -> dict[str, Any] | None:
    """One language's texts: name, summary and description ("" where not translated),
    each within the limit of the field it translates, and ``editorial`` (a boolean;
    ``editorial`` is taken when absent). None when it has a problem or no text."""
    where = prefix.rstrip(".")
    if not isinstance(data, Mapping):
        _error(
            errors,
            where,
            type(data).__name__,
            refusal("translation.not-object", field=where),
        )
        return None
    before = len(errors)
    for key in data:
        if key not in TRANSLATION_KEYS:
            text = refusal("unknown-field", name=repr(key))
            _error(errors, prefix + str(key), key, text, list(TRANSLATION_KEYS))
    translation: dict[str, Any] = {
        name: _text(
            data,
            name,
            errors,
            prefix=prefix,
            max_length=getattr(LIMITS, name),
            required=False,
        )
        for name in TRANSLATED_FIELDS
    }
    marker = data.get("editorial", editorial)
    if not isinstance(marker, bool):
        _error(errors, prefix + "editorial", marker, refusal("boolean", field=prefix + "editorial"))
    translation["editorial"] = marker is True
    if len(errors) > before:
        return None
    if not any(translation[name] for name in TRANSLATED_FIELDS):
        _error(
            errors,
            where,
            None,
            refusal("translation.empty", field=where, fields=", ".join(TRANSLATED_FIELDS)),
        )
        return None
    return translation


def clean_translations(
    value: Any, errors: Errors, *, field: str = TRANSLATIONS_KEY, partial: bool = False
) -> dict[str, dict[str, Any] | None]:
    """A case's translations: ``{language: {name, summary, description, editorial}}``.

    With ``partial`` (an edit) a language given as null is removed; languages not
    given are left as they are.
    """
    if value is None or value == "":
        return {}
    if not isinstance(value, Mapping):
        _error(
            errors,
            field,
            type(value).__name__,
            refusal("translations.not-object", field=field),
            list(CASE_LANGUAGES.values),
        )
        return {}
    cleaned: dict[str, dict[str, Any] | None] = {}
    for code, texts in value.items():
        language = clean_language(code, errors, field=f"{field}.{printable(code)}")
        if language is None:
            continue
        if language in cleaned:
            where = f"{field}.{language}"
            _error(errors, where, code, refusal("given-twice", field=where))
            continue
        if texts is None and partial:
            cleaned[language] = None
            continue
        translation = clean_translation(texts, errors, prefix=f"{field}.{language}.")
        if translation is not None:
            cleaned[language] = translation
    return cleaned


def clean_source(data: Any, errors: Errors, *, prefix: str = "source.") -> dict[str, Any]:
    if not isinstance(data, Mapping):
        _error(errors, prefix.rstrip("."), data, refusal("source.not-object"))
        return {}
    return {
        "url": clean_url(data.get("url"), errors, field=prefix + "url"),
        "title": _text(
            data, "title", errors, prefix=prefix, max_length=LIMITS.source_title, required=True
        ),
        "publisher": _text(
            data,
            "publisher",
            errors,
            prefix=prefix,
            max_length=LIMITS.source_publisher,
            required=False,
        ),
        "published": clean_date(data.get("published"), errors, field=prefix + "published"),
        "accessed": clean_date(data.get("accessed"), errors, field=prefix + "accessed"),
    }


def clean_period(value: Any, errors: Errors, *, field: str, required: bool) -> str | None:
    if value in (None, ""):
        if required:
            _error(errors, field, value, refusal("period.required", field=field))
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not PERIOD_PATTERN.match(value.strip()):
        _error(errors, field, value, refusal("period.format", field=field))
        return None
    period = value.strip()
    if len(period) == 10:
        try:
            dt.date.fromisoformat(period)
        except ValueError:
            _error(errors, field, period, refusal("period.not-a-date", field=field))
            return None
    return period


def classify_answers(answers: Any, errors: Errors, *, prefix: str) -> Classification | None:
    try:
        return classify(answers)
    except InvalidAnswers as exc:
        for problem in exc.errors:
            field = prefix + "answers" + (f".{problem.field}" if problem.field else "")
            # The ladder's own wording (keyed, so it translates), under the placement's name.
            errors.append(
                FieldError(
                    field=field,
                    received=problem.received,
                    allowed=problem.allowed,
                    message=problem.message,
                    text=problem.text,
                )
            )
        return None


def clean_placement(data: Any, errors: Errors, *, prefix: str = "placement.") -> dict[str, Any]:
    """Check a placement's answers, period and rationale (sources are resolved by the caller)."""
    if not isinstance(data, Mapping):
        _error(errors, prefix.rstrip("."), data, refusal("placement.not-object"))
        return {}
    result = classify_answers(data.get("answers"), errors, prefix=prefix)
    valid_from = clean_period(
        data.get("valid_from"), errors, field=prefix + "valid_from", required=True
    )
    valid_to = clean_period(data.get("valid_to"), errors, field=prefix + "valid_to", required=False)
    if valid_from and valid_to and valid_to < valid_from:
        _error(
            errors,
            prefix + "valid_to",
            valid_to,
            refusal(
                "period.order",
                field=prefix + "valid_to",
                end=valid_to,
                start_field=prefix + "valid_from",
                start=valid_from,
            ),
        )
    rationale = _text(
        data, "rationale", errors, prefix=prefix, max_length=LIMITS.rationale, required=True
    )
    return {
        "answers": dict(data.get("answers") or {}) if result else {},
        "classification": result,
        "valid_from": valid_from,
        "valid_to": valid_to,
        "rationale": rationale,
    }


def clean_relation(data: Any, errors: Errors, *, prefix: str = "relation.") -> dict[str, Any]:
    if not isinstance(data, Mapping):
        _error(errors, prefix.rstrip("."), data, refusal("relation.not-object"))
        return {}
    kind = _choice(data, "type", RELATION_TYPES, errors, prefix=prefix, default="")
    target = data.get("target")
    if not isinstance(target, str) or not SLUG_PATTERN.match(target):
        _error(
            errors, prefix + "target", target, refusal("relation.target", field=prefix + "target")
        )
        target = ""
    return {"type": kind, "target": target}


@dataclass(frozen=True)
class CheckedPlacement:
    """A placement that passed :func:`check_placement`.

    ``source_urls`` are every source it cites, in the order given; the ones given in
    full (not as the URL of a source of the case) are also in ``new_sources``, for
    the writer to add to the case. ``author`` is the account name the input gives
    (None: the writing account).
    """

    answers: dict[str, Any]
    classification: Classification
    valid_from: str
    valid_to: str | None
    rationale: str
    source_urls: tuple[str, ...]
    new_sources: tuple[dict[str, Any], ...]
    author: str | None

    def record(self, *, author: str, sources: list[str] | None = None) -> dict[str, Any]:
        """As a placement record (:mod:`~peerladder.catalogue.record`), for ``author``."""
        return {
            "answers": dict(self.answers),
            "valid_from": self.valid_from,
            "valid_to": self.valid_to,
            "rationale": self.rationale,
            "sources": list(self.source_urls if sources is None else sources),
            "author": author,
        }


@dataclass(frozen=True)
class CheckedCase:
    """An incoming case that passed :func:`check_case`.

    ``fields`` are the case's own fields (countries included) as the ``clean_*``
    functions leave them; ``translations`` its texts in other languages;
    ``sources`` the case's sources with distinct URLs, those cited in full by a
    placement included; ``relations`` as given (their targets
    are checked against the catalogue by the writer).
    """

    fields: dict[str, Any]
    sources: tuple[dict[str, Any], ...]
    placements: tuple[CheckedPlacement, ...]
    relations: tuple[RelationRecord, ...]
    translations: dict[str, dict[str, Any]] = field(default_factory=dict)

    def source_records(self) -> list[SourceRecord]:
        return [source_record(**source) for source in self.sources]


def _items(value: Any, errors: Errors, *, field: str, limit: int) -> list[Any]:
    """A list input (None: empty), at most ``limit`` long."""
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        _error(errors, field, type(value).__name__, refusal("list", field=field))
        return []
    if len(value) > limit:
        _error(
            errors,
            field,
            len(value),
            refusal("too-many", field=field, count=len(value), limit=limit),
        )
        return []
    return list(value)


def clean_author(value: Any, errors: Errors, *, field: str) -> str | None:
    """An account name (None when absent: the writing account)."""
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > LIMITS.author:
        _error(
            errors,
            field,
            value,
            refusal("author", field=field, limit=LIMITS.author),
        )
        return None
    return value.strip()


def check_placement(
    data: Any, errors: Errors, *, prefix: str, known_urls: Collection[str]
) -> CheckedPlacement | None:
    """Check one incoming placement: its answers, period, rationale, author and the
    sources it cites, each either the URL of one of ``known_urls`` (the case's
    sources) or a source given in full. None when it has a problem (in ``errors``)."""
    before = len(errors)
    cleaned = clean_placement(data, errors, prefix=prefix)
    if not isinstance(data, Mapping):
        return None
    refs = data.get("sources")
    if not isinstance(refs, list | tuple) or not refs:
        _error(
            errors,
            prefix + "sources",
            refs,
            refusal("placement.no-source", field=prefix + "sources"),
        )
        refs = []
    elif len(refs) > LIMITS.placement_sources:
        _error(
            errors,
            prefix + "sources",
            len(refs),
            refusal(
                "too-many",
                field=prefix + "sources",
                count=len(refs),
                limit=LIMITS.placement_sources,
            ),
        )
        refs = []
    urls: list[str] = []
    new_sources: list[dict[str, Any]] = []
    for number, ref in enumerate(refs):
        where = f"{prefix}sources[{number}]"
        if isinstance(ref, str):
            if ref.strip() not in known_urls:
                _error(errors, where, ref, refusal("placement.unknown-source", field=where))
            urls.append(ref.strip())
        else:
            source = clean_source(ref, errors, prefix=where + ".")
            if source.get("url"):
                urls.append(source["url"])
                new_sources.append(source)
    author = clean_author(data.get("author"), errors, field=prefix + "author")
    if len(errors) > before:
        return None
    return CheckedPlacement(
        answers=cleaned["answers"],
        classification=cleaned["classification"],
        valid_from=cleaned["valid_from"],
        valid_to=cleaned["valid_to"],
        rationale=cleaned["rationale"],
        source_urls=tuple(dict.fromkeys(urls)),
        new_sources=tuple(new_sources),
        author=author,
    )


def check_case(
    record: Any, errors: Errors, *, known_urls: Collection[str] = ()
) -> CheckedCase | None:
    """Check a whole incoming case record: unknown keys, the case's fields, its sources
    (distinct URLs), its placements (citing ``known_urls`` — sources the case already
    has — or sources of the record) and its relations. None when it has a problem;
    every problem is in ``errors``."""
    if not isinstance(record, Mapping):
        _error(errors, None, type(record).__name__, refusal("record.not-object"))
        return None
    before = len(errors)
    for key in record:
        if key not in RECORD_KEYS:
            _error(errors, key, key, refusal("unknown-field", name=repr(key)), list(RECORD_KEYS))
    fields = clean_case({key: record[key] for key in CASE_FIELD_NAMES if key in record}, errors)
    translations = {
        language: texts
        for language, texts in clean_translations(record.get(TRANSLATIONS_KEY), errors).items()
        if texts is not None
    }
    sources: dict[str, dict[str, Any]] = {}
    raw_sources = _items(record.get("sources"), errors, field="sources", limit=LIMITS.sources)
    for index, raw in enumerate(raw_sources):
        source = clean_source(raw, errors, prefix=f"sources[{index}].")
        url = source.get("url")
        if url in sources:
            where = f"sources[{index}].url"
            _error(errors, where, url, refusal("listed-twice", field=where))
        elif url:
            sources[url] = source
    known = {*known_urls, *sources}
    placements: list[CheckedPlacement] = []
    raw_placements = _items(
        record.get("placements"), errors, field="placements", limit=LIMITS.placements
    )
    for index, raw in enumerate(raw_placements):
        placement = check_placement(raw, errors, prefix=f"placements[{index}].", known_urls=known)
        if placement is not None:
            placements.append(placement)
            for source in placement.new_sources:
                sources.setdefault(source["url"], source)
    relations: list[RelationRecord] = []
    raw_relations = _items(
        record.get("relations"), errors, field="relations", limit=LIMITS.relations
    )
    for index, raw in enumerate(raw_relations):
        relation = clean_relation(raw, errors, prefix=f"relations[{index}].")
        if relation.get("type") and relation.get("target"):
            relations.append({"type": relation["type"], "target": relation["target"]})
    if len(errors) > before:
        return None
    return CheckedCase(
        fields=fields,
        sources=tuple(sources.values()),
        placements=tuple(placements),
        relations=tuple(relations),
        translations=translations,
    )
