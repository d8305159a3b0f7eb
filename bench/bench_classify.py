"""Benchmark of the decision procedure and of ``peerladder classify``.

Run with ``python bench/bench_classify.py`` (``--help`` for options). It prints:

1. in-process classifications per second of ``peerladder.ladder.classify`` over
   varied answer sets, with no memo (every call runs the procedure);
2. the time ``classify_stream`` takes over a generated file of JSON Lines;
3. the same through the real console script (``peerladder classify FILE``), when
   it is installed beside this Python.
"""

from __future__ import annotations

import argparse
import io
import itertools
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

from peerladder.interchange.answers_stream import classify_stream
from peerladder.ladder import QUESTIONS, asked_questions, classify

OPTIONAL = [q for q in QUESTIONS if q.optional]


def answer_sets(rng: random.Random, count: int) -> list[dict[str, str]]:
    """``count`` varied, valid answer sets: every branch, random optional answers,
    random key order, and now and then an answer to a question that is not asked."""
    branches = []
    for direction in ("firm", "peers"):
        base = {"directed_by": direction}
        asked = [q for q in asked_questions(base) if not q.optional and q.field != "directed_by"]
        for values in itertools.product(*(q.allowed for q in asked)):
            answers = base | dict(zip((q.field for q in asked), values, strict=True))
            if answers.get("value") == "use":
                for money in ("none", "equitable", "commons_ecology", "attention"):
                    branches.append(answers | {"monetization": money})
            else:
                branches.append(answers)
    sets = []
    for _ in range(count):
        answers = dict(rng.choice(branches))
        for q in OPTIONAL:
            if rng.random() < 0.5:
                answers[q.field] = rng.choice(q.allowed)
        if rng.random() < 0.05:  # an unasked answer, ignored with a warning
            if answers["directed_by"] == "firm":
                answers["monetization"] = "none"
            else:
                answers["participant_role"] = "designs"
        items = list(answers.items())
        rng.shuffle(items)
        sets.append(dict(items))
    return sets


def bench_in_process(calls: int, rng: random.Random) -> float:
    pool = answer_sets(rng, 4096)
    sequence = [pool[i % len(pool)] for i in range(calls)]
    run = classify
    start = time.perf_counter()
    for answers in sequence:
        run(answers)
    return calls / (time.perf_counter() - start)


def write_lines(path: Path, lines: int, rng: random.Random) -> None:
    pool = [orjson.dumps(a) + b"\n" for a in answer_sets(rng, 20_000)]
    with path.open("wb") as out:
        for start in range(0, lines, 100_000):
            out.write(b"".join(rng.choices(pool, k=min(100_000, lines - start))))


def bench_stream(path: Path) -> tuple[float, int]:
    sink = open(os.devnull, "wb")  # noqa: SIM115 - closed below
    errors = io.StringIO()
    try:
        with path.open("rb") as source:
            start = time.perf_counter()
            status = classify_stream(source, sink, errors=errors)
            elapsed = time.perf_counter() - start
    finally:
        sink.close()
    return elapsed, status


def bench_console_script(path: Path) -> tuple[float, int] | None:
    script = Path(sys.executable).with_name("peerladder")
    if not script.exists():
        script_path = shutil.which("peerladder")
        if script_path is None:
            return None
        script = Path(script_path)
    start = time.perf_counter()
    done = subprocess.run(
        [str(script), "classify", str(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    return time.perf_counter() - start, done.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1_000_000, help="in-process calls")
    parser.add_argument("--lines", type=int, default=1_000_000, help="JSON Lines to generate")
    parser.add_argument("--seed", type=int, default=2008)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    rate = bench_in_process(args.calls, rng)
    print(f"classify (no memo): {args.calls:,} calls, {rate:,.0f} classifications/s")

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "answers.jsonl"
        start = time.perf_counter()
        write_lines(path, args.lines, rng)
        size = path.stat().st_size / 1e6
        print(
            f"generated {args.lines:,} JSON Lines ({size:.0f} MB) in "
            f"{time.perf_counter() - start:.1f} s"
        )

        elapsed, status = bench_stream(path)
        print(
            f"classify_stream: {args.lines:,} lines in {elapsed:.2f} s "
            f"({args.lines / elapsed:,.0f} lines/s, exit {status})"
        )

        console = bench_console_script(path)
        if console is None:
            print("peerladder classify FILE: console script not installed, skipped")
        else:
            elapsed, status = console
            print(
                f"peerladder classify FILE: {args.lines:,} lines in {elapsed:.2f} s "
                f"({args.lines / elapsed:,.0f} lines/s, exit {status})"
            )


if __name__ == "__main__":
    main()
