"""Benchmark of ``peerladder import`` and ``peerladder export`` on generated cases.

Run with ``python bench/bench_import.py [--cases N] [--database-url URL]``. It
writes N generated cases (default 10,000) as JSON Lines, imports them into a
fresh data directory (an SQLite file unless ``--database-url`` names another
database, which must be empty), then exports them as JSON Lines and CSV, and
prints the time and rate of each step. The commands run as separate processes,
exactly as a user runs them.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

ANSWERS = [
    {
        "directed_by": "peers",
        "value": "use",
        "producers": "group",
        "monetization": "none",
        "output_license": "commons",
    },
    {"directed_by": "firm", "participant_role": "performs_step"},
    {"directed_by": "firm", "participant_role": "chooses"},
    {"directed_by": "peers", "value": "exchange", "producers": "group"},
]
SECTORS = ["software", "knowledge", "media", "commerce", "food", "other"]
COUNTRIES = ["US", "DE", "ES", "FR", "BR", "IN", "JP", "KE"]


def generated_records(count: int, seed: int = 7) -> bytes:
    """``count`` valid case records, each with two sources and one or two placements."""
    rng = random.Random(seed)
    lines = []
    for index in range(count):
        slug = f"generated-case-{index}"
        urls = [f"https://example.org/{slug}/{n}" for n in range(2)]
        start = rng.randint(1980, 2020)
        placements = [
            {
                "answers": rng.choice(ANSWERS),
                "valid_from": str(start),
                "valid_to": None,
                "rationale": "Generated for the import benchmark.",
                "sources": [urls[0]],
                "author": f"contributor-{rng.randint(1, 50)}",
            }
            for _ in range(rng.randint(1, 2))
        ]
        record = {
            "slug": slug,
            "name": f"Generated case {index}",
            "summary": "A case generated for the import benchmark.",
            "description": "",
            "website": f"https://{slug}.example.org/",
            "wikidata": None,
            "countries": rng.sample(COUNTRIES, rng.randint(1, 2)),
            "sector": rng.choice(SECTORS),
            "org_form": "company",
            "founded": start,
            "ended": None,
            "tags": ["generated"],
            "sources": [
                {"url": url, "title": f"Source {n}", "publisher": "", "published": None}
                for n, url in enumerate(urls)
            ],
            "placements": placements,
            "relations": [],
        }
        lines.append(orjson.dumps(record))
    return b"\n".join(lines) + b"\n"


def _run(command: str, arguments: list[str], environment: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-c",
            f"from peerladder.interchange.commands import {command}; {command}()",
            *arguments,
        ],
        env=environment,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000, help="how many cases to generate")
    parser.add_argument("--database-url", default=None, help="an empty database to import into")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="peerladder-bench-") as directory:
        folder = Path(directory)
        source = folder / "cases.jsonl"
        source.write_bytes(generated_records(options.cases))
        environment = {
            key: value
            for key, value in os.environ.items()
            if key not in ("PEERLADDER_DATABASE_URL", "DJANGO_SETTINGS_MODULE")
        }
        environment["PEERLADDER_DATA_DIR"] = str(folder / "data")
        environment["DJANGO_SETTINGS_MODULE"] = "peerladder.config.settings"
        if options.database_url:
            environment["PEERLADDER_DATABASE_URL"] = options.database_url
        where = options.database_url or "SQLite"
        seconds = _run("import_", [str(source)], environment)
        print(
            f"import of {options.cases:,} cases into {where}: {seconds:.1f} s "
            f"({options.cases / seconds:,.0f} cases/s)"
        )
        for fmt in ("jsonl", "csv"):
            target = folder / f"out.{fmt}"
            seconds = _run("export", ["--format", fmt, "-o", str(target)], environment)
            print(
                f"export of {options.cases:,} cases as {fmt}: {seconds:.1f} s "
                f"({options.cases / seconds:,.0f} cases/s)"
            )


if __name__ == "__main__":
    main()
