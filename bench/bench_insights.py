"""Benchmark of the insights: the /insights page, each chart and the report.

Run with ``python bench/bench_insights.py [--cases N]``. It creates a fresh
database (a temporary SQLite file unless PEERLADDER_DATABASE_URL is set; on
PostgreSQL point it at an empty scratch database), fills it with N synthetic
cases written straight with ``bulk_create`` (bypassing the services, for
speed: no revisions), then prints:

1. the time each chart and the report take to compute from the database
   (cold, no cache), and to render the chart to SVG;
2. /insights served through its view: the first (cold) request, then the p50
   and p95 of warm requests (cached; one aggregate query for the cache key).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

RUNG_ANSWERS: dict[int, dict[str, str]] = {
    1: {"directed_by": "firm", "participant_role": "receives"},
    2: {"directed_by": "firm", "participant_role": "chooses"},
    3: {"directed_by": "firm", "participant_role": "performs_step"},
    4: {"directed_by": "firm", "participant_role": "customizes"},
    5: {"directed_by": "firm", "participant_role": "designs", "contributor_pay": "unpaid"},
    6: {"directed_by": "peers", "value": "use", "producers": "group", "monetization": "none"},
    7: {"directed_by": "peers", "value": "use", "producers": "group", "monetization": "equitable"},
    8: {
        "directed_by": "peers",
        "value": "use",
        "producers": "group",
        "monetization": "commons_ecology",
        "output_license": "commons",
    },
    9: {
        "directed_by": "peers",
        "value": "use",
        "producers": "individuals",
        "monetization": "attention",
    },
    10: {"directed_by": "peers", "value": "exchange", "producers": "group"},
    11: {"directed_by": "peers", "value": "exchange", "producers": "individuals"},
}
RUNG_WEIGHTS = [3, 6, 5, 6, 8, 14, 4, 12, 14, 8, 10]
ECONOMY = {5: "crowdsourcing", 6: "commons", 7: "commons", 8: "commons", 9: "sharing"}
SECTORS = ["software", "knowledge", "media", "commerce", "travel", "food", "work", "other"]
COUNTRIES = ["US", "DE", "ES", "FR", "GB", "IN", "BR", "JP", "NG", "SE"]
COSTS = ["low", "medium", "high"]


def setup(database_url: str | None) -> None:
    if database_url:
        os.environ["PEERLADDER_DATABASE_URL"] = database_url
    os.environ.setdefault("PEERLADDER_DATA_DIR", tempfile.mkdtemp(prefix="peerladder-bench-"))
    from peerladder.cli.runtime import setup_django

    setup_django()


def generate(count: int, seed: int) -> None:
    """``count`` cases with placements: most placed once, some by several people, some moved."""
    from django.db import transaction

    from peerladder.accounts.models import User
    from peerladder.catalogue.models import Case, CaseCountry, Placement

    rng = random.Random(seed)
    author, _ = User.objects.get_or_create(username="bench")
    batch = 5000
    start_id = (Case.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    for offset in range(0, count, batch):
        size = min(batch, count - offset)
        cases, countries, placements = [], [], []
        for index in range(size):
            number = start_id + offset + index
            rung = rng.choices(range(1, 12), weights=RUNG_WEIGHTS)[0]
            answers = dict(RUNG_ANSWERS[rung])
            if rng.random() < 0.6:
                answers["capital_cost"] = rng.choice(COSTS)
                answers["coordination_cost"] = rng.choice(COSTS)
            shape = rng.random()
            rows = [(rung, "2005")]
            if shape < 0.08:  # a second contributor, who sometimes disagrees
                rows.append((rung if rng.random() < 0.6 else rng.randint(1, 11), "2005"))
            elif shape < 0.13:  # moved to another rung in a later period
                rows.append((rng.randint(1, 11), str(rng.randint(2006, 2024))))
            latest = max(row[1] for row in rows)
            standing = [r for r, start in rows if start == latest]
            tied = len(standing) == 2 and standing[0] != standing[1]
            standing_rung = None if tied else standing[0]
            cases.append(
                Case(
                    id=number,
                    slug=f"bench-{number}",
                    name=f"Bench case {number}",
                    summary="A synthetic case for the benchmark.",
                    sector=rng.choice(SECTORS),
                    founded=rng.randint(1950, 2025),
                    standing_rung=standing_rung,
                    standing_economy=ECONOMY.get(standing_rung or 0),
                    agreement=0.5 if tied else 1.0,
                    contested=tied,
                    placement_count=len(rows),
                    revision_number=1,
                )
            )
            countries.append(CaseCountry(case_id=number, code=rng.choice(COUNTRIES)))
            for placed_rung, valid_from in rows:
                placements.append(
                    Placement(
                        case_id=number,
                        answers={**RUNG_ANSWERS[placed_rung], **answers}
                        if placed_rung == rung
                        else RUNG_ANSWERS[placed_rung],
                        rung=placed_rung,
                        economy=ECONOMY.get(placed_rung),
                        valid_from=valid_from,
                        rationale="Synthetic.",
                        author=author,
                    )
                )
        with transaction.atomic():
            Case.objects.bulk_create(cases)
            CaseCountry.objects.bulk_create(countries)
            Placement.objects.bulk_create(placements)


def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = call()
    return (time.perf_counter() - started) * 1000, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000, help="synthetic cases to create")
    parser.add_argument("--requests", type=int, default=200, help="warm /insights requests")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database-url", default=None, help="default: a temporary SQLite file")
    args = parser.parse_args(argv)

    setup(args.database_url)
    from django.contrib.auth.models import AnonymousUser
    from django.core.cache import cache
    from django.db import connection
    from django.test import RequestFactory

    from peerladder.catalogue.models import Case
    from peerladder.insights import charts, report
    from peerladder.web.insights_pages import insights

    if Case.objects.exists():
        print("The database is not empty: point --database-url at a scratch database.")
        return 2
    elapsed, _ = timed(lambda: generate(args.cases, args.seed))
    print(f"{connection.vendor}: generated {args.cases:,} cases in {elapsed / 1000:.1f} s")

    for name in charts.NAMES:
        build_ms, built = timed(lambda name=name: charts.build(name))
        svg_ms, _ = timed(lambda built=built: charts.render_svg(built.spec))
        print(f"  chart {name:<13} data {build_ms:8.1f} ms   SVG {svg_ms:7.1f} ms")
    report_ms, _ = timed(report.build_report)
    print(f"  report               data {report_ms:8.1f} ms")

    factory = RequestFactory()

    def get() -> int:
        request = factory.get("/insights")
        request.user = AnonymousUser()
        return insights(request).status_code

    cache.clear()
    cold_ms, status = timed(get)
    assert status == 200
    warm = sorted(timed(get)[0] for _ in range(args.requests))
    p95 = warm[int(0.95 * (len(warm) - 1))]
    print(
        f"  /insights  cold {cold_ms:.1f} ms; warm p50 {statistics.median(warm):.1f} ms, "
        f"p95 {p95:.1f} ms over {args.requests} requests"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
