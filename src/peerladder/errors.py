"""Domain refusals shared by every app (accounts, catalogue, interchange), and every
wording of a refusal; the API, the CLI and the pages map them to 4xx in one place.

Each wording is keyed so that the shells can translate it: the check of an incoming
case (:mod:`peerladder.catalogue.validation`), the services and the API refuse with a
:class:`~peerladder.ladder.FieldError` (or a :class:`CatalogueError`) whose text is one
of :data:`REFUSALS`, its values filled in by name (``{field}``, ``{limit}``). The
English is written here once: it is the message of the error (what the CLI, the
importer's report and the tests read), and the API's and the forms' text when no other
language is asked for. The pages and the API show it in the reader's language through
:mod:`peerladder.lexicon` (catalogue ``src/peerladder/locale``, each entry's context its
key; ``lexicon/refusal_strings.py`` lists them for ``makemessages``). Field names,
received values and lists of allowed values are filled in as they are: they are the
same in every language.
"""

from __future__ import annotations

from collections.abc import Sequence

from peerladder.ladder import FieldError, Lookup, Message, english
from peerladder.text import Unstorable, printable

__all__ = [
    "REFUSALS",
    "CatalogueError",
    "EditConflict",
    "InvalidInput",
    "NotAllowed",
    "refusal",
    "unstorable_refusal",
]

_ENGLISH: dict[str, str] = {
    # Any field.
    "not-text": "{field} must be text, not {kind}",
    "unstorable": "{field} contains a character that cannot be stored ({character} at "
    "character {position}): a NUL, a lone surrogate or a Unicode non-character",
    "required": "{field} is required",
    "too-long": "{field} is {length} characters long; at most {limit} are allowed",
    "one-of": "{field} must be one of {allowed}",
    "boolean": "{field} must be true or false",
    "list": "{field} must be a list",
    "too-many": "{field} has {count} items; at most {limit} are allowed",
    "unknown-field": "unknown field {name}",
    "given-twice": "{field} is given twice",
    "listed-twice": "{field} is listed twice",
    "url": "{field} must be an http:// or https:// URL",
    "url.host": "{field} must be an http:// or https:// URL with a host",
    "year": "{field} must be a year from {low} to {high}",
    "date": "{field} must be a date written YYYY-MM-DD",
    # The case's own fields.
    "record.not-object": "a case record must be an object",
    "case.not-object": "a case must be an object with named fields",
    "slug": "slug must be lowercase letters and digits joined by single hyphens, at most "
    "{limit} characters",
    "wikidata": "wikidata must be Q followed by digits, like Q52",
    "ended-before-founded": "ended ({ended}) is before founded ({founded})",
    "countries.list": "{field} must be a list of ISO 3166-1 alpha-2 codes",
    "countries.too-many": "{field} has {count} codes; at most {limit} are allowed",
    "countries.code": "{field}: {code} is not an ISO 3166-1 alpha-2 country code (such as "
    "US, DE, ES)",
    "tags.list": "{field} must be a list of short texts",
    "tags.too-many": "{field} has {count} tags; at most {limit} are allowed",
    "tags.too-long": "{field}: a tag has at most {limit} characters",
    # Translations of a case's text.
    "language.original": "{field}: {code} is the case's own text (its name, summary and "
    "description), not a translation; one of {allowed}",
    "language.unknown": "{field}: {code} is not a language case text is translated into; "
    "one of {allowed}",
    "translation.not-object": "{field} must be an object with a name, summary or description",
    "translation.empty": "{field} has no text: give a {fields} (or remove it)",
    "translations.not-object": "{field} must be an object whose keys are language codes",
    # Sources, placements, relations.
    "source.not-object": "a source must be an object with a url and title",
    "period.required": "{field} is required (YYYY or YYYY-MM-DD)",
    "period.format": "{field} must be a year (YYYY) or a date (YYYY-MM-DD)",
    "period.not-a-date": "{field} is not a real date",
    "period.order": "{field} ({end}) is before {start_field} ({start})",
    "placement.not-object": "a placement must be an object with answers",
    "placement.no-source": "{field} needs at least one source",
    "placement.unknown-source": "{field} is not one of the case's sources",
    "author": "{field} must be an account name of 1 to {limit} characters",
    "relation.not-object": "a relation must be an object with type and target",
    "relation.target": "{field} must be the slug of a case",
    # Against the stored catalogue (the services).
    "slug.taken": "a case with slug {slug} exists",
    "identity.taken": "the slug or Wikidata id is taken",
    "identity.taken-in-batch": "a slug or Wikidata id of these cases is taken",
    "slug.former": "{slug} was the slug of the case now at {current}, and still leads there",
    "wikidata.taken": "another case already has Wikidata id {wikidata}",
    "source.cited": "this case already cites that URL",
    "case.unknown": "no case has slug {slug}",
    "relation.self": "a case cannot relate to itself",
    "relation.exists": "this relation exists already",
    "placement.retracted": "already retracted",
    "revision.unknown": "the case has no revision {revision}",
    "stars": "stars must be a whole number 1 to 5",
    "edit.closed": "this edit is {state}",
    "edit.case-gone": "the case no longer exists",
    "edit.conflict": "the case changed since revision {expected}; it is now at revision {current}",
    "edit.held": "your edit waits for a moderator's review: the first edits of a new account "
    "are checked before they appear",
    # What an account may not do.
    "not-allowed.blocked-editing": "this account is blocked from editing",
    "not-allowed.blocked": "this account is blocked",
    "not-allowed.blocked-tokens": "this account is blocked: it cannot make API tokens",
    "not-allowed.locked": "this case is locked: only moderators may edit it",
    "not-allowed.moderators-only": "only moderators may do this",
    "not-allowed.block-self": "moderators cannot block themselves",
    "not-allowed.block-admin": "only an admin may block an admin",
    "not-allowed.retract": "only its author or a moderator may retract a placement",
    "not-allowed.revoke-token": "only the token's owner or a moderator may revoke it",
    "not-allowed.editorial": "{field}: only moderators and admins may mark a translation as "
    "the editors' own; leave editorial out (or false) to write it as your translation",
    "rate.edits": "too many edits: try again in {seconds} seconds",
    "rate.logins": "too many login attempts: try again in {seconds} seconds",
    # Accounts.
    "username.format": "a user name is 1-150 letters, digits or @.+-_",
    "username.taken": "the name {name} is taken",
    # The API's reading of a request.
    "request.lang": "{lang} is not a language of peerladder; lang must be one of {allowed}",
    "request.case-lang": "lang must be one of {allowed}",
    "request.not-json": "the request body is not valid JSON ({reason})",
    "request.not-object": "the request body must be a JSON object",
    "request.answers-not-json": "the body is not valid JSON ({reason}); send one JSON object "
    "of answers",
    "request.answers-empty": "the body is not valid JSON (the body is empty); send one JSON "
    "object of answers",
    "request.too-big": "the body is larger than {limit} bytes; send one JSON object of answers",
    "request.no-placement": "case {slug} has no active placement {placement}",
    "request.invalid": "{field} is not a valid value",
    "request.unauthorized": "Unauthorized",
    "request.if-match-missing": "send If-Match with the ETag of the revision you edited",
    "request.if-match-unknown": "If-Match {header} names no revision of this case: send the "
    'strong ETag you read, like "rev-3" (a weak W/ tag never matches), or *',
}

