"""Benchmark of ``peerladder import`` on generated cases.

Run with ``python bench/bench_import.py [--cases N] [--database-url URL]``. It
writes N generated cases (default 10,000) as JSON Lines, then imports them into
a fresh data directory (an SQLite file unless ``--database-url`` names another
database, which must be empty) with the real command in a separate process. It
prints the time until the import is committed (the command's summary line), the
time including the rebuild of similar cases and rung suggestions that follows,
and the command's peak memory (that of its largest process).

``--phases`` imports in this process instead, reading the JSON Lines as the
command does, and times each table's writes, the full-text indexing, the rebuild
of set-aside indexes and the commit: their sum is the database's share, printed
with the wall time and the ratio of the two (the goal for a million cases on
SQLite: at most 1.15). ``--processes 1`` or ``2`` forces the import into one
process or two (a worker process checking and building rows); by default the
importer chooses by its threshold.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
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


def generated_records(count: int, seed: int = 7) -> Iterator[bytes]:
    """``count`` valid case records, each with two sources and one or two placements,
    as JSON Lines, one line at a time."""
    rng = random.Random(seed)
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
        yield orjson.dumps(record) + b"\n"


def phases(source: Path, processes: str) -> None:
    """Import ``source`` in this process, timing each phase and each table's writes.
    ``processes``: "1" or "2" to force the import into one process or two, "auto" to
    leave the choice to the importer's threshold."""
    import collections

    from peerladder.cli.runtime import setup_django

    setup_django()
    from django.db import connection

    from peerladder.catalogue import table_writer
    from peerladder.interchange import importer, plan
    from peerladder.interchange.parsers import iter_jsonl
    from peerladder.search import bulk as search_bulk

    if processes != "auto":
        importer.TWO_PROCESSES_FROM = 1 if processes == "2" else 10**12
        importer.TWO_PROCESSES_ON = (connection.vendor,)
    seconds: collections.Counter[str] = collections.Counter()
    rows: collections.Counter[str] = collections.Counter()

    def timed(name: str, function):  # type: ignore[no-untyped-def]
        def run(*args, **kwargs):  # type: ignore[no-untyped-def]
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                seconds[name] += time.perf_counter() - started

        return run

    for writer in (table_writer.SqliteWriter, table_writer.PostgresWriter):
        original = writer.insert

        def insert(self, model, fields, values, original=original):  # type: ignore[no-untyped-def]
            values = list(values)
            rows[model._meta.db_table] += len(values)
            timed(f"write {model._meta.db_table}", original)(self, model, fields, values)

        writer.insert = insert  # type: ignore[method-assign]
    if hasattr(importer, "cases_bulk_create"):  # the import in one process
        importer.cases_bulk_create = timed(
            "bulk create (rows and writes)", importer.cases_bulk_create
        )
    plan.Planner.plan = timed("check and plan", plan.Planner.plan)  # type: ignore[method-assign]
    table_writer.TableWriter.create_indexes = timed(  # type: ignore[method-assign]
        "database: rebuild of set-aside indexes", table_writer.TableWriter.create_indexes
    )
    search_bulk.BulkIndex.add = timed(  # type: ignore[method-assign]
        "database: full-text index of new cases", search_bulk.BulkIndex.add
    )
    connection.commit = timed("database: commit", connection.commit)  # type: ignore[method-assign]
    # The importer waits on its worker only in Connection.poll (the worker, forked
    # after this, waits elsewhere and keeps its own counts).
    from multiprocessing import connection as pipes

    pipes.Connection.poll = timed("waiting for the worker", pipes.Connection.poll)  # type: ignore[method-assign]
    started = time.perf_counter()
    # As `peerladder import` reads JSON Lines: line by line, parsed inside the import.
    with source.open("rb") as stream:
        report = importer.import_records(iter_jsonl(stream, name=source.name), user="bench")
    total = time.perf_counter() - started
    written = sum(rows.values())
    copy = sum(value for key, value in seconds.items() if key.startswith("write "))
    worker = (
        len(report.plans) >= importer.TWO_PROCESSES_FROM
        and connection.vendor in importer.TWO_PROCESSES_ON
    )
    print(
        f"{connection.vendor}: import of {len(report.plans):,} records "
        f"({'two processes' if worker else 'one process'}): {total:.1f} s"
    )
    if worker:
        spent = resource.getrusage(resource.RUSAGE_CHILDREN)
        print(
            "  (checking, planning and building rows ran in the worker process: "
            f"{spent.ru_utime + spent.ru_stime:.1f} s of processor time)"
        )
    for name, value in seconds.most_common():
        print(f"  {name:<40} {value:7.2f} s")
    print(
        f"  {written:,} rows written in {copy:.1f} s of writing: {written / copy:,.0f} rows/s; "
        f"{written / total:,.0f} rows/s over the whole import"
    )
    database = copy + sum(value for key, value in seconds.items() if key.startswith("database: "))
    print(f"  the database's share (writes, index, commit): {database:.1f} s")
    print(
        "  the importer's own Python work (the rest): "
        f"{total - database - seconds['waiting for the worker']:.1f} s"
    )
    print(
        f"  wall time {total:.1f} s = {total / database:.2f} x the database's share "
        f"(goal: at most 1.15 x); peak memory {_peak_mb():,.0f} MB"
    )


def _peak_mb() -> float:
    """The peak memory of this process plus that of the largest child it waited for
    (the import's worker process, when it runs in two)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000, help="how many cases to generate")
    parser.add_argument("--database-url", default=None, help="an empty database to import into")
    parser.add_argument(
        "--phases",
        action="store_true",
        help="import in this process and time each phase and table (no model rebuild)",
    )
    parser.add_argument(
        "--processes",
        choices=("auto", "1", "2"),
        default="auto",
        help="with --phases: force the import into one process or two",
    )
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="peerladder-bench-") as directory:
        folder = Path(directory)
        source = folder / "cases.jsonl"
        with source.open("wb") as stream:
            stream.writelines(generated_records(options.cases))
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
        if options.phases:
            os.environ.update(environment)
            phases(source, options.processes)
            return
        started = time.perf_counter()
        process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from peerladder.cli.interchange import import_; import_()",
                str(source),
            ],
            env=environment,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert process.stdout is not None
        summary = process.stdout.readline().strip()
        committed = time.perf_counter() - started
        process.wait()
        total = time.perf_counter() - started
        if process.returncode:
            sys.exit(f"the import failed with status {process.returncode}")
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"{summary}")
        print(
            f"import of {options.cases:,} cases into {where}: {committed:.1f} s "
            f"({options.cases / committed:,.0f} cases/s) until committed; "
            f"{total:.1f} s with the rebuild of similar cases and suggestions; "
            f"peak memory {peak:,.0f} MB"
        )


if __name__ == "__main__":
    main()
