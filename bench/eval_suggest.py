"""How well the rung suggester guesses: top-1 and top-2 accuracy on held-out cases.

Trains the suggester's own model (``search.suggest.build_model``) on four fifths of a
catalogue file and scores the fifth left out, for each of five stratified folds (so
every case is held out once), and prints the mean. The label of a case is the rung
its latest period stands on (contested cases without one are left out).

    python bench/eval_suggest.py                       # the bundled catalogue
    python bench/eval_suggest.py --revision HEAD~5     # the bundled file as it was then
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = "src/peerladder/catalogue/data/cases.jsonl"


def cases(data: bytes) -> tuple[list[str], list[int]]:
    from peerladder.ladder import PlacementRow, classify, standing
    from peerladder.search.suggest import training_text

    texts, rungs = [], []
    for line in data.splitlines():
        if not line.strip():
            continue
        record = orjson.loads(line)
        latest = standing(
            PlacementRow(
                p["valid_from"], p["valid_to"], classify(p["answers"]).rung, None, None,
                p.get("author"),
            )
            for p in record["placements"]
        )  # fmt: skip
        if latest is None or latest.rung is None:
            continue
        texts.append(
            training_text(record["name"], record["summary"], record.get("description") or "")
        )
        rungs.append(latest.rung)
    return texts, rungs


def accuracy(texts: list[str], rungs: list[int], *, folds: int = 5) -> tuple[float, float]:
    import numpy as np
    from sklearn.model_selection import StratifiedKFold

    from peerladder.search.suggest import build_model

    labels = np.asarray(rungs)
    smallest = int(min(np.unique(labels, return_counts=True)[1]))
    splitter = StratifiedKFold(n_splits=min(folds, smallest), shuffle=True, random_state=0)
    top1 = top2 = 0
    for train, test in splitter.split(texts, labels):
        model = build_model().fit([texts[i] for i in train], labels[train])
        probabilities = model.predict_proba([texts[i] for i in test])
        classes = model.classes_
        for row, truth in zip(probabilities, labels[test], strict=True):
            ranked = classes[np.argsort(row)[::-1]]
            top1 += ranked[0] == truth
            top2 += truth in ranked[:2]
    return top1 / len(texts), top2 / len(texts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, help="a catalogue in the JSON Lines format")
    parser.add_argument("--revision", help="read the bundled file at this git revision")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerladder.config.test_settings")
    import django

    django.setup()
    if args.revision:
        data = subprocess.run(
            ["git", "show", f"{args.revision}:{BUNDLED}"], cwd=ROOT, check=True, capture_output=True
        ).stdout
        name = f"{BUNDLED} at {args.revision}"
    else:
        path = args.file or ROOT / BUNDLED
        data, name = path.read_bytes(), str(path)
    texts, rungs = cases(data)
    top1, top2 = accuracy(texts, rungs)
    print(f"{name}: {len(texts)} cases on a rung; held-out top-1 {top1:.1%}, top-2 {top2:.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
