"""``peerladder serve``: what the parent prepares before gunicorn forks its workers."""

from __future__ import annotations

import gc
import os
import socket
import subprocess
import sys
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


def test_each_worker_listens_on_its_own_socket(monkeypatch):
    seen: dict[str, Any] = {}
    monkeypatch.setattr(server._Gunicorn, "run", lambda self: seen.update(self.options))
    monkeypatch.setattr(database, "server_connections", lambda *args, **kwargs: None)
    try:
        server.serve(host="127.0.0.1", port=8999, workers=2, access_log=False)
    finally:
        gc.unfreeze()
    assert seen["reuse_port"] is True


def test_a_free_port_has_no_problem():
    with socket.socket() as taken:  # find a free port, then free it
        taken.bind(("127.0.0.1", 0))
        port = taken.getsockname()[1]
    assert server.port_problem("127.0.0.1", port) is None


def test_a_port_something_listens_on_is_named_busy():
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        port = listening.getsockname()[1]
        assert server.port_problem("127.0.0.1", port) == (
            f"port {port} on 127.0.0.1 is already in use"
        )


def test_a_port_a_reusing_server_listens_on_is_named_busy_too():
    """Workers listen with SO_REUSEPORT; a second server must not join them."""
    with socket.socket() as listening:
        listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        port = listening.getsockname()[1]
        assert "already in use" in (server.port_problem("127.0.0.1", port) or "")


def test_a_host_that_does_not_resolve_is_named():
    problem = server.port_problem("no-such-host.invalid", 8000)
    assert problem is not None and "no-such-host.invalid" in problem


def test_serve_on_a_busy_port_stops_in_one_line_with_status_2(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PEERLADDER_", "DJANGO_"))}
    env["PEERLADDER_DATA_DIR"] = str(tmp_path)
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        port = listening.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "peerladder.cli", "serve", "--port", str(port)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"peerladder: cannot serve: port {port} on 127.0.0.1 is already in use"
    )
