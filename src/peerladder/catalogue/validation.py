"""Checks of plain input dicts, shared by services, forms, the API and importers.

Each ``clean_*`` function returns the cleaned values and appends every problem it
finds to ``errors`` (never only the first), each naming the field, the value
received and what is allowed.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from peerladder.catalogue.vocabulary import (
    COUNTRY_CODES,
    PERIOD_PATTERN,
    SLUG_PATTERN,
    WIKIDATA_PATTERN,
    OrgForm,
    RelationType,
    Sector,
)
from peerladder.ladder import FieldError, InvalidAnswers, classify
from peerladder.ladder.result import Classification

Errors = list[FieldError]

CASE_FIELDS = (
    "slug",
    "name",
    "summary",
    "description",
    "website",
    "wikidata",
    "countries",
    "sector",
    "org_form",
    "founded",
    "ended",
    "tags",
)
# Everything but the slug, which names the case and never changes.
EDITABLE_CASE_FIELDS = CASE_FIELDS[1:]
SOURCE_FIELDS = ("url", "title", "publisher", "published", "accessed")
PLACEMENT_FIELDS = ("answers", "valid_from", "valid_to", "rationale", "sources", "author")
MAX_TEXT = 100_000
_SPACE = re.compile(r"\s")
# An http(s) URL with a plain host name and no spaces: one that urlsplit accepts too.
_PLAIN_URL = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:[/?#][^\s]*)?\Z")


def _error(errors: Errors, field: str, received: Any, message: str, allowed: Any = None) -> None:
    errors.append(FieldError(field=field, received=received, allowed=allowed, message=message))


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
        _error(errors, name, value, f"{name} must be text, not {type(value).__name__}")
        return ""
    value = value.strip()
    if "\x00" in value:
        _error(errors, name, value[:80], f"{name} contains a NUL character")
        return ""
    if required and not value:
        _error(errors, name, data.get(field), f"{name} is required")
    if len(value) > max_length:
        _error(
            errors,
            name,
            value[:80] + "…",
            f"{name} is {len(value)} characters long; at most {max_length} are allowed",
        )
    return value


def clean_url(value: Any, errors: Errors, *, field: str, required: bool = True) -> str:
    """An absolute http(s) URL, or '' when optional and absent."""
    if value in (None, "") and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        _error(errors, field, value, f"{field} must be an http:// or https:// URL")
        return ""
    value = value.strip()
    if _PLAIN_URL.match(value) and len(value) <= 1000:
        return value  # the common case, without taking the URL apart
    try:
        parts = urlsplit(value)
    except ValueError:
        parts = None
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.netloc
        or _SPACE.search(value)
        or len(value) > 1000
    ):
        _error(
            errors,
            field,
            value[:200],
            f"{field} must be an http:// or https:// URL with a host",
            ["http", "https"],
        )
        return ""
    return value


@functools.cache
def _values(choices: Any) -> tuple[str, ...]:
    return tuple(choices.values)


def _choice(
    data: Mapping[str, Any], field: str, choices: Any, errors: Errors, *, prefix: str, default: str
) -> str:
    value = data.get(field, default)
    if value not in _values(choices):
        allowed = list(_values(choices))
        _error(
            errors,
            prefix + field,
            value,
            f"{prefix}{field} must be one of {', '.join(allowed)}",
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
    if not isinstance(value, int) or isinstance(value, bool) or not 1000 <= value <= 2200:
        _error(errors, prefix + field, value, f"{prefix}{field} must be a year from 1000 to 2200")
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
    _error(errors, field, value, f"{field} must be a date written YYYY-MM-DD")
    return None


def clean_countries(value: Any, errors: Errors, *, field: str) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = [part for part in value.replace(";", ",").replace(" ", ",").split(",") if part]
    if not isinstance(value, list | tuple):
        _error(errors, field, value, f"{field} must be a list of ISO 3166-1 alpha-2 codes")
        return []
    codes: list[str] = []
    for code in value:
        if not isinstance(code, str) or code.strip().upper() not in COUNTRY_CODES:
            _error(
                errors,
                field,
                code,
                f"{field}: {code!r} is not an ISO 3166-1 alpha-2 country code (such as US, DE, ES)",
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
        _error(errors, field, value, f"{field} must be a list of short texts")
        return []
    tags: list[str] = []
    for tag in value:
        tag = " ".join(tag.lower().split())
        if len(tag) > 50:
            _error(errors, field, tag[:60], f"{field}: a tag has at most 50 characters")
        elif tag and tag not in tags:
            tags.append(tag)
    return tags


def clean_case(data: Mapping[str, Any], errors: Errors, *, partial: bool = False) -> dict[str, Any]:
    """Check the case's own fields. With ``partial`` only the fields present are checked."""
    if not isinstance(data, Mapping):
        _error(errors, "case", data, "a case must be an object with named fields")
        return {}
    cleaned: dict[str, Any] = {}

    def wanted(field: str) -> bool:
        return not partial or field in data

    if wanted("slug"):
        slug = data.get("slug")
        if not isinstance(slug, str) or not SLUG_PATTERN.match(slug) or len(slug) > 80:
            _error(
                errors,
                "slug",
                slug,
                "slug must be lowercase letters and digits joined by single hyphens, "
                "at most 80 characters",
            )
        else:
            cleaned["slug"] = slug
    if wanted("name"):
        cleaned["name"] = _text(data, "name", errors, prefix="", max_length=200, required=True)
    if wanted("summary"):
        cleaned["summary"] = _text(
            data, "summary", errors, prefix="", max_length=500, required=True
        )
    if wanted("description"):
        cleaned["description"] = _text(
            data, "description", errors, prefix="", max_length=MAX_TEXT, required=False
        )
    if wanted("website"):
        cleaned["website"] = clean_url(data.get("website"), errors, field="website", required=False)
    if wanted("wikidata"):
        wikidata = data.get("wikidata")
        if wikidata in (None, ""):
            cleaned["wikidata"] = None
        elif not isinstance(wikidata, str) or not WIKIDATA_PATTERN.match(wikidata.strip()):
            _error(errors, "wikidata", wikidata, "wikidata must be Q followed by digits, like Q52")
        else:
            cleaned["wikidata"] = wikidata.strip()
    if wanted("countries"):
        cleaned["countries"] = clean_countries(data.get("countries"), errors, field="countries")
    if wanted("sector"):
        cleaned["sector"] = _choice(data, "sector", Sector, errors, prefix="", default="other")
    if wanted("org_form"):
        cleaned["org_form"] = _choice(data, "org_form", OrgForm, errors, prefix="", default="other")
    if wanted("founded"):
        cleaned["founded"] = _year(data, "founded", errors, prefix="")
    if wanted("ended"):
        cleaned["ended"] = _year(data, "ended", errors, prefix="")
    founded, ended = cleaned.get("founded"), cleaned.get("ended")
    if founded is not None and ended is not None and ended < founded:
        _error(errors, "ended", ended, f"ended ({ended}) is before founded ({founded})")
    if wanted("tags"):
        cleaned["tags"] = clean_tags(data.get("tags"), errors, field="tags")
    return cleaned


