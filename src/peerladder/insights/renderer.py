"""Charts drawn by one process per server, not by every worker.

vl-convert runs Vega inside an embedded V8 engine. Once it has drawn a few charts a
process holds about 100 MB more (40 MB of the library's code, the rest the engine's
heap), and a case's trajectory chart takes about 25 ms. ``peerladder serve`` calls
:func:`start` before it forks its workers: one drawing process listens on a Unix
socket in a private directory, and every worker sends it each Vega-Lite
specification and receives the SVG text or PNG bytes (:func:`draw`). Where none was
started (tests, the command line, a drawing process that died), charts are drawn in
the calling process, as before.

The drawing process exits when the server does: it holds the read end of a pipe from
the server and stops when that pipe closes. Standard library and vl-convert only; no
Django.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from multiprocessing import AuthenticationError
from multiprocessing.connection import Client, Connection, Listener
from pathlib import Path
from typing import Any, Literal

__all__ = ["DrawingError", "Renderer", "draw", "start"]

log = logging.getLogger(__name__)

Kind = Literal["svg", "png"]
START_SECONDS = 30.0


class DrawingError(ValueError):
    """vl-convert refused a specification (in this process or the drawing process)."""


@dataclass
class Renderer:
    """The drawing process a server started, and where it listens."""

    process: subprocess.Popen[bytes]
    address: str
    authkey: bytes

    def stop(self) -> None:
        """Close the drawing process's pipe (it exits), wait for it, remove its socket."""
        global _renderer
        if _renderer is self:
            _renderer = None
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(Path(self.address).parent, ignore_errors=True)


# The drawing process this server started (inherited by its forked workers), and each
# thread's connection to it.
_renderer: Renderer | None = None
_local = threading.local()
# The process (by id: a fork starts afresh) that found the drawing process gone and
# draws its own charts from then on, instead of trying it again for every chart.
_gone_for: int | None = None


def _draw_here(kind: Kind, spec: dict[str, Any], scale: float) -> str | bytes:
    import vl_convert

    try:
        if kind == "svg":
            return str(vl_convert.vegalite_to_svg(spec))
        return bytes(vl_convert.vegalite_to_png(spec, scale=scale))
    except ValueError as exc:
        raise DrawingError(str(exc)) from exc


def draw(kind: Kind, spec: dict[str, Any], *, scale: float = 2.0) -> str | bytes:
    """``spec`` drawn as SVG text or PNG bytes (``scale`` times the SVG's size): by the
    server's drawing process when it has one, here otherwise."""
    global _gone_for
    renderer = _renderer
    if renderer is None or _gone_for == os.getpid():
        return _draw_here(kind, spec, scale)
    problem: Exception | None = None
    for _ in range(2):  # the second time on a new connection
        try:
            connection = _connection(renderer)
            connection.send((kind, spec, scale))
            ok, value = connection.recv()
        except (OSError, EOFError) as exc:
            _local.connection, problem = None, exc
            continue
        if not ok:
            raise DrawingError(value)
        return value  # type: ignore[no-any-return]
    # Twice, the second time on a new connection: it has died (the server does not
    # start another). Said once per process, not once per chart.
    _gone_for = os.getpid()
    log.warning(
        "the drawing process did not answer (%s); this process draws its own charts now",
        problem,
    )
    return _draw_here(kind, spec, scale)


def _connection(renderer: Renderer) -> Connection:
    connection: Connection | None = getattr(_local, "connection", None)
    if connection is None or getattr(_local, "pid", None) != os.getpid():
        connection = Client(renderer.address, family="AF_UNIX", authkey=renderer.authkey)
        _local.connection, _local.pid = connection, os.getpid()
    return connection


def start() -> Renderer | None:
    """Start the drawing process and send this process's charts (and its future forks')
    to it. None, with a warning, when it did not come up: charts are then drawn in each
    process."""
    global _renderer, _gone_for
    directory = tempfile.mkdtemp(prefix="peerladder-charts-")
    address = str(Path(directory) / "socket")
    authkey = secrets.token_bytes(32)
    process = subprocess.Popen(
        [sys.executable, "-m", "peerladder.insights.renderer", address],
        stdin=subprocess.PIPE,
    )
    assert process.stdin is not None
    process.stdin.write(authkey.hex().encode() + b"\n")
    process.stdin.flush()
    renderer = Renderer(process, address, authkey)
    deadline = time.monotonic() + START_SECONDS
    while not Path(address).exists():
        if process.poll() is not None or time.monotonic() > deadline:
            log.warning("the drawing process did not start; each worker draws its own charts")
            renderer.stop()
            return None
        time.sleep(0.02)
    _renderer = renderer
    _gone_for = None
    return renderer


def _answer(connection: Connection) -> None:
    with connection:
        while True:
            try:
                kind, spec, scale = connection.recv()
            except (EOFError, OSError):
                return
            try:
                answer: tuple[bool, Any] = (True, _draw_here(kind, spec, scale))
            except DrawingError as exc:
                answer = (False, str(exc))
            try:
                connection.send(answer)
            except OSError:
                return


def serve(address: str) -> None:
    """The drawing process: the key on the first line of stdin, then one thread per
    connected worker thread, until stdin closes."""
    authkey = bytes.fromhex(sys.stdin.readline().strip())
    listener = Listener(address, family="AF_UNIX", authkey=authkey)

    def exit_with_the_server() -> None:
        sys.stdin.read()  # returns when the server closes its end, or dies
        os._exit(0)

    threading.Thread(target=exit_with_the_server, daemon=True).start()
    _draw_here("svg", {"mark": "point", "data": {"values": []}}, 1.0)  # load the engine once
    while True:
        try:
            connection = listener.accept()
        except (OSError, EOFError, AuthenticationError):  # failed the key exchange
            continue
        threading.Thread(target=_answer, args=(connection,), daemon=True).start()


if __name__ == "__main__":
    serve(sys.argv[1])
