"""An export with q selects exactly the cases the search lists."""

from __future__ import annotations

import orjson
import pytest

from tests.factories import make_case

pytestmark = pytest.mark.django_db


def test_export_with_q_uses_the_full_text_search(client):
    make_case(slug="fablab", name="Fab Lab", summary="A workshop.", description="Laser cutters.")
    make_case(slug="library", name="Tool Library", summary="Lends tools.")
    listed = [case["slug"] for case in client.get("/api/cases?q=laser").json()["results"]]
    assert listed == ["fablab"]  # found by its description, which a name match would miss
    response = client.get("/api/export?format=jsonl&q=laser")
    assert response.status_code == 200
    lines = b"".join(response.streaming_content).splitlines()
    assert [orjson.loads(line)["slug"] for line in lines] == listed


def test_export_with_a_query_that_matches_nothing_is_empty(client):
    make_case(slug="fablab", name="Fab Lab")
    response = client.get("/api/export?format=jsonl&q=zzzz")
    assert b"".join(response.streaming_content) == b""
