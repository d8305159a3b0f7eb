"""``peerladder index rebuild``, invoked as a user would."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from peerladder.cli.search import index
from peerladder.search import similar, store, suggest
from tests.factories import IKEA_ANSWERS, make_case

pytestmark = pytest.mark.django_db


def test_rebuild_builds_the_similar_index_and_trains_the_suggester(tmp_path, settings):
    settings.DATA_DIR = tmp_path
    make_case(slug="wikipedia")
    make_case(slug="ikea", answers=IKEA_ANSWERS)
    result = CliRunner().invoke(index, ["rebuild"])
    assert result.exit_code == 0, result.output
    assert "indexed 2 cases" in result.output
    assert "trained on 2 placed cases" in result.output
    assert store.latest(similar.KIND, format=similar.FORMAT) is not None
    assert store.latest(suggest.KIND, format=suggest.FORMAT) is not None
    assert not list(tmp_path.glob("*.pkl"))  # nothing kept beside one server
