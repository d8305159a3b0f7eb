"""peerladder and Datasette side by side over HTTP, on the same SQLite file.

Starts ``peerladder serve --workers 2`` and Datasette 0.65 (the project's FTS5 table
``search_fts`` configured as the case table's search index, time limits raised so
that its facets and searches finish rather than give up) on the database in
``PEERLADDER_DATA_DIR``, then loads each pair of requests in alternating rounds:
peerladder for ``--seconds``, Datasette for ``--seconds``, ``--rounds`` times, with
wrk (Debian's package; C, so it leaves the two cores to the servers) or, for the
rows whose requests take Datasette seconds and where wrk is missing, processes of
Python threads. Prints requests per second, p50 and p99 at saturation, the ratio,
and p50/p99 again at a fixed rate (half of peerladder's saturating rate) for the
case page and the case JSON, from one process of asyncio connections that counts
each latency from when its request was due.

Build the database first (and the similar-cases index the case page shows)::

    PEERLADDER_DATA_DIR=/tmp/b100k python bench/generate.py --cases 100000 --load
    PEERLADDER_DATA_DIR=/tmp/b100k peerladder index rebuild
    PEERLADDER_DATA_DIR=/tmp/b100k python bench/bench_http.py

Needs Datasette: ``pip install -e '.[bench]'`` (a benchmark-only extra).

``--language es`` (or fr, pt-br, de, it) compares peerladder with itself instead: the
English pages against the same pages in that language (``/es/cases/...``, the API with
``?lang=es``), in the same alternating rounds; no Datasette needed.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import multiprocessing
import os
import platform
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HOST = "127.0.0.1"


@dataclass
class Result:
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    # From wrk, which reports percentiles, not each latency: one pair per round, averaged.
    percentiles: list[dict[float, float]] = field(default_factory=list)

    def add(self, other: Result) -> None:
        self.requests += other.requests
        self.errors += other.errors
        self.seconds = max(self.seconds, other.seconds)
        self.latencies += other.latencies
        self.percentiles += other.percentiles

    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if self.percentiles and not self.latencies:
            return sum(round_[p] for round_ in self.percentiles) / len(self.percentiles)
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


def _thread_load(port: int, paths: list[str], start: int, until: float, out: Result) -> None:
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    index = start
    while (began := time.perf_counter()) < until:
        path = paths[index % len(paths)]
        index += 1
        try:
            connection.request("GET", path, headers={"Accept-Encoding": "identity"})
            response = connection.getresponse()
            response.read()
            ok = response.status == 200
        except (OSError, http.client.HTTPException):
            ok = False
            connection.close()
            connection = http.client.HTTPConnection(HOST, port, timeout=60)
        out.latencies.append(time.perf_counter() - began)
        out.requests += ok
        out.errors += not ok
    connection.close()


def _process_load(args: tuple[int, list[str], int, int, float]) -> Result:
    port, paths, threads, seed, seconds = args
    until = time.perf_counter() + seconds
    results = [Result() for _ in range(threads)]
    workers = [
        threading.Thread(
            target=_thread_load,
            args=(port, paths, seed * 7919 + n * 104729, until, results[n]),
        )
        for n in range(threads)
    ]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    total = Result(seconds=time.perf_counter() - started)
    for result in results:
        total.add(result)
    return total


async def _paced_connection(
    port: int, paths: list[str], start: int, interval: float, until: float, out: Result
) -> None:
    """One keep-alive connection sending a request every ``interval`` seconds, from a
    random phase; each latency counts from when its request was due."""
    reader, writer = await asyncio.open_connection(HOST, port)
    index = start
    due = time.perf_counter() + interval * random.Random(start).random()
    while due < until:
        pause = due - time.perf_counter()
        if pause > 0:
            await asyncio.sleep(pause)
        path = paths[index % len(paths)]
        index += 1
        request = f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nAccept-Encoding: identity\r\n\r\n"
        try:
            writer.write(request.encode())
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            await reader.readexactly(length)
            ok = head.startswith(b"HTTP/1.1 200")
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            ok = False
            writer.close()
            reader, writer = await asyncio.open_connection(HOST, port)
        out.latencies.append(time.perf_counter() - due)
        out.requests += ok
        out.errors += not ok
        due += interval
    writer.close()


def _paced_process(args: tuple[int, list[str], int, float, float]) -> Result:
    port, paths, connections, seconds, rate = args
    total = Result(seconds=seconds)
    until = time.perf_counter() + seconds
    interval = connections / rate

    async def everything() -> None:
        await asyncio.gather(
            *(
                _paced_connection(port, paths, n * 104729, interval, until, total)
                for n in range(connections)
            )
        )

    asyncio.run(everything())
    return total


def paced_load(
    pool: multiprocessing.pool.Pool,
    port: int,
    paths: list[str],
    *,
    connections: int,
    seconds: float,
    rate: float,
) -> Result:
    """A fixed rate from one process of asyncio connections: it costs about a sixth of a
    core at 1,000 requests a second, where the threads of ``load`` cost most of one and
    their late wake-ups were counted as the server's latency."""
    return pool.apply(_paced_process, ((port, paths, connections, seconds, rate),))


