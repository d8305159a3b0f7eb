"""GET /api/ladder gives the essay's whole 2007 assessment, quoted and attributed."""

from __future__ import annotations

import pytest

from peerladder.ladder import BASELINE_2007

pytestmark = pytest.mark.django_db


def test_the_ladder_endpoint_gives_all_eleven_baselines_with_their_quotes(client):
    body = client.get("/api/ladder").json()
    baselines = body["baseline_2007"]
    assert sorted(int(n) for n in baselines) == list(range(1, 12))
    for number, entry in baselines.items():
        expected = BASELINE_2007[int(number)]
        assert entry["quote"] == expected.quote
        assert entry["status"] == expected.status
        assert "Ladder of Participation" in entry["source"]
    assert baselines["5"]["quote"].startswith("The fifth model would seem the current cutting edge")