REFUSALS: dict[str, Message] = {
    key: Message(f"refusal.{key}", english) for key, english in _ENGLISH.items()
}


def refusal(key: str, **params: object) -> Message:
    """The refusal ``key`` with its values (``refusal("required", field="name")``)."""
    return REFUSALS[key].filled(**params)


def unstorable_refusal(field: str, problem: Unstorable) -> Message:
    """The one wording of a text refused for a character no database can hold."""
    return refusal(
        "unstorable", field=field, character=problem.character, position=problem.position
    )


class CatalogueError(Exception):
    """Base of every refusal a service can give. ``text`` is its wording as a keyed text
    (None: a plain English message, shown as it is)."""

    text: Message | None = None

    def __init__(self, message: str | Message = "") -> None:
        if isinstance(message, Message):
            self.text = message
        super().__init__(str(message))

    def shown(self, lookup: Lookup = english) -> str:
        """The refusal in the language of ``lookup``."""
        if self.text is None or lookup is english:
            return str(self)
        return self.text.render(lookup)


class InvalidInput(CatalogueError):
    """The input breaks a rule; ``errors`` names every field, value and what is allowed."""

    def __init__(self, errors: Sequence[FieldError]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(error.message for error in self.errors))

    def shown(self, lookup: Lookup = english) -> str:
        """Every problem's message in the language of ``lookup``."""
        return "; ".join(error.shown(lookup) for error in self.errors)

    def as_list(self, lookup: Lookup = english) -> list[dict[str, object]]:
        """The errors as JSON-ready dicts, their messages through ``lookup``, with any
        text no encoder can hold replaced."""
        return [printable(error.as_dict(lookup)) for error in self.errors]


class EditConflict(CatalogueError):
    """Someone else changed the case since the revision the edit started from."""

    def __init__(self, *, expected: int, current: int) -> None:
        self.expected = expected
        self.current = current
        super().__init__(refusal("edit.conflict", expected=expected, current=current))


class NotAllowed(CatalogueError):
    """The account may not make this change (a locked case, a blocked account, another's
    placement). ``field`` names the part of the input refused, where one is."""

    def __init__(self, message: str | Message = "", *, field: str | None = None) -> None:
        self.field = field
        super().__init__(message)
