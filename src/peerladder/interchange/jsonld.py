"""JSON-LD: each case as a schema.org Organization, with the ladder's terms (rung,
economy, placements...) defined by a published context at ``/api/context.jsonld``.

schema.org is used only for what it defines (Organization, name, foundingDate...);
the ladder's own terms are the site's vocabulary, published at ``/ns/ladder``
(:func:`vocabulary_document`), each with a label and a definition."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import orjson

from peerladder.catalogue.record_stream import CaseRow
from peerladder.catalogue.vocabulary import ORIGINAL_LANGUAGE
from peerladder.interchange.citations import resolve_base_url
from peerladder.interchange.exporters import CaseStream, Exporter

__all__ = [
    "CONTEXT_PATH",
    "TERMS",
    "VOCABULARY_PATH",
    "JsonLdExporter",
    "Term",
    "case_node",
    "context_document",
    "vocabulary_document",
]

CONTEXT_PATH = "/api/context.jsonld"
VOCABULARY_PATH = "/ns/ladder"


@dataclass(frozen=True)
class Term:
    """One term of the ladder's vocabulary: a class or a property."""

    name: str
    kind: str  # "Class" or "Property"
    label: str
    comment: str
    range: str | None = None


# The ladder's own terms: everything the export says that schema.org does not define.
TERMS: tuple[Term, ...] = (
    Term(
        "Placement",
        "Class",
        "placement",
        "One contributor's answers about a case for one period, the rung the ladder's "
        "decision procedure gives them, a rationale and the sources it rests on.",
    ),
    Term(
        "placement",
        "Property",
        "placements",
        "The placements of a case, in order of the periods they describe.",
        "pl:Placement",
    ),
    Term(
        "rung",
        "Property",
        "rung",
        "Where a case stands on the ladder of participation: 1 to 5 in the firm view "
        "(the firm sets the frame), 6 to 11 in the community view (the producers do). On "
        "a case, the rung of its current period's consensus; absent while contributors "
        "are split evenly.",
        "xsd:integer",
    ),
    Term("rungName", "Property", "rung name", "The name of the rung, such as Co-design."),
    Term(
        "economy",
        "Property",
        "economy",
        "Which of the three economies of peer production the case belongs to: sharing, "
        "commons or crowdsourcing. Absent when it belongs to none of the three.",
    ),
    Term(
        "viability",
        "Property",
        "viability",
        "Whether peer production of the case's output is viable given its capital and "
        "coordination costs: viable, marginal or not_yet.",
    ),
    Term(
        "agreement",
        "Property",
        "agreement",
        "The share of the current period's placements that give the standing rung, from 0 to 1.",
        "xsd:decimal",
    ),
    Term(
        "contested",
        "Property",
        "contested",
        "True when the contributors disagree about the case's current period: an "
        "agreement below two thirds, or a tie between rungs.",
        "xsd:boolean",
    ),
    Term(
        "answers",
        "Property",
        "answers",
        "The answers of a placement to the ladder's questions, as a JSON object whose "
        "field names and values are those of the answer schema (/api/ladder).",
        "rdf:JSON",
    ),
    Term("validFrom", "Property", "valid from", "The first year or day a placement describes."),
    Term(
        "validThrough",
        "Property",
        "valid through",
        "The last year or day a placement describes; absent while it still holds.",
    ),
    Term("rationale", "Property", "rationale", "Why the contributor placed the case so."),
    Term("sector", "Property", "sector", "The case's sector, a key of the catalogue's list."),
    Term(
        "organisationForm",
        "Property",
        "organisation form",
        "The legal or organisational form of the case, a key of the catalogue's list.",
    ),
    Term("country", "Property", "country", "A country the case works in: ISO 3166-1 alpha-2."),
    Term("relation", "Property", "relation", "A link from this case to another case."),
    Term(
        "relationType",
        "Property",
        "relation type",
        "How the two cases are related, a key of the catalogue's list (such as forked_from).",
    ),
    Term("target", "Property", "target", "The case a relation points to."),
)


def vocabulary_document(base_url: str | None = None) -> dict[str, Any]:
    """The ladder's vocabulary as JSON-LD: each term with its label and definition,
    published at :data:`VOCABULARY_PATH` (whose ``#term`` IRIs the context uses)."""
    base = resolve_base_url(base_url)
    vocabulary = f"{base}{VOCABULARY_PATH}"
    graph = []
    for term in TERMS:
        node: dict[str, Any] = {
            "@id": f"pl:{term.name}",
            "@type": f"rdfs:{term.kind}" if term.kind == "Class" else "rdf:Property",
            "rdfs:label": {"@value": term.label, "@language": "en"},
            "rdfs:comment": {"@value": term.comment, "@language": "en"},
            "rdfs:isDefinedBy": {"@id": vocabulary},
        }
        if term.range:
            node["rdfs:range"] = {"@id": term.range}
        graph.append(node)
    return {
        "@context": {
            "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
            "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
            "dcterms": "http://purl.org/dc/terms/",
            "pl": f"{vocabulary}#",
        },
        "@graph": [
            {
                "@id": vocabulary,
                "dcterms:title": {"@value": "The ladder of participation", "@language": "en"},
                "dcterms:description": {
                    "@value": "The terms peerladder's open data uses for the ladder of "
                    "participation: rungs, economies, placements and their agreement.",
                    "@language": "en",
                },
            },
            *graph,
        ],
    }


