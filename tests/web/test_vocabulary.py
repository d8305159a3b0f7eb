"""One name per economy everywhere; typical-economy labels say what they mean; chart
data tables start folded."""

from __future__ import annotations

import pytest

from peerladder.insights.chart_base import ECONOMY_NAMES
from peerladder.ladder import ECONOMIES, NO_ECONOMY_NAME, economy_name
from tests.factories import IKEA_ANSWERS, make_case

pytestmark = pytest.mark.django_db


def test_every_economy_has_one_name():
    assert [economy_name(e.key) for e in ECONOMIES] == [
        "Sharing economy",
        "Commons economy",
        "Crowdsourcing economy",
    ]
    assert economy_name(None) == economy_name("none") == NO_ECONOMY_NAME == "None of the three"
    assert set(ECONOMY_NAMES.values()) == {*(e.name for e in ECONOMIES), NO_ECONOMY_NAME}


def test_pages_use_the_same_names(client):
    make_case(slug="ikea", name="IKEA", answers=IKEA_ANSWERS)
    make_case(slug="wiki", name="Wiki")
    html = client.get("/cases").content.decode()
    assert "None of the three" in html and "Commons economy" in html
    assert "none of the three" not in html and "No economy" not in html
    assert ">Commons economy</a>" in client.get("/cases/wiki").content.decode()


def test_the_ladder_explains_typical_economies(client):
    html = client.get("/ladder").content.decode()
    assert "Typical: Crowdsourcing economy" in html
    assert "belongs to it only under its condition" in html
    assert "contributors are unpaid or paid only when their work is chosen" in html
    assert "typical_rungs" in client.get("/api/ladder").content.decode()
    assert client.get("/api/ladder").json()["economies"][2]["condition"].startswith("A case on")


def test_chart_data_tables_start_folded(client):
    html = client.get("/insights/trend").content.decode()
    assert '<details class="chart-data">' in html and '<details class="chart-data" open' not in html
