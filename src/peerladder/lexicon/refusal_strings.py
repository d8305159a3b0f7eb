"""Every wording of a refusal, for ``makemessages``: generated, do not edit.

Written by ``python -m peerladder.lexicon.generate`` (``make ladder-messages``) from
``peerladder/errors.py``; the context of each wording is its key.
"""

from django.utils.translation import pgettext_lazy

REFUSAL_STRINGS = (
    # Translators: keep {field}, {kind} as written; they are filled in.
    pgettext_lazy("refusal.not-text", "{field} must be text, not {kind}"),
    # Translators: keep {field}, {character}, {position} as written; they are filled in.
    pgettext_lazy("refusal.unstorable", "{field} contains a character that cannot be stored ({character} at character {position}): a NUL, a lone surrogate or a Unicode non-character"),
    # Translators: keep {field} as written; they are filled in.
    pgettext_lazy("refusal.required", "{field} is required"),
    # Translators: keep {field}, {length}, {limit} as written; they are filled in.
    pgettext_lazy("refusal.too-long", "{field} is {length} characters long; at most {limit} are allowed"),
    # Translators: keep {field}, {allowed} as written; they are filled in.
    pgettext_lazy("refusal.one-of", "{field} must be one of {allowed}"),
    # Translators: keep {field} as written; they are filled in.
    pgettext_lazy("refusal.boolean", "{field} must be true or false"),
    # Translators: keep {field} as written; they are filled in.
    pgettext_lazy("refusal.list", "{field} must be a list"),
    # Translators: keep {field}, {count}, {limit} as written; they are filled in.
    pgettext_lazy("refusal.too-many", "{field} has {count} items; at most {limit} are allowed"),
    # Translators: keep {name} as written; they are filled in.
    pgettext_lazy("refusal.unknown-field", "unknown field {name}"),
    # Translators: keep {field} as written; they are filled in.
    pgettext_lazy("refusal.given-twice", "{field} is given twice"),
    # Translators: keep {field} as written; they are filled in.
    pgettext_lazy("refusal.listed-twice", "{field} is listed twice"),
    # Translators: keep {field} as written; they are filled in.
    pgettext_lazy("refusal.url", "{field} must be an http:// or https:// URL"),
    # Translators: keep {field} as written; they are filled in.
    pgettext_lazy("refusal.url.host", "{field} must be an http:// or https:// URL with a host"),
    # Translators: keep {field}, {low}, {high} as written; they are filled in.
    pgettext_lazy("refusal.year", "{field} must be a year from {low} to {high}"),
    # Translators: keep {field} as written; they are filled in.
    pgettext_lazy("refusal.date", "{field} must be a date written YYYY-MM-DD"),
    pgettext_lazy("refusal.record.not-object", "a case record must be an object"),
    pgettext_lazy("refusal.case.not-object", "a case must be an object with named fields"),
    # Translators: keep {limit} as written; they are filled in.
    pgettext_lazy("refusal.slug", "slug must be lowercase letters and digits joined by single hyphens, at most {limit} characters"),
    pgettext_lazy("refusal.wikidata", "wikidata must be Q followed by digits, like Q52"),
    # Translators: keep {ended}, {founded} as written; they are filled in.
    pgettext_lazy("refusal.ended-before-founded", "ended ({ended}) is before founded ({founded})"),
    # Translators: keep {field} as written; they are filled in.
    pgettext_lazy("refusal.countries.list", "{field} must be a list of ISO 3166-1 alpha-2 codes"),
    # Translators: keep {field}, {count}, {limit} as written; they are filled in.
    pgettext_lazy("refusal.countries.too-many", "{field} has {count} codes; at most {limit} are allowed"),
    # Translators: keep {field}, {code} as written; they are filled in.
    pgettext_lazy("refusal.countries.code", "{field}: {code} is not an ISO 3166-1 alpha-2 country code (such as US, DE, ES)"),
    # Translators: keep {field} as written; they are filled in.
    pgettext_lazy("refusal.tags.list", "{field} must be a list of short texts"),
    # Translators: keep {field}, {count}, {limit} as written; they are filled in.
    pgettext_lazy("refusal.tags.too-many", "{field} has {count} tags; at most {limit} are allowed"),
    # Translators: keep {field}, {limit} as written; they are filled in.
    pgettext_lazy("refusal.tags.too-long", "{field}: a tag has at most {limit} characters"),
    # Translators: keep {field}, {code}, {allowed} as written; they are filled in.
    pgettext_lazy("refusal.language.original", "{field}: {code} is the case's own text (its name, summary and description), not a translation; one of {allowed}"),
    # Translators: keep {field}, {code}, {allowed} as written; they are filled in.
    pgettext_lazy("refusal.language.unknown", "{field}: {code} is not a language case text is translated into; one of {allowed}"),
    # Translators: keep {field} as written; they are filled in.
    pgettext_lazy("refusal.translation.not-object", "{field} must be an object with a name, summary or description"),
    # Translators: keep {field}, {fields} as written; they are filled in.
    pgettext_lazy("refusal.translation.empty", "{field} has no text: give a {fields} (or remove it)"),
    # Translators: keep {field} as written; they are filled in.
    pgettext_lazy("refusal.translations.not-object", "{field} must be an object whose keys are language codes"),
    pgettext_lazy("refusal.source.not-object", "a source must be an object with a url and title"),
    # Translators: keep {field} as written; they are filled in.
    pgettext_lazy("refusal.period.required", "{field} is required (YYYY or YYYY-MM-DD)"),
    # Translators: keep {field} as written; they are filled in.
    pgettext_lazy("refusal.period.format", "{field} must be a year (YYYY) or a date (YYYY-MM-DD)"),
    # Translators: keep {field} as written; they are filled in.
    pgettext_lazy("refusal.period.not-a-date", "{field} is not a real date"),
    # Translators: keep {field}, {end}, {start_field}, {start} as written; they are filled in.
    pgettext_lazy("refusal.period.order", "{field} ({end}) is before {start_field} ({start})"),
    pgettext_lazy("refusal.placement.not-object", "a placement must be an object with answers"),
    # Translators: keep {field} as written; they are filled in.
    pgettext_lazy("refusal.placement.no-source", "{field} needs at least one source"),
    # Translators: keep {field} as written; they are filled in.
    pgettext_lazy("refusal.placement.unknown-source", "{field} is not one of the case's sources"),
    # Translators: keep {field}, {limit} as written; they are filled in.
    pgettext_lazy("refusal.author", "{field} must be an account name of 1 to {limit} characters"),
    pgettext_lazy("refusal.relation.not-object", "a relation must be an object with type and target"),
    # Translators: keep {field} as written; they are filled in.
    pgettext_lazy("refusal.relation.target", "{field} must be the slug of a case"),
    # Translators: keep {slug} as written; they are filled in.
    pgettext_lazy("refusal.slug.taken", "a case with slug {slug} exists"),
    pgettext_lazy("refusal.identity.taken", "the slug or Wikidata id is taken"),
    pgettext_lazy("refusal.identity.taken-in-batch", "a slug or Wikidata id of these cases is taken"),
    # Translators: keep {slug}, {current} as written; they are filled in.
    pgettext_lazy("refusal.slug.former", "{slug} was the slug of the case now at {current}, and still leads there"),
    # Translators: keep {wikidata} as written; they are filled in.
    pgettext_lazy("refusal.wikidata.taken", "another case already has Wikidata id {wikidata}"),
    pgettext_lazy("refusal.source.cited", "this case already cites that URL"),
    # Translators: keep {slug} as written; they are filled in.
    pgettext_lazy("refusal.case.unknown", "no case has slug {slug}"),
    pgettext_lazy("refusal.relation.self", "a case cannot relate to itself"),
    pgettext_lazy("refusal.relation.exists", "this relation exists already"),
    pgettext_lazy("refusal.placement.retracted", "already retracted"),
    # Translators: keep {revision} as written; they are filled in.
    pgettext_lazy("refusal.revision.unknown", "the case has no revision {revision}"),
    pgettext_lazy("refusal.stars", "stars must be a whole number 1 to 5"),
    # Translators: keep {state} as written; they are filled in.
    pgettext_lazy("refusal.edit.closed", "this edit is {state}"),
    pgettext_lazy("refusal.edit.case-gone", "the case no longer exists"),
    # Translators: keep {expected}, {current} as written; they are filled in.
    pgettext_lazy("refusal.edit.conflict", "the case changed since revision {expected}; it is now at revision {current}"),
    pgettext_lazy("refusal.edit.held", "your edit waits for a moderator's review: the first edits of a new account are checked before they appear"),
    pgettext_lazy("refusal.not-allowed.blocked-editing", "this account is blocked from editing"),
    pgettext_lazy("refusal.not-allowed.blocked", "this account is blocked"),
    pgettext_lazy("refusal.not-allowed.blocked-tokens", "this account is blocked: it cannot make API tokens"),
    pgettext_lazy("refusal.not-allowed.locked", "this case is locked: only moderators may edit it"),
    pgettext_lazy("refusal.not-allowed.moderators-only", "only moderators may do this"),
    pgettext_lazy("refusal.not-allowed.block-self", "moderators cannot block themselves"),
    pgettext_lazy("refusal.not-allowed.block-admin", "only an admin may block an admin"),
    pgettext_lazy("refusal.not-allowed.retract", "only its author or a moderator may retract a placement"),
    pgettext_lazy("refusal.not-allowed.revoke-token", "only the token's owner or a moderator may revoke it"),
    # Translators: keep {field} as written; they are filled in.
    pgettext_lazy("refusal.not-allowed.editorial", "{field}: only moderators and admins may mark a translation as the editors' own; leave editorial out (or false) to write it as your translation"),
    # Translators: keep {seconds} as written; they are filled in.
    pgettext_lazy("refusal.rate.edits", "too many edits: try again in {seconds} seconds"),
    # Translators: keep {seconds} as written; they are filled in.
    pgettext_lazy("refusal.rate.logins", "too many login attempts: try again in {seconds} seconds"),
    pgettext_lazy("refusal.username.format", "a user name is 1-150 letters, digits or @.+-_"),
    # Translators: keep {name} as written; they are filled in.
    pgettext_lazy("refusal.username.taken", "the name {name} is taken"),
    # Translators: keep {lang}, {allowed} as written; they are filled in.
    pgettext_lazy("refusal.request.lang", "{lang} is not a language of peerladder; lang must be one of {allowed}"),
    # Translators: keep {allowed} as written; they are filled in.
    pgettext_lazy("refusal.request.case-lang", "lang must be one of {allowed}"),
    # Translators: keep {reason} as written; they are filled in.
    pgettext_lazy("refusal.request.not-json", "the request body is not valid JSON ({reason})"),
    pgettext_lazy("refusal.request.not-object", "the request body must be a JSON object"),
    # Translators: keep {reason} as written; they are filled in.
    pgettext_lazy("refusal.request.answers-not-json", "the body is not valid JSON ({reason}); send one JSON object of answers"),
    pgettext_lazy("refusal.request.answers-empty", "the body is not valid JSON (the body is empty); send one JSON object of answers"),
    # Translators: keep {limit} as written; they are filled in.
    pgettext_lazy("refusal.request.too-big", "the body is larger than {limit} bytes; send one JSON object of answers"),
    # Translators: keep {slug}, {placement} as written; they are filled in.
    pgettext_lazy("refusal.request.no-placement", "case {slug} has no active placement {placement}"),
    # Translators: keep {field} as written; they are filled in.
    pgettext_lazy("refusal.request.invalid", "{field} is not a valid value"),
    pgettext_lazy("refusal.request.unauthorized", "Unauthorized"),
    pgettext_lazy("refusal.request.if-match-missing", "send If-Match with the ETag of the revision you edited"),
    # Translators: keep {header} as written; they are filled in.
    pgettext_lazy("refusal.request.if-match-unknown", "If-Match {header} names no revision of this case: send the strong ETag you read, like \"rev-3\" (a weak W/ tag never matches), or *"),
)
