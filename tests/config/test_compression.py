"""gzip for responses that hold no secret (config/compression.py), and the static
files collected only when they changed (cli/runtime.collect_static)."""

from __future__ import annotations

import gzip

import pytest

from tests.factories import UserFactory, make_case

pytestmark = pytest.mark.django_db


def test_a_shared_page_is_gzipped_when_the_client_takes_it(client):
    make_case(slug="linux", name="Linux")
    page = client.get("/cases/linux", HTTP_ACCEPT_ENCODING="gzip, br")
    assert page["Content-Encoding"] == "gzip"
    assert b"Linux" in gzip.decompress(page.content)
    assert "Accept-Encoding" in page["Vary"]
    body = client.get("/api/cases/linux", HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in body  # JSON as sent: small, and read by tools
    plain = client.get("/cases/linux")
    assert "Content-Encoding" not in plain


def test_a_signed_in_readers_page_is_never_compressed(client):
    make_case(slug="linux", name="Linux")
    client.force_login(UserFactory())
    page = client.get("/cases/linux", HTTP_ACCEPT_ENCODING="gzip")
    assert page.status_code == 200 and "Content-Encoding" not in page
    assert b"csrfmiddlewaretoken" in page.content


def test_a_page_with_a_csrf_token_in_a_form_is_never_compressed(client):
    page = client.get("/accounts/login/", HTTP_ACCEPT_ENCODING="gzip")
    assert page.status_code == 200 and "Content-Encoding" not in page
    assert b"csrfmiddlewaretoken" in page.content


def test_static_files_are_collected_only_when_they_changed(settings, tmp_path, monkeypatch):
    from django.core import management

    from peerladder.cli.runtime import collect_static

    settings.STATIC_ROOT = tmp_path
    runs = []

    def collectstatic(name, **options):
        runs.append(name)
        (tmp_path / "staticfiles.json").write_text("{}")

    monkeypatch.setattr(management, "call_command", collectstatic)
    assert collect_static() is True
    assert collect_static() is False  # nothing changed: not collected again
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    assert collect_static() is True
    (tmp_path / "staticfiles.json").unlink()
    assert collect_static() is True  # the manifest is gone: collected again
    assert runs == ["collectstatic"] * 3
