"""Run every benchmark in bench/ one after another (``make bench``).

Each prints its own figures; docs/benchmarks.md records the latest ones.
Sizes are kept modest here so that ``make bench`` ends in a few minutes; the
scripts take options for the larger runs recorded in docs/benchmarks.md.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

RUNS = [
    ["bench_classify.py", "--calls", "1000000", "--lines", "1000000"],
    ["bench_catalogue.py", "--cases", "100000"],
    ["bench_search.py", "--cases", "100000"],
    ["bench_insights.py", "--cases", "100000"],
    ["bench_import.py", "--cases", "1000"],
    ["bench_export.py", "--cases", "10000"],
]


def main() -> int:
    failed = 0
    with tempfile.TemporaryDirectory(prefix="peerladder-bench-") as data_dir:
        env = {**os.environ, "PEERLADDER_DATA_DIR": os.environ.get("PEERLADDER_DATA_DIR", data_dir)}
        for script, *args in RUNS:
            if not (HERE / script).exists():
                continue
            print(f"\n== {script} {' '.join(args)}", flush=True)
            result = subprocess.run([sys.executable, str(HERE / script), *args], env=env)
            failed += result.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
