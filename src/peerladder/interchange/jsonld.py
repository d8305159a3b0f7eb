"""JSON-LD: each case as a schema.org Organization, with the ladder's terms (rung,
economy, placements...) defined by a published context at ``/api/context.jsonld``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson

from peerladder.catalogue.record_stream import CaseRow
from peerladder.interchange.citations import resolve_base_url
from peerladder.interchange.exporters import CaseStream, Exporter

__all__ = ["CONTEXT_PATH", "JsonLdExporter", "case_node", "context_document"]

CONTEXT_PATH = "/api/context.jsonld"


def context_document(base_url: str | None = None) -> dict[str, Any]:
    """The ``@context`` of the export: schema.org as the vocabulary, plus the ladder's terms."""
    base = resolve_base_url(base_url)
    ladder = f"{base}/ladder#"
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


def case_node(case: CaseRow, *, base_url: str) -> dict[str, Any]:
    """One case as a schema.org Organization node."""
    record = case.record
    page = f"{base_url}/cases/{record['slug']}"
    node: dict[str, Any] = {
        "@id": page,
        "@type": "Organization",
        "identifier": record["slug"],
        "name": record["name"],
        "description": record["summary"],
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
