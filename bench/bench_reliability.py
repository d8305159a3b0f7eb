"""Reliability against a running server: concurrent editors, rate limits across workers,
and fuzzing the API from its own OpenAPI document.

Starts ``peerladder serve --workers 2`` on a fresh data directory with the bundled
cases and no cache URL (the default a laptop or a small server has), then:

1. **Concurrent editors**: WRITERS threads each read a case's ETag and PATCH it with
   ``If-Match`` for SECONDS seconds. Counts accepted (200), refused as stale (412) and
   anything else; then checks that every 200's ETag named the revision its body showed
   and that every accepted edit is in the case's history (a lost update otherwise).
2. **Rate limits across two workers**: wrong-password logins for one account (the
   documented limit is 5 per 5 minutes) and edits by a new account (8 a minute),
   counting the attempt that first answers 429.
3. **Fuzzing**: ``schemathesis run`` against ``/api/openapi.json`` with a real token,
   counting the cases it ran and any 5xx.

    python bench/bench_reliability.py [--writers 20] [--seconds 20] [--examples 50]

Prints its figures; docs/reliability.md records the latest.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

BIN = Path(sys.executable).parent
BUNDLED = Path(__file__).resolve().parents[1] / "src/peerladder/catalogue/data/cases.jsonl"
CASE = "wikipedia"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def cli(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    done = subprocess.run(
        [str(BIN / "peerladder"), *args], env=env, input=stdin, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"peerladder {' '.join(args)} failed: {done.stderr}")
    return done.stdout


def django_shell(env: dict[str, str], code: str) -> None:
    script = "import django; django.setup()\n" + code
    subprocess.run(
        [sys.executable, "-c", script],
        env={**env, "DJANGO_SETTINGS_MODULE": "peerladder.config.settings"},
        check=True,
    )


def request(
    url: str, *, method: str = "GET", body: dict | None = None, headers: dict | None = None
) -> tuple[int, dict[str, str], bytes]:
    data = json.dumps(body).encode() if body is not None else None
    call = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        call.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(call, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def writers(base: str, tokens: list[str], seconds: float) -> dict[str, object]:
    outcomes: Counter[str] = Counter()
    accepted: list[tuple[str, int, str]] = []  # (summary written, revision, etag)
    mismatched: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def run(index: int) -> None:
        number = 0
        while time.monotonic() < stop:
            status, headers, _ = request(f"{base}/api/cases/{CASE}")
            etag = headers.get("ETag", "")
            number += 1
            summary = f"Edited by writer {index}, attempt {number}."
            status, headers, raw = request(
                f"{base}/api/cases/{CASE}",
                method="PATCH",
                body={"summary": summary},
                headers={"Authorization": f"Bearer {tokens[index]}", "If-Match": etag},
            )
            with lock:
                outcomes[str(status)] += 1
                if status == 200:
                    body = json.loads(raw)
                    etag_now = headers.get("ETag", "")
                    accepted.append((summary, body["revision"], etag_now))
                    if etag_now != f'"rev-{body["revision"]}"' or body["summary"] != summary:
                        mismatched.append(f"{etag_now} for revision {body['revision']}")

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(tokens))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"outcomes": dict(outcomes), "accepted": accepted, "mismatched": mismatched}


def lost_updates(env: dict[str, str], accepted: list[tuple[str, int, str]]) -> int:
    """Accepted edits whose revision does not hold what they wrote."""
    path = Path(env["PEERLADDER_DATA_DIR"]) / "accepted.json"
    path.write_text(json.dumps([[summary, number] for summary, number, _ in accepted]))
    out = Path(env["PEERLADDER_DATA_DIR"]) / "lost.txt"
    django_shell(
        env,
        "import json\n"
        "from peerladder.catalogue.models import Revision\n"
        f"pairs = json.load(open({str(path)!r}))\n"
        f"snapshots = dict(Revision.objects.filter(case__slug={CASE!r})"
        ".values_list('number', 'snapshot__summary'))\n"
        "lost = sum(1 for summary, number in pairs if snapshots.get(number) != summary)\n"
        f"open({str(out)!r}, 'w').write(str(lost))\n",
    )
    return int(out.read_text())


def first_refusal_of_logins(base: str, attempts: int = 12) -> int | None:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    for attempt in range(1, attempts + 1):
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": "reliability-0", "password": "wrong"}
        ).encode()
        call = urllib.request.Request(
            f"{base}/accounts/login/", data=data, headers={"Referer": f"{base}/accounts/login/"}
        )
        try:
            opener.open(call)
        except urllib.error.HTTPError as error:
            if error.code == 429:
                return attempt
    return None


def first_refusal_of_new_account_edits(base: str, token: str, attempts: int = 14) -> int | None:
    for attempt in range(1, attempts + 1):
        _, headers, _ = request(f"{base}/api/cases/{CASE}")
        status, _, _ = request(
            f"{base}/api/cases/{CASE}",
            method="PATCH",
            body={"summary": f"A new account's edit {attempt}."},
            headers={"Authorization": f"Bearer {token}", "If-Match": headers.get("ETag", "")},
        )
        if status == 429:
            return attempt
    return None


def fuzz(base: str, token: str, examples: int) -> str:
    done = subprocess.run(
        [
            str(BIN / "schemathesis"), "run", f"{base}/api/openapi.json",
            "--checks", "not_a_server_error", "--max-examples", str(examples),
            "-H", f"Authorization: Bearer {token}",
        ],
        capture_output=True, text=True,
    )  # fmt: skip
    summary = [line for line in done.stdout.splitlines() if re.search(r"passed|failed|error", line)]
    return (summary[-1] if summary else done.stdout[-300:]).strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--examples", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="peerladder-reliability-") as data_dir:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PEERLADDER_")}
        env["PEERLADDER_DATA_DIR"] = data_dir
        cli(env, "import", str(BUNDLED))
        tokens = [
            cli(env, "user", "create", f"reliability-{i}", "--token", stdin="pw-x-Long-9\n").strip()
            for i in range(args.writers + 1)
        ]
        # The writers are established accounts; the last one stays a new account.
        django_shell(
            env,
            "from datetime import timedelta\nfrom django.utils import timezone\n"
            "from peerladder.accounts.models import User\n"
            "User.objects.filter(username__startswith='reliability-')"
            f".exclude(username='reliability-{args.writers}')"
            ".update(date_joined=timezone.now() - timedelta(days=30))\n",
        )
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [str(BIN / "peerladder"), "serve", "--port", str(port), "--workers", "2"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        try:
            for _ in range(100):
                try:
                    if request(f"{base}/healthz")[0] == 200:
                        break
                except OSError:
                    time.sleep(0.2)
            raced = writers(base, tokens[: args.writers], args.seconds)
            outcomes = raced["outcomes"]
            lost = lost_updates(env, raced["accepted"])  # type: ignore[arg-type]
            print(
                f"{args.writers} writers x {args.seconds:.0f} s: "
                f"accepted {outcomes.get('200', 0)}, 412 {outcomes.get('412', 0)}, "
                f"other {sum(v for k, v in outcomes.items() if k not in ('200', '412'))} "
                f"{ {k: v for k, v in outcomes.items() if k not in ('200', '412')} }, "
                f"ETag not the written revision {len(raced['mismatched'])}, lost {lost}"
            )
            print(
                "rate limits, 2 workers, no cache URL: "
                f"login refused first at attempt {first_refusal_of_logins(base)} (limit 5), "
                "new account's edit refused first at attempt "
                f"{first_refusal_of_new_account_edits(base, tokens[-1])} (limit 8)"
            )
            fuzzed = fuzz(base, tokens[0], args.examples)
            print(f"schemathesis, {args.examples} examples per operation: {fuzzed}")
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
