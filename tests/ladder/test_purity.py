"""The ladder core is pure: importing it loads no web framework and no database driver."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"

FORBIDDEN_PREFIXES = (
    "django",
    "ninja",
    "psycopg",
    "psycopg2",
    "sqlite3",
    "_sqlite3",
    "MySQLdb",
    "pymysql",
    "mysql",
    "asyncpg",
    "aiosqlite",
    "cx_Oracle",
    "oracledb",
    "sqlalchemy",
    "redis",
    "orjson",
    "peerladder.catalogue",
    "peerladder.config",
)

PROBE = """
import json, sys
import peerladder.ladder
from peerladder.ladder import classify, consensus, krippendorff_alpha, model_as_dict
classify({"directed_by": "firm", "participant_role": "designs"})
try:
    classify({"monetisation": 3})
except ValueError:
    pass
consensus([8, 8]); krippendorff_alpha([[1, 2], [2, 2]]); model_as_dict()
print(json.dumps(sorted(sys.modules)))
"""


def modules_after_import() -> list[str]:
    env = {"PYTHONPATH": str(SRC), "PATH": ""}
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return json.loads(done.stdout)


def test_importing_the_ladder_loads_no_framework_or_database_module():
    loaded = modules_after_import()
    assert "peerladder.ladder" in loaded
    offending = [
        name
        for name in loaded
        if any(name == p or name.startswith(p + ".") for p in FORBIDDEN_PREFIXES)
    ]
    assert offending == []


def test_the_ladder_sources_import_only_the_standard_library():
    allowed_roots = set(sys.stdlib_module_names) | {"peerladder"}
    for path in (SRC / "peerladder" / "ladder").glob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            words = line.split()
            if len(words) >= 2 and words[0] in ("import", "from") and not line.startswith(" "):
                root = words[1].split(".")[0]
                assert root in allowed_roots or root == "__future__", f"{path.name}: {line}"
