"""What each kind of request costs the database, on the primary and on a replica.

Runs requests in process through Django's test client (full middleware, the replica
router included) against the databases named by the environment:
PEERLADDER_DATABASE_URL (a PostgreSQL primary holding a catalogue, e.g. from
``generate.py --cases 100000 --load``) and PEERLADDER_DATABASE_REPLICA_URLS (one
streaming replica of it). Each read-only request is run twice: pinned to the
primary (as a client that just wrote) and routed to the replica. For each kind it
prints the wall time, and per database the number of queries and the time spent
in them (Django's own per-query timing: the round trip and fetch, as the app
server waits for it). docs/scaling.md derives the capacity from these figures.

    PEERLADDER_DATABASE_URL=postgresql://postgres@127.0.0.1:55432/peerladder \\
    PEERLADDER_DATABASE_REPLICA_URLS=postgresql://postgres@127.0.0.1:55433/peerladder \\
    python bench/bench_scale.py --cases 100000 --runs 200
"""

from __future__ import annotations

import argparse
import contextlib
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, required=True, help="cases in the catalogue")
    parser.add_argument("--runs", type=int, default=200, help="requests of each kind and place")
    args = parser.parse_args()

    generate.setup_django()
    from django.conf import settings
    from django.db import connections
    from django.test import Client
    from django.utils import timezone

    from peerladder.accounts.services import token_create, user_ensure
    from peerladder.config import replicas
    from peerladder.search.indexes import models_are_current, rebuild_indexes

    aliases = list(settings.DATABASES)
    if len(aliases) < 2:
        sys.exit("set PEERLADDER_DATABASE_REPLICA_URLS to a replica of the primary")
    replica = aliases[1]
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    if not models_are_current():
        print("building the learned models…", file=sys.stderr)
        rebuild_indexes()
    author = user_ensure(username="bench-scale", role="admin")
    # Old enough for the ordinary edit limit, which is lifted for the run.
    type(author).objects.filter(pk=author.pk).update(
        date_joined=timezone.now() - timezone.timedelta(days=2)
    )
    settings.RATE_LIMIT_EDITS = (10**9, 60)
    _, token = token_create(user=author, name="bench")
    rng = random.Random(11)

    def slug() -> str:
        return f"synthetic-{rng.randrange(args.cases):07d}"

    edited = {"number": 0}
    targets: list[tuple[str, str]] = []

    def next_edit() -> None:
        path = f"/api/cases/{slug()}"
        etag = Client().get(path, HTTP_AUTHORIZATION=f"Bearer {token}").headers["ETag"]
        targets.append((path, str(etag)))

    def edit(client: Client) -> Any:
        edited["number"] += 1
        path, etag = targets.pop()
        return client.patch(
            path,
            data={"summary": f"Edited by the scale benchmark, {edited['number']}."},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
            HTTP_IF_MATCH=etag,
        )

    class Timer:
        """Counts and times every query a connection runs (to the microsecond)."""

        def __init__(self) -> None:
            self.count = 0
            self.seconds = 0.0

        def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                self.count += 1
                self.seconds += time.perf_counter() - started

    kinds: list[tuple[str, Callable[[Client], Any], bool]] = [
        ("case page /cases/<slug>", lambda c: c.get(f"/cases/{slug()}"), True),
        ("case JSON /api/cases/<slug>", lambda c: c.get(f"/api/cases/{slug()}"), True),
        (
            "list /cases?page=N",
            lambda c: c.get(f"/cases?page={rng.randrange(1, 200)}"),
            True,
        ),
        (
            "search /api/cases?q=word",
            lambda c: c.get(f"/api/cases?q={rng.choice(generate.WORDS)}"),
            True,
        ),
        (
            "similar /api/cases/<slug>/similar",
            lambda c: c.get(f"/api/cases/{slug()}/similar"),
            True,
        ),
        ("health /healthz", lambda c: c.get("/healthz"), True),
        (
            "suggest POST /api/suggest",
            lambda c: c.post(
                "/api/suggest",
                data={"description": " ".join(rng.sample(generate.WORDS, 8))},
                content_type="application/json",
            ),
            False,
        ),
        ("edit PATCH /api/cases/<slug>", edit, False),
    ]

    pinned = Client()
    pinned.post("/api/suggest", data={"description": "pin"}, content_type="application/json")
    assert replicas.PIN_COOKIE in pinned.cookies
    settings.REPLICA_PIN_SECONDS = 10**6  # stays pinned for the whole run
    unpinned = Client()
    print(f"{args.cases} cases, {args.runs} requests of each kind and place")
    print(
        f"{'request':<36} {'reads from':<8} {'p50 ms':>7} {'mean ms':>8} "
        f"{'primary q':>9} {'primary ms':>10} {'replica q':>9} {'replica ms':>10}"
    )
    for label, send, read_only in kinds:
        places = (
            [("primary", pinned), ("replica", unpinned)] if read_only else [("primary", unpinned)]
        )
        for place, client in places:
            if send is edit:
                next_edit()
            send(client)  # warm: connections open, templates compiled
            walls: list[float] = []
            counts: dict[str, list[int]] = {aliases[0]: [], replica: []}
            times: dict[str, list[float]] = {aliases[0]: [], replica: []}
            for _ in range(args.runs):
                if send is edit:
                    next_edit()
                timers = {alias: Timer() for alias in counts}
                with contextlib.ExitStack() as stack:
                    for alias, timer in timers.items():
                        stack.enter_context(connections[alias].execute_wrapper(timer))
                    started = time.perf_counter()
                    response = send(client)
                    walls.append(time.perf_counter() - started)
                assert response.status_code < 400, (label, response.status_code)
                for alias, timer in timers.items():
                    counts[alias].append(timer.count)
                    times[alias].append(timer.seconds)
            print(
                f"{label:<36} {place:<8} {statistics.median(walls) * 1000:7.2f} "
                f"{statistics.fmean(walls) * 1000:8.2f} "
                f"{statistics.fmean(counts[aliases[0]]):9.1f} "
                f"{statistics.fmean(times[aliases[0]]) * 1000:10.2f} "
                f"{statistics.fmean(counts[replica]):9.1f} "
                f"{statistics.fmean(times[replica]) * 1000:10.2f}"
            )


if __name__ == "__main__":
    main()
