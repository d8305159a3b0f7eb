"""The drawing process a server shares between its workers (insights/renderer.py)."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from peerladder.insights import renderer

SPEC = {
    "data": {"values": [{"year": 2001, "rung": 6}, {"year": 2010, "rung": 8}]},
    "mark": "line",
    "encoding": {
        "x": {"field": "year", "type": "quantitative"},
        "y": {"field": "rung", "type": "quantitative"},
    },
}


@pytest.fixture
def drawing() -> Iterator[renderer.Renderer]:
    started = renderer.start()
    assert started is not None
    yield started
    started.stop()


def _drawn_here(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every chart this process draws itself."""
    here: list[str] = []
    draw_here = renderer._draw_here

    def recording(kind, spec, scale):  # type: ignore[no-untyped-def]
        here.append(kind)
        return draw_here(kind, spec, scale)

    monkeypatch.setattr(renderer, "_draw_here", recording)
    return here


def test_without_a_drawing_process_charts_are_drawn_here(monkeypatch):
    here = _drawn_here(monkeypatch)
    svg = renderer.draw("svg", SPEC)
    assert svg.startswith("<svg") and here == ["svg"]


def test_the_drawing_process_draws_what_this_process_would(drawing, monkeypatch):
    here = _drawn_here(monkeypatch)
    svg = renderer.draw("svg", SPEC)
    png = renderer.draw("png", SPEC, scale=1.0)
    assert here == []  # both came from the drawing process
    assert svg == renderer._draw_here("svg", SPEC, 2.0)
    assert isinstance(png, bytes) and png.startswith(b"\x89PNG")


def test_the_drawing_process_answers_many_threads_at_once(drawing):
    specs = [{**SPEC, "title": f"Chart {n}"} for n in range(12)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        drawn = list(pool.map(lambda spec: renderer.draw("svg", spec), specs))
    assert all(f"Chart {n}" in svg for n, svg in enumerate(drawn))


def test_a_specification_vega_refuses_is_an_error_here_too(drawing):
    with pytest.raises(renderer.DrawingError):
        renderer.draw("svg", {"mark": "no-such-mark"})
    # The connection is still good for the next chart.
    assert renderer.draw("svg", SPEC).startswith("<svg")


def test_a_fork_opens_its_own_connection(drawing):
    renderer.draw("svg", SPEC)  # this thread's connection, made before the fork
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover (the child's result travels through the pipe)
        try:
            ok = renderer.draw("svg", {**SPEC, "title": "From the fork"}).count("From the fork")
        except BaseException:
            ok = 0
        os.write(write, b"1" if ok else b"0")
        os._exit(0)
    os.close(write)
    answer = os.read(read, 1)
    os.waitpid(child, 0)
    assert answer == b"1"
    assert renderer.draw("svg", SPEC).startswith("<svg")


def test_when_the_drawing_process_has_died_charts_are_drawn_here(drawing, monkeypatch):
    renderer.draw("svg", SPEC)
    drawing.process.kill()
    drawing.process.wait()
    here = _drawn_here(monkeypatch)
    assert renderer.draw("svg", SPEC).startswith("<svg")
    assert here == ["svg"]


def test_a_process_that_found_the_drawing_process_dead_stops_asking_it(
    drawing, monkeypatch, caplog
):
    drawing.process.kill()
    drawing.process.wait()
    here = _drawn_here(monkeypatch)
    connects: list[str] = []
    client = renderer.Client
    monkeypatch.setattr(
        renderer,
        "Client",
        lambda address, **options: connects.append(address) or client(address, **options),
    )

    with caplog.at_level("WARNING", logger=renderer.__name__):
        drawn = [renderer.draw("svg", SPEC) for _ in range(3)]

    assert all(svg.startswith("<svg") for svg in drawn) and here == ["svg"] * 3
    assert len(connects) <= 2  # tried (twice) for the first chart only
    assert len([r for r in caplog.records if "drawing process" in r.getMessage()]) == 1
    # A server started afterwards is asked again.
    again = renderer.start()
    assert again is not None
    try:
        assert renderer.draw("svg", SPEC).startswith("<svg") and here == ["svg"] * 3
    finally:
        again.stop()


def test_stopping_ends_the_process_and_removes_its_socket(drawing):
    directory = Path(drawing.address).parent
    assert directory.is_dir() and oct(directory.stat().st_mode & 0o777) == "0o700"
    drawing.stop()
    assert drawing.process.returncode is not None
    assert not directory.exists()
    assert renderer._renderer is None


def test_the_drawing_process_exits_when_its_server_goes(drawing):
    # Closing the pipe is what the server's death does to it.
    assert drawing.process.stdin is not None
    drawing.process.stdin.close()
    assert drawing.process.wait(timeout=10) == 0


def test_a_client_without_the_key_is_refused_and_others_are_still_served(drawing):
    from multiprocessing import AuthenticationError
    from multiprocessing.connection import Client

    with pytest.raises((AuthenticationError, EOFError, OSError)):
        Client(drawing.address, family="AF_UNIX", authkey=b"not the key")
    done = threading.Event()
    result: list[str] = []

    def draw() -> None:
        result.append(str(renderer.draw("svg", SPEC)))
        done.set()

    threading.Thread(target=draw).start()
    assert done.wait(timeout=30)
    assert result[0].startswith("<svg")
