"""Controlled lists of the catalogue (documented in docs/dataset-format.md).

Plain data, no Django: the models, forms, API schemas, data package and checks
all read their choices from here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from iso3166 import countries_by_alpha2


@dataclass(frozen=True)
class Vocabulary:
    """A closed list of values, each with a label for people."""

    name: str
    terms: tuple[tuple[str, str], ...]
    default: str | None = None

    @cached_property
    def values(self) -> tuple[str, ...]:
        # Read for every field of every imported record: made once per vocabulary.
        return tuple(value for value, _ in self.terms)

    @property
    def choices(self) -> list[tuple[str, str]]:
        """``(value, label)`` pairs, as Django fields and forms take them."""
        return list(self.terms)

    def label(self, value: str) -> str:
        return dict(self.terms).get(value, value)

    def __contains__(self, value: object) -> bool:
        return value in self.values


SECTORS = Vocabulary(
    "sector",
    (
        ("software", "Software and internet infrastructure"),
        ("knowledge", "Knowledge, education and science"),
        ("media", "Media and publishing"),
        ("commerce", "Retail and marketplaces"),
        ("travel", "Lodging and travel"),
        ("transport", "Transport and delivery"),
        ("manufacturing", "Manufacturing and hardware"),
        ("food", "Food and agriculture"),
        ("finance", "Finance"),
        ("energy", "Energy"),
        ("housing", "Housing"),
        ("health", "Health and care"),
        ("telecom", "Telecommunications"),
        ("design", "Design, fashion and crafts"),
        ("work", "Work and freelancing"),
        ("other", "Other"),
    ),
    default="other",
)

ORG_FORMS = Vocabulary(
    "org_form",
    (
        ("company", "Company"),
        ("nonprofit", "Non-profit"),
        ("cooperative", "Cooperative"),
        ("community", "Community without legal entity"),
        ("public", "Public body"),
        ("other", "Other"),
    ),
    default="other",
)

# The essay's distinction (model spec §2): what the participants produce.
PRODUCTIONS = Vocabulary(
    "production",
    (
        ("material", "Material: physical goods or services (food, energy, lodging, things)"),
        ("immaterial", "Immaterial: information, software, media, knowledge"),
        ("both", "Both, in substantial measure"),
    ),
)

RELATION_TYPES = Vocabulary(
    "type",
    (
        ("platform_for", "is a platform for"),
        ("fork_of", "is a fork of"),
        ("successor_of", "is the successor of"),
        ("governed_by", "is governed by"),
        ("spun_out_of", "was spun out of"),
    ),
)

# The languages a case's text can be translated into, by their codes as the site's
# URLs and Django's LANGUAGES spell them. English is not among them: a case's own
# name, summary and description are its English text.
CASE_LANGUAGES = Vocabulary(
    "language",
    (
        ("es", "Español"),
        ("fr", "Français"),
        ("pt-br", "Português (Brasil)"),
        ("de", "Deutsch"),
        ("it", "Italiano"),
    ),
)
# The language of a case's own text.
ORIGINAL_LANGUAGE = "en"

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
WIKIDATA_PATTERN = re.compile(r"^Q[1-9][0-9]{0,11}$")
PERIOD_PATTERN = re.compile(r"^[0-9]{4}(?:-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01]))?$")
# The countries a case can name. Their names, in the reader's language, are
# ``vocabulary_labels.country_label``.
COUNTRY_CODES: frozenset[str] = frozenset(countries_by_alpha2)
