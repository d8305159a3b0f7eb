"""Latency of full-text search (top 20, with and without facets) and of similar cases.

Fills the database named by the environment (PEERLADDER_DATA_DIR /
PEERLADDER_DATABASE_URL) with ``--cases`` synthetic cases from bench/generate.py
(bulk_create; the search triggers index every row) when it holds fewer, then
times the search selector in process. The time budgets are lifted so that slow
queries show up as slow rather than as stopped. ``--no-similar`` skips building
and timing the similar-cases index (slow and memory-hungry at a million cases).

    python bench/bench_search.py --cases 100000
    python bench/bench_search.py --cases 1000000 --no-similar
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)

    def at(share: float) -> float:
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000

    return (
        f"p50 {at(0.50):7.2f} ms  p95 {at(0.95):7.2f} ms  "
        f"mean {statistics.fmean(ordered) * 1000:7.2f} ms  (n={len(ordered)})"
    )


def timed(label: str, run: Callable[[], object], *, runs: int) -> None:
    run()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        samples.append(time.perf_counter() - started)
    print(f"{label:<44} {percentiles(samples)}")


def renamed(records: Iterator[dict[str, Any]], batch: int) -> Iterator[dict[str, Any]]:
    """The generator's slugs restart at 0 on every call: make a later batch's unique."""
    for record in records:
        yield {**record, "slug": f"{record['slug']}-{batch}"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-similar", action="store_true", help="skip similar cases")
    args = parser.parse_args()

    generate.setup_django()
    from django.conf import settings
    from django.db import connection

    from peerladder.catalogue.models import Case
    from peerladder.catalogue.selectors import CaseFilters
    from peerladder.search.selectors import search_page
    from peerladder.search.similar import rebuild_similar, similar_cases

    settings.SEARCH_TIME_LIMIT_MS = 600_000
    settings.FACET_TIME_LIMIT_MS = 600_000
    have = Case.objects.count()
    if have < args.cases:
        started = time.perf_counter()
        generate.bulk_load(renamed(generate.records(args.cases - have, seed=have + 1), have))
        print(f"\nloaded {args.cases - have} cases in {time.perf_counter() - started:.1f} s")
    total = Case.objects.count()
    print(f"{connection.vendor}, {total} cases")

    rng = random.Random(args.seed)
    words = generate.WORDS

    def query(kind: str) -> str:
        if kind == "one word":
            return rng.choice(words)
        if kind == "two words":
            return f"{rng.choice(words)} {rng.choice(words)}"
        if kind == "phrase":
            return f'"{rng.choice(words)} {rng.choice(words)}"'
        return f"{rng.choice(words)[:3]}*"

    for kind in ("one word", "two words", "phrase", "prefix"):
        timed(
            f"search top 20, {kind}",
            lambda kind=kind: search_page(
                filters=CaseFilters(query=query(kind)), page_size=20, with_facets=False
            ),
            runs=args.runs,
        )
        timed(
            f"search top 20 + 5 facets, {kind}",
            lambda kind=kind: search_page(filters=CaseFilters(query=query(kind)), page_size=20),
            runs=max(10, args.runs // 5),
        )

    if args.no_similar:
        return
    started = time.perf_counter()
    rebuild_similar()
    print(f"similar index built in {time.perf_counter() - started:.1f} s")
    ids = list(Case.objects.values_list("id", flat=True)[:5000])
    timed(
        "similar cases (6)",
        lambda: similar_cases(Case.objects.get(pk=rng.choice(ids))),
        runs=args.runs,
    )


if __name__ == "__main__":
    main()
