"""Scale out, proven on this machine: a PostgreSQL primary and a streaming replica,
Redis, HAProxy (deploy/haproxy.cfg, as shipped) and three `peerladder serve`
processes, checked through the proxy as users see it.

Run by `make test-scale` (never by `make test`). Needs PostgreSQL 15's binaries
(/usr/lib/postgresql/15/bin), redis-server, haproxy and openssl; run as root, the
clusters run as the postgres user. Everything lives in one temporary directory
and is stopped and removed at the end, whatever happens (finalizer and atexit).
"""

from __future__ import annotations

import atexit
import concurrent.futures
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

pytestmark = [
    pytest.mark.scale,
    pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning"),
]

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path(os.environ.get("PEERLADDER_PG_BIN", "/usr/lib/postgresql/15/bin"))
BUNDLED = ROOT / "src/peerladder/catalogue/data/cases.jsonl"
HAPROXY_CONFIG = ROOT / "deploy/haproxy.cfg"
SLUG = "wikipedia"
# The replica applies each transaction a second late: a client reading from it would
# miss its own write, so the checks below hold only if pinning to the primary works.
REPLICA_DELAY = "1s"
PASSWORD = "correct horse battery staple 42"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def as_postgres(command: list[str]) -> list[str]:
    """Run a cluster command as the postgres user when we are root (initdb refuses root)."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def wait_for(what: str, check, *, seconds: float = 60.0, every: float = 0.25):
    deadline = time.monotonic() + seconds
    last: object = None
    while time.monotonic() < deadline:
        try:
            last = check()
            if last:
                return last
        except Exception as exc:
            last = exc
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {what}; last: {last!r}")


class Site:
    """Everything the test starts, and how to stop it."""

    def __init__(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="peerladder-scale-"))
        self.tmp.chmod(0o755)
        self.processes: dict[str, subprocess.Popen] = {}
        self.clusters: list[Path] = []
        self.ports = {
            name: free_port()
            for name in ("primary", "replica", "redis", "http", "https", "app1", "app2", "app3")
        }
        self.base = f"https://127.0.0.1:{self.ports['https']}"
        self.stopped = False

    # -- PostgreSQL ---------------------------------------------------------------------

    def _owned_by_postgres(self, path: Path) -> Path:
        path.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(path, "postgres", "postgres")
        return path

    def pg(self, name: str, *args: str) -> None:
        data = self.tmp / name
        # The server writes its log as postgres: into a folder postgres owns.
        logs = self._owned_by_postgres(self.tmp / "pglogs")
        log = ["-l", str(logs / f"{name}.log")] if args[0] == "start" else []
        subprocess.run(
            as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), *log, *args]),
            check=True,
            capture_output=True,
            timeout=120,
        )

    def start_postgres(self) -> None:
        sockets = self._owned_by_postgres(self.tmp / "sockets")
        primary = self._owned_by_postgres(self.tmp / "primary")
        subprocess.run(
            as_postgres(
                [str(PG_BIN / "initdb"), "-D", str(primary), "-U", "postgres", "-A", "trust", "-N"]
            ),
            check=True,
            capture_output=True,
            timeout=120,
        )
        with (primary / "postgresql.conf").open("a") as conf:
            conf.write(
                f"\nlisten_addresses = '127.0.0.1'\nport = {self.ports['primary']}\n"
                f"unix_socket_directories = '{sockets}'\nwal_level = replica\n"
                "max_wal_senders = 4\nwal_keep_size = 128MB\nfsync = off\n"
                "shared_buffers = 64MB\nmax_connections = 100\n"
            )
        self.clusters.append(primary)
        self.pg("primary", "start", "-w")
        self.psql("primary", "CREATE DATABASE peerladder", database="postgres")
        replica = self._owned_by_postgres(self.tmp / "replica")
        replica.chmod(0o700)  # PostgreSQL refuses a data directory others can read
        subprocess.run(
            as_postgres(
                [
                    str(PG_BIN / "pg_basebackup"),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(self.ports["primary"]),
                    "-U",
                    "postgres",
                    "-D",
                    str(replica),
                    "-R",
                    "-X",
                    "stream",
                    "--checkpoint=fast",
                    "-N",
                ]
            ),
            check=True,
            capture_output=True,
            timeout=120,
        )
        with (replica / "postgresql.conf").open("a") as conf:
            conf.write(
                f"\nport = {self.ports['replica']}\nhot_standby = on\n"
                f"recovery_min_apply_delay = '{REPLICA_DELAY}'\n"
            )
        self.clusters.append(replica)
        self.pg("replica", "start", "-w")
        assert self.psql("replica", "SELECT pg_is_in_recovery()") == "t"

    def psql(self, cluster: str, sql: str, *, database: str = "peerladder") -> str:
        result = subprocess.run(
            [
                str(PG_BIN / "psql"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.ports[cluster]),
                "-U",
                "postgres",
                "-d",
                database,
                "-tAX",
                "-c",
                sql,
            ],
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        )
        return result.stdout.strip()

    # -- Redis, the app servers, the proxy ---------------------------------------------------

    def spawn(self, name: str, command: list[str], env: dict[str, str] | None = None) -> None:
        log = (self.tmp / f"{name}.log").open("wb")
        self.processes[name] = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=self.tmp,
            start_new_session=True,  # its own process group: killed whole, workers too
        )

    def env(self, data_dir: str) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("PEERLADDER_", "DJANGO_"))
        }
        env.update(
            DJANGO_SETTINGS_MODULE="peerladder.config.settings",
            PEERLADDER_DATA_DIR=str(self.tmp / data_dir),
            PEERLADDER_DATABASE_URL=f"postgresql://postgres@127.0.0.1:{self.ports['primary']}/peerladder",
            PEERLADDER_DATABASE_REPLICA_URLS=(
                f"postgresql://postgres@127.0.0.1:{self.ports['replica']}/peerladder"
            ),
            PEERLADDER_CACHE_URL=f"redis://127.0.0.1:{self.ports['redis']}/0",
            PEERLADDER_SECRET_KEY="scale-test-" + "k" * 50,
            PEERLADDER_ALLOWED_HOSTS="127.0.0.1,localhost",
            PEERLADDER_HTTPS="1",
        )
        return env

    def peerladder(self, *args: str, data_dir: str = "setup", stdin: str | None = None) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "peerladder.cli", *args],
            env=self.env(data_dir),
            input=stdin,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    def start_redis(self) -> None:
        self.spawn(
            "redis",
            [
                "redis-server",
                "--port",
                str(self.ports["redis"]),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
        )
        wait_for("redis", lambda: socket.create_connection(("127.0.0.1", self.ports["redis"])))

    def start_app(self, name: str) -> None:
        self.spawn(
            name,
            [
                sys.executable,
                "-m",
                "peerladder.cli",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.ports[name]),
                "--workers",
                "2",
            ],
            env=self.env(name),
        )

    def app_url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    def start_proxy(self) -> None:
        key, certificate = self.tmp / "key.pem", self.tmp / "cert.pem"
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=localhost",
                "-keyout",
                str(key),
                "-out",
                str(certificate),
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
        bundle = self.tmp / "proxy.pem"
        bundle.write_bytes(certificate.read_bytes() + key.read_bytes())
        env = dict(
            os.environ,
            PEERLADDER_PROXY_HTTP=f"127.0.0.1:{self.ports['http']}",
            PEERLADDER_PROXY_HTTPS=f"127.0.0.1:{self.ports['https']}",
            PEERLADDER_PROXY_CERT=str(bundle),
            **{f"PEERLADDER_APP{n}": f"127.0.0.1:{self.ports[f'app{n}']}" for n in (1, 2, 3)},
        )
        self.spawn("haproxy", ["haproxy", "-db", "-f", str(HAPROXY_CONFIG)], env=env)

    # -- stopping ------------------------------------------------------------------------

    def stop(self) -> None:
        if self.stopped:
            return
        self.stopped = True
        for process in self.processes.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=15)
        for cluster in self.clusters:
            if (cluster / "postmaster.pid").exists():
                subprocess.run(
                    as_postgres(
                        [
                            str(PG_BIN / "pg_ctl"),
                            "-D",
                            str(cluster),
                            "stop",
                            "-m",
                            "immediate",
                            "-w",
                        ]
                    ),
                    capture_output=True,
                    timeout=60,
                )
        shutil.rmtree(self.tmp, ignore_errors=True)

    def logs(self) -> str:
        found = []
        for path in sorted([*self.tmp.glob("*.log"), *self.tmp.glob("pglogs/*.log")]):
            found.append(f"--- {path.name}\n{path.read_text(errors='replace')[-2500:]}")
        return "\n".join(found)


def served_by(response: requests.Response) -> str:
    return response.headers.get("X-Served-By", "?")


def client() -> requests.Session:
    session = requests.Session()
    # Loopback only: no proxy or CA bundle from the environment (which would also
    # override verify=False); the proxy's certificate is self-signed.
    session.trust_env = False
    session.verify = False
    return session


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    for tool in ("haproxy", "redis-server", "openssl"):
        assert shutil.which(tool), f"{tool} is needed (apt-get install {tool})"
    assert (PG_BIN / "pg_basebackup").exists(), f"PostgreSQL 15 binaries are needed in {PG_BIN}"
    running = Site()
    atexit.register(running.stop)
    try:
        running.start_postgres()
        running.start_redis()
        running.peerladder("import", str(BUNDLED))  # migrates, imports, builds the models
        running.token = running.peerladder(  # type: ignore[attr-defined]
            "user", "create", "alice", "--role", "admin", "--token", stdin=PASSWORD + "\n"
        ).strip()
        # An account older than a day: the new-account edit limit would stop the checks.
        running.psql("primary", "UPDATE accounts_user SET date_joined = now() - interval '2 days'")
        for name in ("app1", "app2", "app3"):
            running.start_app(name)
        running.start_proxy()
        seen: set[str] = set()

        def all_servers_up() -> bool:
            response = client().get(f"{running.base}/healthz", timeout=5)
            if response.status_code == 200:
                seen.add(served_by(response))
            return seen >= {"app1", "app2", "app3"}

        wait_for("the proxy to reach all three app servers", all_servers_up, seconds=120)
        yield running
    except BaseException:
        print(running.logs(), file=sys.stderr)
        raise
    finally:
        running.stop()
        for process in running.processes.values():
            assert process.poll() is not None, "a process was left running"
        assert not running.tmp.exists()


def each_server(session: requests.Session, method: str, path: str, **kwargs) -> dict:
    """Send the request until each of the three servers has answered it once."""
    answers: dict[str, requests.Response] = {}
    for _ in range(12):
        response = session.request(method, path, timeout=30, **kwargs)
        answers.setdefault(served_by(response), response)
        if len(answers) == 3:
            break
    assert set(answers) == {"app1", "app2", "app3"}, answers
    return answers


def log_in(site: Site, session: requests.Session, username: str, password: str):
    page = session.get(f"{site.base}/accounts/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return session.post(
        f"{site.base}/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{site.base}/accounts/login/"},
        allow_redirects=False,
        timeout=30,
    )


def form_post(site: Site, session: requests.Session, path: str, data: dict):
    return session.post(
        f"{site.base}{path}",
        data={**data, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        headers={"Referer": f"{site.base}{path}"},
        allow_redirects=False,
        timeout=30,
    )


def test_log_in_on_one_server_and_act_on_another(site: Site):
    session = client()
    login = log_in(site, session, "alice", PASSWORD)
    assert login.status_code == 302, login.text[:500]
    for _ in range(6):
        rated = form_post(site, session, f"/cases/{SLUG}/rating", {"stars": "4"})
        if served_by(rated) != served_by(login):
            break
    assert rated.status_code == 302 and served_by(rated) != served_by(login)
    # Read at once, by the author, on every server: the session and the rating.
    for response in each_server(session, "GET", f"{site.base}/cases/{SLUG}").values():
        assert "Rated 4.0 of 5 by 1 reader" in response.text
    for response in each_server(
        session, "GET", f"{site.base}/accounts/login/", allow_redirects=False
    ).values():
        assert response.status_code == 302  # already logged in, on every server


def test_an_edit_through_one_server_is_read_by_its_author_through_every_other(site: Site):
    api = client()
    api.headers["Authorization"] = f"Bearer {site.token}"  # type: ignore[attr-defined]
    etag = api.get(f"{site.base}/api/cases/{SLUG}", timeout=30).headers["ETag"]
    summary = f"Edited through the proxy at {time.time()}."
    edit = api.patch(
        f"{site.base}/api/cases/{SLUG}",
        json={"summary": summary},
        headers={"If-Match": etag},
        timeout=30,
    )
    assert edit.status_code == 200, edit.text[:500]
    answers = each_server(api, "GET", f"{site.base}/api/cases/{SLUG}")
    for server, response in answers.items():
        assert response.json()["summary"] == summary, server
        assert response.headers["ETag"] == edit.headers["ETag"], server


def test_anonymous_reads_are_served_by_the_replica(site: Site):
    visitor = client()
    for _ in range(9):
        assert visitor.get(f"{site.base}/api/cases/{SLUG}", timeout=30).status_code == 200
    connected = site.psql(
        "replica",
        "SELECT count(*) FROM pg_stat_activity WHERE datname = 'peerladder' "
        "AND backend_type = 'client backend' AND pid <> pg_backend_pid()",
    )
    assert int(connected) >= 1


def test_rate_limits_are_shared_by_every_server(site: Site):
    servers = set()
    statuses = []
    for _ in range(6):
        attempt = log_in(site, client(), "mallory", "wrong password")
        servers.add(served_by(attempt))
        statuses.append(attempt.status_code)
    assert len(servers) >= 2
    assert statuses[:5] == [200] * 5 and statuses[5] == 429, statuses


def test_https_forwarded_headers_and_static_files_through_the_proxy(site: Site):
    plain = client().get(
        f"http://127.0.0.1:{site.ports['http']}/cases", allow_redirects=False, timeout=30
    )
    assert plain.status_code == 301 and plain.headers["Location"].startswith("https://")
    # The proxy overwrites X-Forwarded-Proto: what a client claims changes nothing.
    page = client().get(
        f"{site.base}/accounts/login/", headers={"X-Forwarded-Proto": "http"}, timeout=30
    )
    assert page.status_code == 200
    assert "max-age=31536000" in page.headers["Strict-Transport-Security"]
    assert "secure" in page.headers["Set-Cookie"].lower()
    static = client().get(f"{site.base}/static/web/peerladder.css", timeout=30)
    assert static.status_code == 200
    assert "max-age=86400" in static.headers["Cache-Control"]


def test_a_rebuild_runs_once_and_every_server_uses_its_models(site: Site):
    api = client()
    api.headers["Authorization"] = f"Bearer {site.token}"  # type: ignore[attr-defined]
    added = api.post(
        f"{site.base}/api/cases/{SLUG}/sources",
        json={"url": "https://example.org/rebuild-check", "title": "A change to learn from"},
        timeout=30,
    )
    assert added.status_code == 201, added.text[:500]
    before = int(site.psql("primary", "SELECT max(id) FROM search_learned_model"))

    def rebuild(name: str) -> str:
        return site.peerladder("index", "rebuild", data_dir=name)

    with concurrent.futures.ThreadPoolExecutor(3) as pool:
        outputs = list(pool.map(rebuild, ["app1", "app2", "app3"]))
    built = [output for output in outputs if "Similar cases: indexed" in output]
    assert len(built) == 1, outputs
    assert sum("Already up to date" in output for output in outputs) == 2, outputs
    newest = site.psql(
        "primary",
        "SELECT id || ' ' || to_char(built_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS') "
        "FROM search_learned_model WHERE kind = 'similar' AND complete ORDER BY id DESC LIMIT 1",
    )
    model_id, built_at = newest.split()
    assert int(model_id) > before
    for name in ("app1", "app2", "app3"):

        def uses_it(name: str = name) -> bool:
            answer = (
                client()
                .get(
                    f"{site.app_url(name)}/api/cases/{SLUG}/similar",
                    headers={"X-Forwarded-Proto": "https"},  # as the proxy would say
                    timeout=30,
                )
                .json()
            )
            return answer["built"] and answer["built_at"].startswith(built_at)

        wait_for(f"{name} to serve the new similar-cases model", uses_it, seconds=30)
        fetched = list((site.tmp / name / "models").glob(f"similar-{model_id}-*"))
        assert len(fetched) == 1  # fetched once for the server's two workers


def hammer(site: Site, seconds: float, *, on_the_way, writes: bool = False) -> dict:
    """Read (and write) through the proxy for ``seconds``; calls ``on_the_way`` after a
    third of the time. Returns every outcome."""
    outcomes: dict[str, list] = {"reads": [], "writes": []}
    stop = threading.Event()

    def reader() -> None:
        visitor = client()
        while not stop.is_set():
            for path, expected in (
                (f"/api/cases/{SLUG}", f'"slug":"{SLUG}"'),
                (f"/cases/{SLUG}", "<h1"),
                (f"/api/cases/{SLUG}/similar", '"built":true'),
            ):
                try:
                    response = visitor.get(f"{site.base}{path}", timeout=30)
                    ok = response.status_code == 200 and expected in response.text.replace(" ", "")
                    outcomes["reads"].append((path, response.status_code, ok))
                except requests.RequestException as exc:
                    outcomes["reads"].append((path, repr(exc), False))

    def writer() -> None:
        api = client()
        api.headers["Authorization"] = f"Bearer {site.token}"  # type: ignore[attr-defined]
        number = 0
        while not stop.is_set():
            number += 1
            url = f"https://example.org/kill-check/{number}"
            try:
                response = api.post(
                    f"{site.base}/api/cases/{SLUG}/sources",
                    json={"url": url, "title": f"Write {number}"},
                    timeout=30,
                )
                outcomes["writes"].append((url, response.status_code))
            except requests.RequestException as exc:
                outcomes["writes"].append((url, repr(exc)))
            time.sleep(0.25)

    threads = [threading.Thread(target=reader) for _ in range(2)]
    if writes:
        threads.append(threading.Thread(target=writer))
    for thread in threads:
        thread.start()
    time.sleep(seconds / 3)
    on_the_way()
    time.sleep(seconds * 2 / 3)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_a_replica_stopped_mid_test_changes_nothing_a_user_sees(site: Site):
    outcomes = hammer(site, 9, on_the_way=lambda: site.pg("replica", "stop", "-m", "fast"))
    failed = [read for read in outcomes["reads"] if not read[2]]
    assert len(outcomes["reads"]) > 20
    assert not failed, failed[:5]


def test_an_app_server_killed_mid_test_loses_no_retryable_request_and_no_write(site: Site):
    victim = site.processes["app2"]
    outcomes = hammer(
        site, 9, writes=True, on_the_way=lambda: os.killpg(victim.pid, signal.SIGKILL)
    )
    assert victim.wait(timeout=10) is not None
    failed_reads = [read for read in outcomes["reads"] if not read[2]]
    assert len(outcomes["reads"]) > 20
    # A response the killed server had begun to send (its headers were on the way to
    # the client) can only arrive cut short: no proxy can replay what it has already
    # forwarded. That is at most one read per reading thread, and it shows as a
    # broken body, never as an error page. Every read the server had not begun to
    # answer is retried on another server and succeeds.
    cut_short = [read for read in failed_reads if "IncompleteRead" in str(read[1])]
    assert len(cut_short) <= 2, cut_short
    assert not [read for read in failed_reads if read not in cut_short], failed_reads[:5]
    stored = site.psql(
        "primary",
        "SELECT json_agg(url) FROM catalogue_source WHERE url LIKE 'https://example.org/kill-check/%'",
    )
    stored_urls = json.loads(stored or "[]") or []
    confirmed = [url for url, status in outcomes["writes"] if status == 201]
    assert confirmed, outcomes["writes"]
    assert set(confirmed) <= set(stored_urls), "a confirmed write was lost"
    assert len(stored_urls) == len(set(stored_urls)), "a write was applied twice"
    unconfirmed = [(url, status) for url, status in outcomes["writes"] if status != 201]
    # Only a write in flight on the killed server may go unanswered (the proxy never
    # replays a write it may have delivered); every other write succeeds.
    assert len(unconfirmed) <= 2, unconfirmed
