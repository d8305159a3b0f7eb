"""Run the site under gunicorn from inside the ``peerladder`` process (never runserver)."""

from __future__ import annotations

import errno
import gc
import os
import socket
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


def port_problem(host: str, port: int) -> str | None:
    """Why ``host:port`` cannot be served, or None. Each worker binds the port itself
    (``SO_REUSEPORT``, so the kernel spreads connections evenly between the workers),
    and a worker that cannot bind would be restarted forever: the port is tried once,
    without that option, before any worker starts. (A server already on the port,
    another peerladder included, makes this bind fail.)"""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    except socket.gaierror as exc:
        return f"cannot resolve {host!r} ({exc.strerror})"
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return f"port {port} on {host} is already in use"
            return f"cannot listen on {host}:{port} ({exc.strerror})"
    return None


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
        # Each worker listens on its own socket and the kernel hashes connections across
        # them: on one shared socket the first worker awake took 15 of 16 keep-alive
        # connections at once and served them alone while the other idled.
        "reuse_port": True,
    }
    # One process draws the charts for every worker (vl-convert's engine costs each
    # process that draws about 100 MB); started before the fork, so workers know it.
    drawing = renderer.start()
    try:
        _Gunicorn(application, options).run()
    finally:
        if drawing is not None:
            drawing.stop()
