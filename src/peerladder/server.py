"""Run the site under gunicorn from inside the ``peerladder`` process (never runserver)."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable
from typing import Any

from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, application: Callable[..., Any], options: dict[str, Any]) -> None:
        self.application = application
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Callable[..., Any]:
        return self.application


def default_workers() -> int:
    return min(2 * (os.cpu_count() or 1) + 1, 9)


def preload_views() -> None:
    """Import every view module now, in the parent, rather than on each worker's first
    request (the URL configuration is otherwise loaded lazily)."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (loading is the point)


def serve(*, host: str, port: int, workers: int, access_log: bool = True) -> None:
    """Serve the WSGI application until interrupted; Ctrl-C stops all workers cleanly."""
    from django.core.wsgi import get_wsgi_application
    from django.db import connections

    from peerladder.config.database import server_connections
    from peerladder.insights import renderer

    server_connections()
    application = get_wsgi_application()
    preload_views()
    # Workers are forked: they must not share the parent's database connections.
    connections.close_all()
    # What is loaded now lives as long as the workers: frozen out of the cyclic
    # collector, so a worker's full collections walk only what it made itself (they
    # took 70-160 ms and set the tail latency) and never write to the inherited pages.
    gc.collect()
    gc.freeze()
    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": 4,
        "timeout": 60,
        "graceful_timeout": 5,
        "accesslog": "-" if access_log else None,
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "peerladder",
        # Request lines of any length reach the site, which answers 414 itself past
        # its own limit (config/security.py) with a page in its layout.
        "limit_request_line": 0,
    }
    # One process draws the charts for every worker (vl-convert's engine costs each
    # process that draws about 100 MB); started before the fork, so workers know it.
    drawing = renderer.start()
    try:
        _Gunicorn(application, options).run()
    finally:
        if drawing is not None:
            drawing.stop()
