"""The examples in docs/classifying.md and docs/ladder.md are true.

Every ``$ ...`` command in a ```console block of docs/classifying.md is run
through bash, with ``peerladder`` standing for the console script, and must
print exactly the lines that follow it (stdout, then stderr). The worked
examples table of docs/ladder.md must agree with the procedure.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from peerladder.ladder import RUNGS, classify

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

# Used only while the console script has no ``classify`` command wired in.
FALLBACK = """
import sys
from peerladder.interchange.answers_stream import classify_stream

args = sys.argv[1:]
assert args and args[0] == "classify", args
fmt, path, rest = "json", "-", args[1:]
while rest:
    arg = rest.pop(0)
    if arg == "--format":
        fmt = rest.pop(0)
    elif arg.startswith("--format="):
        fmt = arg.split("=", 1)[1]
    else:
        path = arg
source = sys.stdin.buffer if path == "-" else open(path, "rb")
status = classify_stream(source, sys.stdout.buffer, fmt=fmt, errors=sys.stderr)
sys.stdout.flush()
sys.exit(status)
"""


def console_examples(path: Path) -> list[tuple[str, str]]:
    """(command, expected output) for every ``$`` line of every console block."""
    examples: list[tuple[str, str]] = []
    text = path.read_text(encoding="utf-8")
    for block in re.findall(r"^```console\n(.*?)^```", text, flags=re.DOTALL | re.MULTILINE):
        command: str | None = None
        output: list[str] = []
        for line in block.splitlines():
            if line.startswith("$ "):
                if command is not None:
                    examples.append((command, "\n".join(output)))
                command, output = line[2:], []
            else:
                output.append(line)
        if command is not None:
            examples.append((command, "\n".join(output)))
    return examples


def cli_has_classify() -> bool:
    try:
        from peerladder.cli import main
    except Exception:
        return False
    return "classify" in getattr(main, "commands", {})


EXAMPLES = console_examples(DOCS / "classifying.md")


def normalise(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


def test_classifying_docs_have_console_examples():
    assert len(EXAMPLES) >= 4
    assert all(command.split("|")[-1].split()[0] == "peerladder" for command, _ in EXAMPLES)


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
@pytest.mark.parametrize(("command", "expected"), EXAMPLES, ids=[c[:60] for c, _ in EXAMPLES])
def test_console_example_prints_what_the_docs_show(command, expected, tmp_path):
    env = {
        **os.environ,
        "PYTHON": sys.executable,
        "PYTHONPATH": os.pathsep.join(
            [str(ROOT / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]
        ),
        "PEERLADDER_DATA_DIR": str(tmp_path / "var"),
        "FALLBACK": FALLBACK,
    }
    if cli_has_classify():
        define = 'peerladder() { "$PYTHON" -m peerladder.cli "$@"; }'
    else:
        define = 'peerladder() { "$PYTHON" -c "$FALLBACK" "$@"; }'
    done = subprocess.run(
        ["bash", "-c", f"{define}\n{command}"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert "Traceback" not in done.stderr
    assert normalise(done.stdout + done.stderr) == normalise(expected)


def worked_examples_table() -> list[tuple[str, dict[str, str], int, str | None]]:
    text = (DOCS / "ladder.md").read_text(encoding="utf-8")
    section = text.split("## Worked examples", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 4 or not cells[2].isdigit():
            continue
        case, answers_text, number, economy = cells
        answers = dict(pair.split("=") for pair in re.findall(r"`([a-z_]+=[a-z_]+)`", answers_text))
        rows.append((case, answers, int(number), None if economy == "null" else economy))
    return rows


def test_ladder_docs_worked_examples_agree_with_the_procedure():
    rows = worked_examples_table()
    assert len(rows) == 9
    for case, answers, number, economy in rows:
        result = classify(answers)
        assert (result.rung, result.economy) == (number, economy), case


def test_ladder_docs_list_every_rung_with_its_key_and_name():
    text = (DOCS / "ladder.md").read_text(encoding="utf-8")
    for r in RUNGS:
        assert f"| {r.number} | `{r.key}` | {r.view} | {r.name} | {r.definition} |" in text
