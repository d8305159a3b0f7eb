"""The case page served from the per-revision cache (web/case_page_cache.py)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from peerladder.accounts.models import Role
from peerladder.catalogue import services
from peerladder.catalogue.services import view_counts
from tests.factories import LINUX_ANSWERS, UserFactory, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def linux():
    return make_case(slug="linux", name="Linux", answers=LINUX_ANSWERS, countries=["FI"])


@pytest.fixture
def batched_views(settings, monkeypatch):
    """Views counted in memory as in production (no write per view)."""
    settings.VIEW_COUNT_FLUSH_SECONDS = 3600
    settings.VIEW_COUNT_BATCH_SIZE = 10_000
    monkeypatch.setattr(view_counts, "_counter", None)
    monkeypatch.setattr(view_counts.atexit, "register", lambda function: function)
    return view_counts


def test_a_warm_page_costs_one_query(client, linux, batched_views):
    first = client.get("/cases/linux")
    assert first.status_code == 200
    with CaptureQueriesContext(connection) as warm:
        second = client.get("/cases/linux")
    # The case's stamp, with the catalogue's and the view counts: nothing else.
    assert len(warm) == 1, [query["sql"] for query in warm]
    assert second.content == first.content
    assert batched_views.view_counter().pending() != {}


def test_a_write_to_the_case_moves_the_key(client, linux):
    before = client.get("/cases/linux")
    assert "A kernel, rewritten." not in before.content.decode()
    services.case_update(
        case=linux,
        author=UserFactory(),
        changes={"summary": "A kernel, rewritten."},
        base_revision=None,
    )
    after = client.get("/cases/linux")
    assert "A kernel, rewritten." in after.content.decode()
    assert after["ETag"] != before["ETag"]


def test_another_case_renamed_shows_on_the_page_that_names_it(client, linux):
    other = make_case(slug="gnu", name="GNU")
    services.relation_add(
        case=other, author=UserFactory(), relation={"type": "fork_of", "target": "linux"}
    )
    assert "GNU" in client.get("/cases/linux").content.decode()
    services.case_update(
        case=other, author=UserFactory(), changes={"name": "GNU Project"}, base_revision=None
    )
    assert "GNU Project" in client.get("/cases/linux").content.decode()


def test_an_old_revision_still_shows_as_it_was(client, linux):
    summary = linux.summary
    client.get("/cases/linux")
    services.case_update(
        case=linux, author=UserFactory(), changes={"summary": "Changed."}, base_revision=None
    )
    old = client.get("/cases/linux?revision=1")
    assert old.status_code == 200
    html = old.content.decode()
    assert summary in html and "Changed." not in html


def test_view_counts_are_fresh_on_a_cached_page(client, linux):
    client.get("/cases/linux")
    html = client.get("/cases/linux").content.decode()
    assert "2 views, 2 in the last 30 days" in html


def test_a_rating_moves_the_key(client, linux):
    assert "Not rated yet" in client.get("/cases/linux").content.decode()
    services.rating_set(case=linux, user=UserFactory(), stars=4)
    assert "Rated 4.0 of 5 by 1 reader" in client.get("/cases/linux").content.decode()


def test_a_signed_in_reader_sees_their_own_page_and_it_is_never_shared(client, linux):
    client.get("/cases/linux")  # the shared page is stored
    reader = UserFactory(username="reader-one")
    client.force_login(reader)
    own = client.get("/cases/linux")
    html = own.content.decode()
    assert "reader-one" in html and "csrfmiddlewaretoken" in html
    assert "ETag" not in own and "private" in own["Cache-Control"]
    client.logout()
    shared = client.get("/cases/linux").content.decode()
    assert "reader-one" not in shared and "csrfmiddlewaretoken" not in shared


@pytest.fixture
def i18n(settings):
    """Translation on, as LocaleMiddleware will run it (Django picks its translation
    functions once: they are forgotten so the setting takes effect, and after)."""
    settings.USE_I18N = True
    settings.LANGUAGES = [("en", "English"), ("de", "German")]
    translation._trans.__dict__.clear()
    yield
    translation._trans.__dict__.clear()


def test_another_language_gets_its_own_entry(client, linux, i18n, batched_views):
    with translation.override("en"):
        english = client.get("/cases/linux")
        with CaptureQueriesContext(connection) as warm:
            client.get("/cases/linux")
    with translation.override("de"):
        with CaptureQueriesContext(connection) as german_first:
            german = client.get("/de/cases/linux")
        with CaptureQueriesContext(connection) as german_again:
            client.get("/de/cases/linux")
    assert len(warm) == len(german_again) == 1
    assert len(german_first) > 1  # rendered, not the English page
    assert german["ETag"] != english["ETag"]


def test_etag_and_last_modified_answer_304_until_the_case_changes(client, linux):
    first = client.get("/cases/linux")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert client.get("/cases/linux", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/cases/linux", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    services.case_update(
        case=linux, author=UserFactory(), changes={"summary": "Newer."}, base_revision=None
    )
    assert client.get("/cases/linux", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_an_archived_case_is_not_served_from_the_cache(client, linux):
    client.get("/cases/linux")
    moderator = UserFactory(role=Role.MODERATOR)
    services.case_archive(case=linux, moderator=moderator, archived=True)
    assert client.get("/cases/linux").status_code == 404
