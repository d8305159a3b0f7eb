"""Controlled lists of the catalogue (documented in docs/dataset-format.md)."""

from __future__ import annotations

import re

from django.db import models
from iso3166 import countries_by_alpha2


class Sector(models.TextChoices):
    SOFTWARE = "software", "Software and internet infrastructure"
    KNOWLEDGE = "knowledge", "Knowledge, education and science"
    MEDIA = "media", "Media and publishing"
    COMMERCE = "commerce", "Retail and marketplaces"
    TRAVEL = "travel", "Lodging and travel"
    TRANSPORT = "transport", "Transport and delivery"
    MANUFACTURING = "manufacturing", "Manufacturing and hardware"
    FOOD = "food", "Food and agriculture"
    FINANCE = "finance", "Finance"
    ENERGY = "energy", "Energy"
    HOUSING = "housing", "Housing"
    HEALTH = "health", "Health and care"
    TELECOM = "telecom", "Telecommunications"
    DESIGN = "design", "Design, fashion and crafts"
    WORK = "work", "Work and freelancing"
    OTHER = "other", "Other"


class OrgForm(models.TextChoices):
    COMPANY = "company", "Company"
    NONPROFIT = "nonprofit", "Non-profit"
    COOPERATIVE = "cooperative", "Cooperative"
    COMMUNITY = "community", "Community without legal entity"
    PUBLIC = "public", "Public body"
    OTHER = "other", "Other"


class RelationType(models.TextChoices):
    PLATFORM_FOR = "platform_for", "is a platform for"
    FORK_OF = "fork_of", "is a fork of"
    SUCCESSOR_OF = "successor_of", "is the successor of"
    GOVERNED_BY = "governed_by", "is governed by"
    SPUN_OUT_OF = "spun_out_of", "was spun out of"


SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
WIKIDATA_PATTERN = re.compile(r"^Q[1-9][0-9]{0,11}$")
PERIOD_PATTERN = re.compile(r"^[0-9]{4}(?:-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01]))?$")
COUNTRY_CODES: frozenset[str] = frozenset(countries_by_alpha2)


def country_name(code: str) -> str:
    country = countries_by_alpha2.get(code)
    return country.name if country else code
