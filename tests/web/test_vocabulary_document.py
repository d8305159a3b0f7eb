"""The ladder's JSON-LD vocabulary at /ns/ladder: every term of the export's context
that is not schema.org's is defined there; schema.org only for what it defines."""

from __future__ import annotations

import json

import pytest

from peerladder.interchange.jsonld import TERMS, VOCABULARY_PATH, context_document

pytestmark = pytest.mark.django_db

# The schema.org terms the export uses (all defined by schema.org; checked by hand
# against its definitions when added here).
SCHEMA_ORG = {
    "Organization", "CreativeWork", "identifier", "name", "description", "url", "sameAs",
    "foundingDate", "dissolutionDate", "keywords", "subjectOf", "publisher",
    "datePublished", "contributor", "citation", "version", "aggregateRating",
    "interactionStatistic",
}  # fmt: skip


def test_the_vocabulary_is_json_ld_at_a_stable_path(client):
    response = client.get("/ns/ladder", HTTP_ACCEPT="application/ld+json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    assert "Accept" in response["Vary"]
    document = response.json()
    assert document["@context"]["pl"] == "http://testserver/ns/ladder#"
    defined = {node["@id"] for node in document["@graph"]}
    for required in ("rung", "economy", "Placement", "agreement", "contested"):
        assert f"pl:{required}" in defined
    for node in document["@graph"][1:]:
        assert node["rdfs:label"]["@value"] and len(node["rdfs:comment"]["@value"]) > 20


def test_a_browser_gets_a_page_listing_the_terms(client):
    response = client.get("/ns/ladder", HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    html = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert all(f'id="{term.name}"' in html for term in TERMS)
    assert client.get("/ns/ladder?format=jsonld", HTTP_ACCEPT="text/html").json()["@graph"]


def test_the_contexts_own_terms_are_the_vocabularys_and_the_rest_is_schema_org(client):
    context = client.get("/api/context.jsonld").json()["@context"]
    assert context["pl"] == f"http://testserver{VOCABULARY_PATH}#"
    assert context["@vocab"] == "https://schema.org/"
    names = {term.name for term in TERMS}
    for key, value in context.items():
        if key in ("@vocab", "xsd", "pl"):
            continue
        iri = value if isinstance(value, str) else value.get("@id", "")
        if iri.startswith("pl:"):
            assert iri[3:] in names, key
        elif iri.startswith("https://schema.org/"):
            assert iri.removeprefix("https://schema.org/") in SCHEMA_ORG, key
        else:  # a bare name falls under @vocab: schema.org
            assert iri in SCHEMA_ORG, key


def test_every_key_of_an_exported_case_is_a_defined_term(client):
    from tests.factories import LINUX_ANSWERS, make_case

    make_case(slug="linux", name="Linux", answers=LINUX_ANSWERS, countries=["FI"], founded=1991)
    body = b"".join(client.get("/api/export?format=jsonld").streaming_content)
    document = json.loads(body)
    assert document["@context"] == "http://testserver/api/context.jsonld"
    context = context_document("http://testserver")["@context"]
    node = document["@graph"][0]
    keys = set(node) | {key for placement in node["placements"] for key in placement}
    keys |= {key for source in node.get("subjectOf", []) for key in source}
    for key in keys - {"@id", "@type"}:
        assert key in context or key in SCHEMA_ORG, key