def context_document(base_url: str | None = None) -> dict[str, Any]:
    """The ``@context`` of the export: schema.org as the vocabulary, plus the ladder's terms."""
    base = resolve_base_url(base_url)
    ladder = f"{base}{VOCABULARY_PATH}#"
    return {
        "@context": {
            "@vocab": "https://schema.org/",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
            "pl": ladder,
            "Placement": "pl:Placement",
            "Source": "CreativeWork",
            "rung": {"@id": "pl:rung", "@type": "xsd:integer"},
            "rungName": {"@id": "pl:rungName"},
            "economy": {"@id": "pl:economy"},
            "viability": {"@id": "pl:viability"},
            "agreement": {"@id": "pl:agreement", "@type": "xsd:decimal"},
            "contested": {"@id": "pl:contested", "@type": "xsd:boolean"},
            "placements": {"@id": "pl:placement", "@container": "@list"},
            "answers": {"@id": "pl:answers", "@type": "@json"},
            "validFrom": {"@id": "pl:validFrom"},
            "validThrough": {"@id": "pl:validThrough"},
            "rationale": {"@id": "pl:rationale"},
            "sector": {"@id": "pl:sector"},
            "organisationForm": {"@id": "pl:organisationForm"},
            "countries": {"@id": "pl:country", "@container": "@set"},
            "relations": {"@id": "pl:relation", "@container": "@set"},
            "relationType": {"@id": "pl:relationType"},
            "target": {"@id": "pl:target", "@type": "@id"},
            "revision": {"@id": "https://schema.org/version"},
        }
    }


def language_tag(code: str) -> str:
    """A language code as BCP 47 writes it (``pt-br`` -> ``pt-BR``)."""
    first, _, region = code.partition("-")
    return f"{first}-{region.upper()}" if region else first


def _in_languages(record: Any, field: str) -> Any:
    """The record's ``field``: a plain string when it has no translation, else its
    values tagged with their languages, the English original first."""
    translated = [
        {"@value": texts[field], "@language": language_tag(language)}
        for language, texts in record["translations"].items()
        if texts[field]
    ]
    if not translated:
        return record[field]
    return [{"@value": record[field], "@language": ORIGINAL_LANGUAGE}, *translated]


def case_node(case: CaseRow, *, base_url: str) -> dict[str, Any]:
    """One case as a schema.org Organization node; a name or summary with translations
    is a list of language-tagged values."""
    record = case.record
    page = f"{base_url}/cases/{record['slug']}"
    node: dict[str, Any] = {
        "@id": page,
        "@type": "Organization",
        "identifier": record["slug"],
        "name": _in_languages(record, "name"),
        "description": _in_languages(record, "summary"),
        "url": record["website"],
        "sameAs": [f"https://www.wikidata.org/wiki/{record['wikidata']}"]
        if record["wikidata"]
        else [],
        "foundingDate": str(record["founded"]) if record["founded"] else None,
        "dissolutionDate": str(record["ended"]) if record["ended"] else None,
        "countries": record["countries"],
        "sector": record["sector"],
        "organisationForm": record["org_form"],
        "keywords": record["tags"],
        "rung": case.standing_rung,
        "economy": case.standing_economy,
        "viability": case.standing_viability,
        "agreement": case.agreement,
        "contested": case.contested,
        "revision": case.revision_number,
        "aggregateRating": {
            "@type": "AggregateRating",
            "ratingValue": case.rating_average,
            "ratingCount": case.rating_count,
            "bestRating": 5,
            "worstRating": 1,
        }
        if case.rating_count
        else None,
        "interactionStatistic": {
            "@type": "InteractionCounter",
            "interactionType": {"@type": "ViewAction"},
            "userInteractionCount": case.views_total,
        },
        "subjectOf": [
            {
                "@type": "Source",
                "url": source["url"],
                "name": source["title"],
                "publisher": source["publisher"] or None,
                "datePublished": source["published"],
            }
            for source in record["sources"]
        ],
        "placements": [
            {
                "@type": "Placement",
                "answers": placement["answers"],
                "validFrom": placement["valid_from"],
                "validThrough": placement["valid_to"],
                "rationale": placement["rationale"],
                "contributor": placement["author"],
                "citation": placement["sources"],
            }
            for placement in record["placements"]
        ],
        "relations": [
            {"relationType": relation["type"], "target": f"{base_url}/cases/{relation['target']}"}
            for relation in record["relations"]
        ],
    }
    return {key: value for key, value in node.items() if value not in (None, [])}


class JsonLdExporter(Exporter):
    """``{"@context": <published context>, "@graph": [<Organization>, ...]}``."""

    name = "jsonld"
    extension = "jsonld"
    media_type = "application/ld+json"
    description = "JSON-LD: schema.org Organizations with the ladder's terms"

    def chunks(self, cases: CaseStream) -> Iterator[bytes]:
        context = f"{self.base_url}{CONTEXT_PATH}"
        yield b'{"@context": ' + orjson.dumps(context) + b', "@graph": ['
        separator = b"\n"
        for batch in cases.batches():
            nodes = [orjson.dumps(case_node(case, base_url=self.base_url)) for case in batch]
            yield separator + b",\n".join(nodes)
            separator = b",\n"
        yield b"\n]}\n"