def clean_source(data: Any, errors: Errors, *, prefix: str = "source.") -> dict[str, Any]:
    if not isinstance(data, Mapping):
        _error(errors, prefix.rstrip("."), data, "a source must be an object with a url and title")
        return {}
    return {
        "url": clean_url(data.get("url"), errors, field=prefix + "url"),
        "title": _text(data, "title", errors, prefix=prefix, max_length=300, required=True),
        "publisher": _text(
            data, "publisher", errors, prefix=prefix, max_length=200, required=False
        ),
        "published": clean_date(data.get("published"), errors, field=prefix + "published"),
        "accessed": clean_date(data.get("accessed"), errors, field=prefix + "accessed"),
    }


def clean_period(value: Any, errors: Errors, *, field: str, required: bool) -> str | None:
    if value in (None, ""):
        if required:
            _error(errors, field, value, f"{field} is required (YYYY or YYYY-MM-DD)")
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not PERIOD_PATTERN.match(value.strip()):
        _error(errors, field, value, f"{field} must be a year (YYYY) or a date (YYYY-MM-DD)")
        return None
    value = value.strip()
    if len(value) == 10:
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            _error(errors, field, value, f"{field} is not a real date")
            return None
    return value


def classify_answers(answers: Any, errors: Errors, *, prefix: str) -> Classification | None:
    try:
        return classify(answers)
    except InvalidAnswers as exc:
        for problem in exc.errors:
            field = prefix + "answers" + (f".{problem.field}" if problem.field else "")
            errors.append(
                FieldError(
                    field=field,
                    received=problem.received,
                    allowed=problem.allowed,
                    message=problem.message,
                )
            )
        return None


def clean_placement(data: Any, errors: Errors, *, prefix: str = "placement.") -> dict[str, Any]:
    """Check a placement's answers, period and rationale (sources are resolved by the caller)."""
    if not isinstance(data, Mapping):
        _error(errors, prefix.rstrip("."), data, "a placement must be an object with answers")
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
            f"{prefix}valid_to ({valid_to}) is before {prefix}valid_from ({valid_from})",
        )
    rationale = _text(data, "rationale", errors, prefix=prefix, max_length=20_000, required=True)
    return {
        "answers": dict(data.get("answers") or {}) if result else {},
        "classification": result,
        "valid_from": valid_from,
        "valid_to": valid_to,
        "rationale": rationale,
    }


def clean_relation(data: Any, errors: Errors, *, prefix: str = "relation.") -> dict[str, Any]:
    if not isinstance(data, Mapping):
        _error(
            errors, prefix.rstrip("."), data, "a relation must be an object with type and target"
        )
        return {}
    kind = _choice(data, "type", RelationType, errors, prefix=prefix, default="")
    target = data.get("target")
    if not isinstance(target, str) or not SLUG_PATTERN.match(target):
        _error(errors, prefix + "target", target, f"{prefix}target must be the slug of a case")
        target = ""
    return {"type": kind, "target": target}
