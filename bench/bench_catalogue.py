"""Latency of the catalogue's list, filter and detail pages and endpoints.

Fills the database named by the environment (PEERLADDER_DATA_DIR /
PEERLADDER_DATABASE_URL) with ``--cases`` synthetic cases from bench/generate.py
when it holds fewer, then times requests in process through Django's test
client (full middleware, templates and queries; no network, no cache).

    python bench/bench_catalogue.py --cases 100000
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)

    def at(share: float) -> float:
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000

    return (
        f"p50 {at(0.50):7.2f} ms  p95 {at(0.95):7.2f} ms  p99 {at(0.99):7.2f} ms  "
        f"mean {statistics.fmean(ordered) * 1000:7.2f} ms  (n={len(ordered)})"
    )


def timed(label: str, make_path: Callable[[], str], *, runs: int) -> None:
    from django.test import Client

    client = Client()
    client.get(make_path())  # warm up the code paths, not the data
    samples = []
    for _ in range(runs):
        path = make_path()
        started = time.perf_counter()
        response = client.get(path)
        samples.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
    print(f"{label:<34} {percentiles(samples)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()
    generate.setup_django()
    from django.conf import settings
    from django.db import connection

    from peerladder.catalogue.models import Case

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    have = Case.objects.count()
    if have < args.cases:
        print(f"generating {args.cases - have} cases…", file=sys.stderr)
        stream = generate.records(args.cases)
        for _ in range(have):
            next(stream)
        generate.bulk_load(stream)
        print(file=sys.stderr)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    total = Case.objects.count()
    rng = random.Random(7)
    slugs = list(
        Case.objects.order_by("?").values_list("slug", flat=True)[: args.runs * 2]
        if total <= 200_000
        else Case.objects.filter(
            pk__in=[rng.randint(1, total) for _ in range(args.runs * 2)]
        ).values_list("slug", flat=True)
    )
    print(f"{connection.vendor}, {total} cases, {args.runs} requests each")
    timed("case page /cases/<slug>", lambda: f"/cases/{rng.choice(slugs)}", runs=args.runs)
    timed("API GET /api/cases/<slug>", lambda: f"/api/cases/{rng.choice(slugs)}", runs=args.runs)
    timed("list /cases (page 1)", lambda: "/cases", runs=args.runs // 3)
    timed(
        "list /cases?rung=N",
        lambda: f"/cases?rung={rng.randint(1, 11)}&page={rng.randint(1, 50)}",
        runs=args.runs // 3,
    )
    timed(
        "API /api/cases?sector&country",
        lambda: f"/api/cases?sector=energy&country={rng.choice(generate.COUNTRIES)}",
        runs=args.runs // 3,
    )


if __name__ == "__main__":
    main()