def load(
    pool: multiprocessing.pool.Pool,
    port: int,
    paths: list[str],
    *,
    connections: int,
    processes: int,
    seconds: float,
) -> Result:
    """Saturating load from ``processes`` processes of threads, each thread one
    keep-alive connection (the rows wrk cannot time, and machines without wrk)."""
    threads = max(1, connections // processes)
    jobs = [(port, paths, threads, seed, seconds) for seed in range(processes)]
    total = Result()
    for result in pool.map(_process_load, jobs):
        total.add(result)
    return total


# wrk's script: each thread requests the paths listed in BENCH_PATHS in turn, from a
# different starting point.
WRK_SCRIPT = """
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
local turn = 0
function init(args)
  turn = math.random(#paths)
end
function request()
  turn = turn + 1
  return wrk.format("GET", paths[(turn % #paths) + 1])
end
"""
# Rows whose requests take Datasette seconds each: wrk stops at the round's end and
# drops what is still running (Datasette then shows 0 req/s); Python's threads wait
# for each answer, so every request started is counted with its whole latency.
SLOW_ROWS = ("search", "list")
_WRK_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def wrk_load(port: int, paths: list[str], *, connections: int, seconds: float) -> Result:
    """Saturating load from wrk (Debian's package ``wrk``), written in C: it leaves more
    of the two cores to the servers than the Python generator, which costs each server
    CPU in proportion to its own rate and so squeezes the ratios towards 1."""
    with tempfile.TemporaryDirectory(prefix="bench-wrk-") as scratch:
        script = Path(scratch) / "paths.lua"
        script.write_text(WRK_SCRIPT)
        listing = Path(scratch) / "paths.txt"
        listing.write_text("\n".join(paths) + "\n")
        output = subprocess.run(
            [
                "wrk",
                "--threads",
                "2",
                "--connections",
                str(connections),
                "--duration",
                f"{seconds:g}s",
                "--latency",
                # Datasette's searches and facets take seconds each: wait for them.
                "--timeout",
                "60s",
                "--script",
                str(script),
                f"http://{HOST}:{port}",
            ],
            env={**os.environ, "BENCH_PATHS": str(listing)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    result = Result(seconds=seconds)
    percentiles: dict[float, float] = {}
    for line in output.splitlines():
        words = line.split()
        if line.strip().startswith(("50%", "99%")) and len(words) == 2:
            number = words[1].rstrip("usm")
            unit = words[1][len(number) :]
            percentiles[float(words[0].rstrip("%"))] = float(number) * _WRK_UNITS[unit]
        elif "requests in" in line:
            result.requests = int(words[0])
        elif line.startswith("Non-2xx or 3xx responses:"):
            result.errors += int(words[-1])
        elif line.strip().startswith("Socket errors:"):
            # "connect 0, read 0, write 0, timeout 0"
            result.errors += sum(int(word.rstrip(",")) for word in words[3::2])
    result.requests -= result.errors
    result.percentiles.append(percentiles)
    return result


def wait_for(port: int, path: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=5)
            connection.request("GET", path)
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"bench_http: nothing answered {path} on port {port} in {seconds:.0f} s")


def start(command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def stop(server: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(server.pid, signal.SIGKILL)


def sample(database: Path, hot: int, seed: int) -> tuple[list[tuple[int, str]], int]:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        total = db.execute("SELECT count(*) FROM catalogue_case").fetchone()[0]
        ids = [row[0] for row in db.execute("SELECT id FROM catalogue_case WHERE NOT archived")]
        rng = random.Random(seed)
        chosen = rng.sample(ids, min(hot, len(ids)))
        rows = []
        for number in chosen:
            slug = db.execute("SELECT slug FROM catalogue_case WHERE id = ?", (number,)).fetchone()
            rows.append((number, slug[0]))
    return rows, total


def machine() -> str:
    memory = subprocess.run(["free", "-g"], capture_output=True, text=True).stdout.strip()
    return (
        f"{os.cpu_count()} cores (nproc), Python {platform.python_version()}, "
        f"{platform.platform()}\n{memory}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="per round and server")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--processes", type=int, default=2, help="load generator processes")
    parser.add_argument("--hot", type=int, default=1000, help="distinct cases requested")
    parser.add_argument("--peerladder-port", type=int, default=8801)
    parser.add_argument("--datasette-port", type=int, default=8802)
    parser.add_argument("--warm-passes", type=int, default=4, help="over every path first")
    parser.add_argument(
        "--generator",
        choices=["wrk", "python"],
        default="wrk" if shutil.which("wrk") else "python",
        help="the saturating load: wrk (apt-get install wrk; the default when installed) or "
        "processes of Python threads; the fixed-rate runs always use Python's",
    )
    parser.add_argument("--only", help="comma-separated rows to run (case,json,search,list,floor)")
    parser.add_argument(
        "--language",
        choices=["es", "fr", "pt-br", "de", "it"],
        help="instead of Datasette, compare peerladder's English pages with this language's "
        "(/LANG/cases/..., ?lang=LANG on the API), on the same server",
    )
    args = parser.parse_args()
    args.other = f"peerladder {args.language}" if args.language else "Datasette"

    if args.language is None and (
        shutil.which("datasette") is None
        and not (Path(sys.executable).parent / "datasette").exists()
    ):
        print(
            "bench_http: Datasette is not installed. Install the benchmark extra:\n"
            "    pip install -e '.[bench]'      (Datasette 0.65, for benchmarks only)",
            file=sys.stderr,
        )
        return 2
    data_dir = os.environ.get("PEERLADDER_DATA_DIR")
    database = Path(data_dir or "var") / "peerladder.sqlite3"
    if not database.exists():
        print(
            f"bench_http: no database at {database}; build one with "
            "PEERLADDER_DATA_DIR=DIR python bench/generate.py --cases N --load",
            file=sys.stderr,
        )
        return 2
    hot, total = sample(database, args.hot, seed=18)
    word = "commons"
    rows = {
        # First: after a round of the slow rows (search, list) Datasette is still
        # working through the queries queued in it, which would count against its floor.
        "floor": ("framework floor", ["/healthz"], ["/-/versions.json"]),
        "case": (
            "case page HTML",
            [f"/cases/{slug}" for _, slug in hot],
            [f"/peerladder/catalogue_case/{number}" for number, _ in hot],
        ),
        "json": (
            "case JSON",
            [f"/api/cases/{slug}" for _, slug in hot],
            [f"/peerladder/catalogue_case/{number}.json" for number, _ in hot],
        ),
        "search": (
            f"search {word!r}, top 20",
            [f"/api/cases?q={word}&page_size=20"],
            [f"/peerladder/catalogue_case.json?_search={word}&_size=20"],
        ),
        "list": (
            "list page with facets",
            ["/cases?sector=software"],
            [
                "/peerladder/catalogue_case?sector=software&_facet=standing_rung"
                "&_facet=standing_economy&_facet=production&_facet=contested"
            ],
        ),
    }
    if args.language:
        lang = args.language
        rows = {
            "case": (
                "case page HTML",
                rows["case"][1],
                [f"/{lang}/cases/{slug}" for _, slug in hot],
            ),
            "json": (
                "case JSON",
                rows["json"][1],
                [f"{path}?lang={lang}" for path in rows["json"][1]],
            ),
            "search": (
                rows["search"][0],
                rows["search"][1],
                [f"{rows['search'][1][0]}&lang={lang}"],
            ),
            "list": (rows["list"][0], rows["list"][1], [f"/{lang}/cases?sector=software"]),
        }
        args.datasette_port = args.peerladder_port
    wanted = args.only.split(",") if args.only else list(rows)

    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    metadata = {
        "databases": {
            "peerladder": {
                "tables": {"catalogue_case": {"fts_table": "search_fts", "fts_pk": "id"}}
            }
        }
    }
    with tempfile.TemporaryDirectory(prefix="bench-http-") as scratch:
        metadata_path = Path(scratch) / "metadata.json"
        metadata_path.write_text(json.dumps(metadata))
        peerladder = start(
            [
                str(bin_dir / "peerladder"),
                "serve",
                "--workers",
                "2",
                "--port",
                str(args.peerladder_port),
            ],
            env,
        )
        datasette = (
            None
            if args.language
            else start(
                [
                    str(bin_dir / "datasette"),
                    "serve",
                    str(database),
                    "--port",
                    str(args.datasette_port),
                    "--metadata",
                    str(metadata_path),
                    "--setting",
                    "sql_time_limit_ms",
                    "60000",
                    "--setting",
                    "facet_time_limit_ms",
                    "60000",
                ],
                env,
            )
        )
        try:
            wait_for(args.peerladder_port, "/healthz")
            if datasette is not None:
                wait_for(args.datasette_port, "/-/versions.json")
            print(f"{total:,} cases in {database}; {len(hot):,} distinct cases requested")
            print(machine())
            generator = (
                f"wrk, 2 threads (search and list: {args.processes} Python processes)"
                if args.generator == "wrk"
                else f"{args.processes} Python processes"
            )
            print(
                f"{args.rounds} alternating rounds of {args.seconds:g} s each, "
                f"{args.connections} connections from {generator}\n"
            )
            return run(args, rows, wanted)
        finally:
            stop(peerladder)
            if datasette is not None:
                stop(datasette)


def run(args: argparse.Namespace, rows: dict, wanted: list[str]) -> int:  # type: ignore[type-arg]
    context = multiprocessing.get_context("fork")
    table: list[tuple[str, Result, Result]] = []
    fixed: list[tuple[str, float, Result, Result]] = []
    with context.Pool(args.processes) as pool:
        for name in wanted:
            label, ours, theirs = rows[name]
            # Passes over every path first, so both servers' caches are warm, as in
            # steady use: four, each request on a new connection, because each of
            # peerladder's workers has its own cache when no Redis is configured
            # (a case a worker has not yet rendered is left with odds of 1 in 16).
            for port, paths in ((args.peerladder_port, ours), (args.datasette_port, theirs)):
                for path in paths * args.warm_passes:
                    connection = http.client.HTTPConnection(HOST, port, timeout=120)
                    connection.request("GET", path)
                    connection.getresponse().read()
                    connection.close()
            total_ours, total_theirs = Result(), Result()
            for _ in range(args.rounds):
                for port, paths, total in (
                    (args.peerladder_port, ours, total_ours),
                    (args.datasette_port, theirs, total_theirs),
                ):
                    result = (
                        wrk_load(port, paths, connections=args.connections, seconds=args.seconds)
                        if args.generator == "wrk" and name not in SLOW_ROWS
                        else load(
                            pool,
                            port,
                            paths,
                            connections=args.connections,
                            processes=args.processes,
                            seconds=args.seconds,
                        )
                    )
                    total.requests += result.requests
                    total.errors += result.errors
                    total.seconds += result.seconds
                    total.latencies += result.latencies
                    total.percentiles += result.percentiles
            table.append((label, total_ours, total_theirs))
            print_row(label, total_ours, total_theirs, args.other)
            if name in ("case", "json"):
                rate = total_ours.rate() / 2
                at_ours, at_theirs = (
                    paced_load(
                        pool,
                        port,
                        paths,
                        connections=args.connections,
                        seconds=args.seconds * args.rounds,
                        rate=rate,
                    )
                    for port, paths in ((args.peerladder_port, ours), (args.datasette_port, theirs))
                )
                fixed.append((label, rate, at_ours, at_theirs))
    print()
    print(
        f"| request | peerladder req/s (p50 / p99 ms) | {args.other} req/s (p50 / p99 ms) | ratio |"
    )
    print("|---|---|---|---|")
    for label, ours, theirs in table:
        ratio = ours.rate() / theirs.rate() if theirs.rate() else float("inf")
        print(
            f"| {label} | {ours.rate():,.0f} ({ours.percentile(50):.1f} / "
            f"{ours.percentile(99):.1f}) | {theirs.rate():,.0f} ({theirs.percentile(50):.1f} / "
            f"{theirs.percentile(99):.1f}) | {ratio:.2f}× |"
        )
        if ours.errors or theirs.errors:
            print(f"|  errors | {ours.errors} | {theirs.errors} | |")
    if fixed:
        print()
        print("At a fixed rate (half of peerladder's saturating rate), latency from when each")
        print("request was due:")
        print()
        print(f"| request | rate | peerladder p50 / p99 ms | {args.other} p50 / p99 ms |")
        print("|---|---|---|---|")
        for label, rate, ours, theirs in fixed:
            print(
                f"| {label} | {rate:,.0f} req/s | {ours.percentile(50):.1f} / "
                f"{ours.percentile(99):.1f} | {theirs.percentile(50):.1f} / "
                f"{theirs.percentile(99):.1f} |"
            )
    return 0


def print_row(label: str, ours: Result, theirs: Result, other: str) -> None:
    print(
        f"{label:<24} peerladder {ours.rate():8,.0f} req/s p50 {ours.percentile(50):7.1f} ms "
        f"p99 {ours.percentile(99):7.1f} ms | {other} {theirs.rate():8,.0f} req/s "
        f"p50 {theirs.percentile(50):7.1f} ms p99 {theirs.percentile(99):7.1f} ms",
        flush=True,
    )


if __name__ == "__main__":
    sys.exit(main())
