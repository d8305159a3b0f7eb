"""Every chart and the report in a language whose catalogue translates every text of the
ladder's catalogue: each marked sentence is looked up and filled in without error, and
what a reader sees comes out translated."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.utils import translation

import peerladder
from peerladder.insights import charts
from peerladder.insights.ladder_map import poster_spec
from peerladder.insights.report import render_report
from peerladder.ladder import RUNGS
from tests.lexicon.catalogue import write_catalogue
from tests.lexicon.po import read_po

pytestmark = pytest.mark.django_db

CATALOGUE = Path(peerladder.__file__).parent / "locale" / "es" / "LC_MESSAGES" / "django.po"


def marked(text: str) -> str:
    """A stand-in translation: the English between guillemets, placeholders kept."""
    return f"«{text}»"


@pytest.fixture
def everything_translated(settings, tmp_path):
    entries, plurals = {}, {}
    for entry in read_po(CATALOGUE):
        if entry.plural is None:
            entries[entry.context, entry.msgid] = marked(entry.msgid)
        else:
            plurals[entry.msgid, entry.plural] = (marked(entry.msgid), marked(entry.plural))
    settings.LOCALE_PATHS = [write_catalogue(tmp_path / "locale", entries, plurals)]


@pytest.mark.parametrize("name", charts.NAMES)
def test_every_chart_is_drawn_in_another_language(catalogue, everything_translated, name):
    with translation.override("es"):
        built = charts.build(name)
        svg = charts.render_svg(built.spec, id_prefix=name)
    assert built.title.startswith("«")
    assert built.description.startswith("«")
    assert built.table.caption.startswith("«") or name == "ladder"
    assert all(column.startswith("«") for column in built.table.columns)
    assert "«" in svg and "<svg" in svg
    # The rungs' names come from the ladder's own catalogue entries.
    drawn = json.dumps(built.spec, ensure_ascii=False)
    assert any(f"«{r.name}»" in drawn for r in RUNGS)
    assert not any(f' · {r.name}"' in drawn for r in RUNGS)


def test_the_poster_in_another_language(catalogue, everything_translated):
    with translation.override("es"):
        poster = poster_spec(date="2026-11-26", site="https://example.org")
    text = json.dumps(poster, ensure_ascii=False)
    assert "«The ladder of participation: where the catalogued cases stand»" in text
    assert "«Cite as: peerladder, ladder map, 2026-11-26, https://example.org/insights.»" in text


@pytest.mark.parametrize("fmt", ["text", "json", "html"])
def test_the_report_in_another_language(catalogue, everything_translated, fmt):
    report = render_report(fmt, year=2026, language="es")
    assert "«Where are we now: the state of the field in 2026»" in report or fmt == "json"
    assert "«Co-creation»" in report
    if fmt == "json":
        data = json.loads(report)
        assert data["rungs"][5]["baseline_2007"]["quote_translation"].startswith("«")
        assert data["rungs"][5]["key"] == "use-value-unmonetized"
