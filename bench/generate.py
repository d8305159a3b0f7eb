"""Deterministic synthetic catalogues for benchmarks.

``records(n, seed)`` yields case records in the documented JSON Lines format
(docs/dataset-format.md), the same for the same ``n`` and ``seed``. ``bulk_load``
writes them straight into the tables with ``bulk_create`` — fast enough for a
million cases, but it bypasses the services, so it writes no revisions: use it
for read benchmarks only, never for real data.

    python bench/generate.py --cases 100000 -o cases.jsonl     # a file to import
    python bench/generate.py --cases 100000 --load             # straight into the database
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import sys
import time
from collections.abc import Iterator
from typing import Any

WORDS = (
    "open", "commons", "cooperative", "platform", "market", "exchange", "network", "community",
    "peer", "share", "design", "build", "repair", "grow", "food", "energy", "solar", "housing",
    "music", "video", "photo", "map", "code", "library", "school", "health", "care", "mobility",
    "bike", "ride", "craft", "textile", "furniture", "toy", "data", "science", "archive", "news",
    "radio", "maker", "farm", "seed", "water", "local", "global", "fair", "trade", "credit",
)  # fmt: skip
COUNTRIES = ["US", "DE", "ES", "IT", "FR", "GB", "BR", "IN", "KE", "JP", "CN", "NL", "SE", "ZA"]
SECTORS = [
    "software", "knowledge", "media", "commerce", "travel", "transport", "manufacturing",
    "food", "finance", "energy", "housing", "health", "telecom", "design", "work", "other",
]  # fmt: skip
CASE_COLUMNS = (
    "slug", "name", "summary", "description", "website", "sector", "org_form", "founded", "tags",
)  # fmt: skip
FORMS = ["company", "nonprofit", "cooperative", "community", "public", "other"]
ANSWER_SETS: list[dict[str, str]] = [
    {"directed_by": "firm", "participant_role": "receives"},
    {"directed_by": "firm", "participant_role": "chooses"},
    {"directed_by": "firm", "participant_role": "performs_step"},
    {"directed_by": "firm", "participant_role": "customizes", "contributor_pay": "paid"},
    {"directed_by": "firm", "participant_role": "designs", "contributor_pay": "paid_if_chosen"},
    {"directed_by": "peers", "value": "use", "producers": "group", "monetization": "none",
     "output_license": "commons", "capital_cost": "low", "coordination_cost": "low"},
    {"directed_by": "peers", "value": "use", "producers": "group", "monetization": "equitable",
     "output_license": "commons", "capital_cost": "medium", "coordination_cost": "low"},
    {"directed_by": "peers", "value": "use", "producers": "group",
     "monetization": "commons_ecology", "output_license": "commons"},
    {"directed_by": "peers", "value": "use", "producers": "individuals",
     "monetization": "attention", "output_license": "proprietary"},
    {"directed_by": "peers", "value": "exchange", "producers": "group",
     "capital_cost": "high", "coordination_cost": "medium"},
    {"directed_by": "peers", "value": "exchange", "producers": "individuals"},
]  # fmt: skip


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def records(n: int, seed: int = 2008) -> Iterator[dict[str, Any]]:
    """``n`` synthetic case records; about 1 in 8 has a trajectory, 1 in 12 is contested."""
    rng = random.Random(seed)
    for index in range(n):
        slug = f"synthetic-{index:07d}"
        founded = rng.randint(1950, 2024)
        url = f"https://example.org/cases/{slug}"
        placements = []
        first = rng.randrange(len(ANSWER_SETS))
        placements.append(
            {
                "answers": ANSWER_SETS[first],
                "valid_from": str(founded),
                "valid_to": None,
                "rationale": _text(rng, 12),
                "sources": [url],
                "author": f"bench-{rng.randrange(50)}",
            }
        )
        roll = rng.random()
        if roll < 0.125 and founded < 2020:
            moved = rng.randint(founded + 1, 2024)
            placements[0]["valid_to"] = str(moved)
            placements.append(
                {
                    **placements[0],
                    "answers": ANSWER_SETS[rng.randrange(len(ANSWER_SETS))],
                    "valid_from": str(moved),
                    "valid_to": None,
                }
            )
        elif roll < 0.21:
            placements.append(
                {
                    **placements[0],
                    "answers": ANSWER_SETS[(first + 1) % len(ANSWER_SETS)],
                    "author": f"bench-{50 + rng.randrange(50)}",
                }
            )
        name = f"{_text(rng, 2).title()} {index}"
        yield {
            "slug": slug,
            "name": name,
            "summary": _text(rng, 25),
            "description": _text(rng, 60),
            "website": f"https://{slug}.example.org/",
            "wikidata": None,
            "countries": rng.sample(COUNTRIES, rng.choice((1, 1, 1, 2))),
            "sector": rng.choice(SECTORS),
            "org_form": rng.choice(FORMS),
            "founded": founded,
            "ended": None,
            "tags": rng.sample(WORDS, 3),
            "sources": [
                {
                    "url": url,
                    "title": f"About {name}",
                    "publisher": "Example",
                    "published": None,
                    "accessed": "2026-11-26",
                }
            ],
            "placements": placements,
            "relations": [],
        }


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerladder.config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def bulk_load(stream: Iterator[dict[str, Any]], *, batch: int = 5000) -> int:
    """Insert records in batches with bulk_create; returns the number of cases written."""
    from django.db import transaction

    from peerladder.accounts.services import user_ensure
    from peerladder.catalogue.models import Case, CaseCountry, Placement, Source
    from peerladder.ladder import classify
    from peerladder.ladder.trajectory import PlacementRow, standing

    users: dict[str, Any] = {}
    total = 0
    through = Placement.sources.through
    while True:
        chunk = list(itertools.islice(stream, batch))
        if not chunk:
            return total
        with transaction.atomic():
            cases = []
            for record in chunk:
                results = [classify(p["answers"]) for p in record["placements"]]
                latest = standing(
                    PlacementRow(p["valid_from"], p["valid_to"], r.rung, r.economy, r.viability)
                    for p, r in zip(record["placements"], results, strict=True)
                )
                assert latest is not None
                cases.append(
                    Case(
                        **{k: record[k] for k in CASE_COLUMNS},
                        standing_rung=latest.rung,
                        standing_economy=latest.economy,
                        standing_viability=latest.viability,
                        agreement=latest.consensus.agreement,
                        contested=latest.consensus.contested,
                        placement_count=len(results),
                        revision_number=1,
                    )
                )
            Case.objects.bulk_create(cases)
            countries, sources = [], []
            for case, record in zip(cases, chunk, strict=True):
                countries += [
                    CaseCountry(case=case, code=code, position=i)
                    for i, code in enumerate(record["countries"])
                ]
                sources += [
                    Source(case=case, url=s["url"], title=s["title"], publisher=s["publisher"])
                    for s in record["sources"]
                ]
            CaseCountry.objects.bulk_create(countries)
            Source.objects.bulk_create(sources)
            placements, links = [], []
            for case, record, source in zip(cases, chunk, sources, strict=True):
                for data in record["placements"]:
                    author = users.get(data["author"])
                    if author is None:
                        author = users[data["author"]] = user_ensure(username=data["author"])
                    result = classify(data["answers"])
                    placements.append(
                        Placement(
                            case=case,
                            answers=data["answers"],
                            rung=result.rung,
                            economy=result.economy,
                            viability=result.viability,
                            valid_from=data["valid_from"],
                            valid_to=data["valid_to"],
                            rationale=data["rationale"],
                            author=author,
                        )
                    )
                    links.append(source)
            Placement.objects.bulk_create(placements)
            through.objects.bulk_create(
                through(placement_id=p.pk, source_id=s.pk)
                for p, s in zip(placements, links, strict=True)
            )
        total += len(chunk)
        print(f"\r  loaded {total} cases", end="", file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2008)
    parser.add_argument("-o", "--output", help="write JSON Lines here")
    parser.add_argument("--load", action="store_true", help="bulk-load into the database")
    args = parser.parse_args()
    if args.output:
        import orjson

        with open(args.output, "wb") as out:
            for record in records(args.cases, args.seed):
                out.write(orjson.dumps(record) + b"\n")
    if args.load:
        setup_django()
        started = time.perf_counter()
        written = bulk_load(records(args.cases, args.seed))
        print(f"\nloaded {written} cases in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
