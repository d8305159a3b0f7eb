"""Memory of each worker of ``peerladder serve`` once it has answered similar cases,
rung suggestions and case pages of a large catalogue.

Serves the database named by the environment (PEERLADDER_DATA_DIR /
PEERLADDER_DATABASE_URL; build it with ``generate.py --cases N --load`` and run
``peerladder index rebuild`` first), sends ``--requests`` requests of each kind
over loopback, then reads each worker's ``/proc/PID/smaps_rollup``: RSS (what
``ps`` shows: private memory plus every mapped page the worker touched, shared
or not), PSS (shared pages divided among the processes that map them) and the
anonymous part (the process's own heap, never shared).

    PEERLADDER_DATA_DIR=/tmp/big python bench/bench_memory.py --cases 100000
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def rollup(pid: int) -> dict[str, int]:
    """smaps_rollup's figures in MiB."""
    found = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        found[name] = int(value.split()[0]) // 1024
    return found


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()]


def labelled(pids: list[int]) -> list[tuple[str, int]]:
    """The master's children named: its workers, and the one process that draws the
    charts for all of them (``peerladder.insights.renderer``)."""
    named, workers = [], 0
    for pid in pids:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
        if b"peerladder.insights.renderer" in command:
            named.append(("drawing", pid))
        else:
            workers += 1
            named.append((f"worker {workers}", pid))
    return named


def fetch(url: str, body: dict | None = None) -> int:
    data = None if body is None else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"} if data else {}
    request = urllib.request.Request(url, data=data, headers=headers)
    with urllib.request.urlopen(request, timeout=60) as response:
        response.read()
        return int(response.status)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, required=True, help="cases in the catalogue")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--requests", type=int, default=100, help="of each kind")
    args = parser.parse_args()

    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "peerladder.cli",
            "serve",
            "--port",
            str(args.port),
            "--workers",
            str(args.workers),
        ],
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(120):
            try:
                fetch(f"{base}/healthz")
                break
            except OSError:
                time.sleep(0.5)
        rng = random.Random(7)
        started = time.perf_counter()
        for _ in range(args.requests):
            slug = f"synthetic-{rng.randrange(args.cases):07d}"
            fetch(f"{base}/api/cases/{slug}/similar")
            fetch(f"{base}/cases/{slug}")
            fetch(f"{base}/api/suggest", {"description": "a cooperative of makers sharing tools"})
        elapsed = time.perf_counter() - started
        print(f"{3 * args.requests} requests in {elapsed:.1f} s")
        print(f"{'process':<10} {'RSS':>8} {'PSS':>8} {'anon':>8} {'file RSS':>9}  (MiB)")
        for label, pid in [("master", server.pid), *labelled(children(server.pid))]:
            figures = rollup(pid)
            file_backed = figures["Rss"] - figures["Anonymous"]
            print(
                f"{label:<10} {figures['Rss']:>8} {figures['Pss']:>8} "
                f"{figures['Anonymous']:>8} {file_backed:>9}"
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
