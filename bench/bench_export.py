"""Benchmark of ``peerladder export`` in every format: time, rate and peak memory.

    python bench/bench_export.py --cases 100000
    python bench/bench_export.py --cases 1000000 --data-dir /tmp/export/p1m
    python bench/bench_export.py --cases 100000 --database-url postgresql://postgres@127.0.0.1/db

It fills a data directory (a temporary one unless ``--data-dir`` names one) with
N generated cases through ``bench/generate.py``'s ``bulk_load``, plus one
revision per case, as an import writes, so that citations read a history (and
on PostgreSQL runs ANALYZE). A data directory or database that already holds
cases is used as it is. Then it runs ``peerladder export --format F -o FILE``
for each format as a separate process, exactly as a user runs it, and prints
the seconds, the cases per second, the size of the file, and two peaks of the
export process's memory:

* peak RSS (``getrusage`` of that process): everything resident, including the
  pages of the SQLite file the database maps into memory (``mmap_size``, at most
  256 MB) and SQLite's page cache (64 MB);
* peak anonymous RSS (``RssAnon`` in ``/proc/<pid>/status``, read every 20 ms):
  the process's own memory without the mapped file; flat memory means this
  stays the same whatever the number of cases.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
FORMATS = ("csv", "json", "jsonl", "jsonld", "datapackage", "bibtex", "csl", "ris")
PEERLADDER = "import sys; from peerladder.cli import main; sys.argv[0] = 'peerladder'; main()"


def _environment(data_dir: Path, database_url: str | None) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PEERLADDER_DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    environment["PEERLADDER_DATA_DIR"] = str(data_dir)
    environment["DJANGO_SETTINGS_MODULE"] = "peerladder.config.settings"
    if database_url:
        environment["PEERLADDER_DATABASE_URL"] = database_url
    return environment


def fill(cases: int) -> None:
    """Run inside the data directory's environment: load ``cases`` generated cases
    when the catalogue is empty, and give every case without one its revision 1."""
    sys.path.insert(0, str(HERE))
    from generate import bulk_load, records, setup_django

    setup_django()
    from django.db import connection, transaction
    from django.db.models import Exists, OuterRef

    from peerladder.accounts.services import user_ensure
    from peerladder.catalogue.models import Case, Revision

    present = Case.objects.count()
    if present == 0:
        started = time.perf_counter()
        bulk_load(records(cases))
        print(f"\nloaded {cases:,} cases in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    elif present != cases:
        print(f"the catalogue holds {present:,} cases; using them as they are", file=sys.stderr)
    print(Case.objects.filter(archived=False).count())  # read by main()
    author = user_ensure(username="bench-import")
    # NOT EXISTS, not NOT IN: PostgreSQL cannot hash a million-row NOT IN list.
    without_history = ~Exists(Revision.objects.filter(case_id=OuterRef("id")))
    after = 0
    while True:
        ids = list(
            Case.objects.filter(without_history, id__gt=after)
            .order_by("id")
            .values_list("id", flat=True)[:20_000]
        )
        if not ids:
            break
        with transaction.atomic():
            Revision.objects.bulk_create(
                Revision(
                    case_id=case_id,
                    number=1,
                    author=author,
                    action="import",
                    summary="Imported by the benchmark",
                    snapshot={},  # exports never read snapshots
                )
                for case_id in ids
            )
        after = ids[-1]
    if connection.vendor == "postgresql":
        # Fresh statistics, as autovacuum would gather after a large import; without
        # them the planner scans whole tables for each chunk's rows.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _peak_anonymous(pid: int, peak: list[int], done: threading.Event) -> None:
    status = Path(f"/proc/{pid}/status")
    while not done.is_set():
        try:
            for line in status.read_text().splitlines():
                if line.startswith("RssAnon:"):
                    peak[0] = max(peak[0], int(line.split()[1]))
        except OSError:
            return
        done.wait(0.02)


def export(fmt: str, target: Path, environment: dict[str, str]) -> tuple[float, int, int]:
    """Run one export; its seconds, peak RSS and peak anonymous RSS (KB)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", PEERLADDER, "export", "--format", fmt, "-o", str(target)],
        env=environment,
    )
    peak = [0]
    done = threading.Event()
    watcher = threading.Thread(target=_peak_anonymous, args=(process.pid, peak, done))
    watcher.start()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    done.set()
    watcher.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"peerladder export --format {fmt} failed ({process.returncode})")
    return seconds, usage.ru_maxrss, peak[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000, help="how many cases to generate")
    parser.add_argument("--data-dir", type=Path, default=None, help="kept and reused when given")
    parser.add_argument("--database-url", default=None, help="a database to fill (or reuse)")
    parser.add_argument("--formats", default=",".join(FORMATS), help="comma-separated formats")
    parser.add_argument("--fill", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.fill:
        fill(options.cases)
        return
    formats = [name.strip() for name in options.formats.split(",") if name.strip()]
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        parser.error(f"unknown formats: {', '.join(unknown)}; known: {', '.join(FORMATS)}")
    with tempfile.TemporaryDirectory(prefix="peerladder-bench-export-") as scratch:
        data_dir = options.data_dir or Path(scratch) / "data"
        data_dir.mkdir(parents=True, exist_ok=True)
        environment = _environment(data_dir, options.database_url)
        filled = subprocess.run(
            [sys.executable, __file__, "--fill", "--cases", str(options.cases)],
            env=environment,
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        )
        cases = int(filled.stdout.split()[-1])
        where = "PostgreSQL" if options.database_url else "SQLite"
        print(f"export of {cases:,} cases from {where} (taken while other work ran):")
        print(
            f"  {'format':<12} {'seconds':>8} {'cases/s':>9} {'file MB':>8} "
            f"{'peak RSS MB':>12} {'peak anon MB':>13}"
        )
        for fmt in formats:
            target = Path(scratch) / f"export.{fmt}"
            seconds, rss, anonymous = export(fmt, target, environment)
            size = target.stat().st_size / 1e6
            target.unlink()
            print(
                f"  {fmt:<12} {seconds:>8.1f} {cases / seconds:>9,.0f} {size:>8.1f} "
                f"{rss / 1024:>12.0f} {anonymous / 1024:>13.0f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
