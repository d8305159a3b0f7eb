"""Read the ``PEERLADDER_*`` environment into plain values.

Kept free of Django so that the CLI can report bad configuration as one clear
line before Django starts.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit


class ConfigurationError(Exception):
    """Bad configuration: the message names the variable and what is wrong."""


@dataclass(frozen=True)
class Environment:
    data_dir: Path
    database: dict[str, Any]
    secret_key: str
    debug: bool
    allowed_hosts: list[str]
    cache_url: str | None
    https: bool
    replicas: list[dict[str, Any]] = field(default_factory=list)


TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"", "0", "false", "no", "off"}


def _flag(name: str) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if raw in TRUE_WORDS:
        return True
    if raw in FALSE_WORDS:
        return False
    raise ConfigurationError(f"{name}={raw!r} is not a yes/no value (use 1 or 0, true or false)")


def data_dir() -> Path:
    """The data directory, created if missing; refuses one that is not writable."""
    path = Path(os.environ.get("PEERLADDER_DATA_DIR") or "var").expanduser().resolve()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigurationError(
            f"PEERLADDER_DATA_DIR={path} cannot be created: {exc.strerror or exc}"
        ) from None
    if not path.is_dir() or not os.access(path, os.W_OK | os.X_OK):
        raise ConfigurationError(f"PEERLADDER_DATA_DIR={path} is not a writable directory")
    return path


def secret_key(directory: Path) -> str:
    """The secret key from the environment, else from the data directory (made once, 0600)."""
    from_env = os.environ.get("PEERLADDER_SECRET_KEY")
    if from_env:
        return from_env
    key_file = directory / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="ascii").strip()
    key = secrets.token_urlsafe(50)
    # O_EXCL: two processes starting at once must not overwrite each other's key.
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_file.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key + "\n")
    return key


def database(directory: Path) -> dict[str, Any]:
    """Django's DATABASES['default'] from PEERLADDER_DATABASE_URL (SQLite by default)."""
    import dj_database_url

    url = os.environ.get("PEERLADDER_DATABASE_URL", "").strip()
    if not url:
        url = f"sqlite:///{directory / 'peerladder.sqlite3'}"
    try:
        config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
    except (ValueError, KeyError, TypeError) as exc:
        raise ConfigurationError(
            f"PEERLADDER_DATABASE_URL={url!r} is not a database URL Django can use "
            f"(try sqlite:///path or postgresql://user@host/db): {exc}"
        ) from None
    engine = config.get("ENGINE", "")
    if engine == "django.db.backends.sqlite3":
        name = str(config.get("NAME") or "")
        if not name or name == ":memory:":
            raise ConfigurationError(
                f"PEERLADDER_DATABASE_URL={url!r} names no SQLite file (use sqlite:///path)"
            )
        # Connections are kept for a minute, as PostgreSQL's are: opening one runs the
        # five PRAGMAs below, which took three fifths of a cached case JSON's time.
        config["OPTIONS"] = sqlite_options()
    elif engine.startswith("django.db.backends.postgresql"):
        if not config.get("NAME"):
            raise ConfigurationError(
                f"PEERLADDER_DATABASE_URL={url!r} names no PostgreSQL database"
            )
        config["CONN_HEALTH_CHECKS"] = True
    else:
        raise ConfigurationError(
            f"PEERLADDER_DATABASE_URL={url!r}: only sqlite:// and postgresql:// are supported"
        )
    return config


# SQLite's page cache per connection, at most (filled only as pages past the 256 MB
# memory map are read): a command's one connection may take 256 MiB; the site keeps a
# connection per worker thread for a minute, so each of those takes less
# (config/database.py, server_connections).
SQLITE_CACHE_MIB = 256
SERVER_SQLITE_CACHE_MIB = 16


def sqlite_options(*, cache_mib: int = SQLITE_CACHE_MIB) -> dict[str, Any]:
    """WAL, immediate write transactions and a busy timeout: many readers, queued writers."""
    return {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA foreign_keys=ON;"
            f"PRAGMA cache_size=-{cache_mib * 1024};"
            "PRAGMA mmap_size=268435456;"
        ),
    }


def _without_password(url: str) -> str:
    """``url`` with its password masked, for messages."""
    try:
        parts = urlsplit(url)
        if parts.password:
            host = parts.netloc.rsplit("@", 1)[1]
            return urlunsplit(parts._replace(netloc=f"{parts.username}:***@{host}"))
    except ValueError:
        pass
    return url


REPLICA_CONNECT_TIMEOUT = 2  # seconds: a replica that does not answer is skipped, not waited on


def replica_databases(primary: dict[str, Any]) -> list[dict[str, Any]]:
    """PEERLADDER_DATABASE_REPLICA_URLS: Django database settings for each read replica.

    Comma-separated PostgreSQL URLs; empty or unset means none. Replicas need a
    PostgreSQL primary. In tests each replica mirrors the primary.
    """
    import dj_database_url

    raw = os.environ.get("PEERLADDER_DATABASE_REPLICA_URLS", "").strip()
    if not raw:
        return []
    name = "PEERLADDER_DATABASE_REPLICA_URLS"
    if not str(primary.get("ENGINE", "")).startswith("django.db.backends.postgresql"):
        raise ConfigurationError(
            f"{name} is set but PEERLADDER_DATABASE_URL is not PostgreSQL: "
            "replicas are PostgreSQL streaming replicas of a PostgreSQL primary"
        )
    replicas = []
    for position, url in enumerate(raw.split(","), start=1):
        url = url.strip()
        shown = _without_password(url)
        if not url:
            raise ConfigurationError(f"{name}: URL number {position} is empty (stray comma?)")
        try:
            config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
        except (ValueError, KeyError, TypeError) as exc:
            raise ConfigurationError(
                f"{name}: {shown!r} is not a database URL (try postgresql://user@host/db): {exc}"
            ) from None
        if not str(config.get("ENGINE", "")).startswith("django.db.backends.postgresql"):
            raise ConfigurationError(
                f"{name}: {shown!r} is not a PostgreSQL URL (use postgresql://user@host/db)"
            )
        if not config.get("NAME"):
            raise ConfigurationError(f"{name}: {shown!r} names no PostgreSQL database")
        config["CONN_HEALTH_CHECKS"] = True
        config.setdefault("OPTIONS", {})["connect_timeout"] = REPLICA_CONNECT_TIMEOUT
        config["TEST"] = {"MIRROR": "default"}
        replicas.append(config)
    return replicas


CACHE_SCHEMES = ("redis", "rediss", "unix")


def cache_url() -> str | None:
    """PEERLADDER_CACHE_URL: a Redis URL, or None for the local-memory cache."""
    url = os.environ.get("PEERLADDER_CACHE_URL", "").strip()
    if not url:
        return None
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme not in CACHE_SCHEMES:
        raise ConfigurationError(
            f"PEERLADDER_CACHE_URL={url!r} is not a Redis URL "
            "(use redis://host:6379/0, rediss:// or unix://; leave it unset for local memory)"
        )
    return url


def load() -> Environment:
    """Read and check the whole environment; raises ConfigurationError on the first problem."""
    directory = data_dir()
    hosts = [
        host.strip()
        for host in os.environ.get("PEERLADDER_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
        if host.strip()
    ]
    primary = database(directory)
    return Environment(
        data_dir=directory,
        database=primary,
        secret_key=secret_key(directory),
        debug=_flag("PEERLADDER_DEBUG"),
        allowed_hosts=hosts,
        cache_url=cache_url(),
        https=_flag("PEERLADDER_HTTPS"),
        replicas=replica_databases(primary),
    )
