"""``peerladder serve``: what the parent prepares before gunicorn forks its workers."""

from __future__ import annotations

import gc
from typing import Any

from peerladder import server
from peerladder.config import database
from peerladder.insights import renderer


def test_serve_loads_the_views_and_freezes_them_before_forking(monkeypatch):
    seen: dict[str, Any] = {}

    def run(self: Any) -> None:  # instead of forking workers
        seen["frozen"] = gc.get_freeze_count()
        seen["options"] = self.options

    preload = server.preload_views

    def preload_views() -> None:
        seen["frozen_when_views_loaded"] = gc.get_freeze_count()
        preload()

    monkeypatch.setattr(server._Gunicorn, "run", run)
    monkeypatch.setattr(server, "preload_views", preload_views)
    monkeypatch.setattr(database, "server_connections", lambda *args, **kwargs: None)
    gc.unfreeze()
    try:
        server.serve(host="127.0.0.1", port=8999, workers=2, access_log=False)
    finally:
        gc.unfreeze()
    # Django, the site's modules and the URL configuration: far more than a few objects,
    # kept out of every worker's cyclic collections.
    assert seen["frozen"] > 50_000
    assert seen["frozen_when_views_loaded"] == 0  # the views are loaded, then frozen
    assert seen["options"]["workers"] == 2


def test_serve_starts_one_drawing_process_for_its_workers_and_stops_it(monkeypatch):
    seen: dict[str, Any] = {}

    def run(self: Any) -> None:
        seen["drawing"] = renderer._renderer
        seen["alive"] = renderer._renderer is not None and renderer._renderer.process.poll() is None

    monkeypatch.setattr(server._Gunicorn, "run", run)
    monkeypatch.setattr(database, "server_connections", lambda *args, **kwargs: None)
    try:
        server.serve(host="127.0.0.1", port=8999, workers=2, access_log=False)
    finally:
        gc.unfreeze()
    assert seen["alive"]  # started before the workers are forked
    assert seen["drawing"].process.returncode is not None  # and stopped with the server
    assert renderer._renderer is None
