"""The ``peerladder import`` and ``peerladder export`` commands.

Thin: each parses its options, makes one call into the interchange package and
maps bad input to one stderr line per problem and exit status 2.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, NoReturn

import click

from peerladder.cli.runtime import INPUT_ERROR, setup_django
from peerladder.interchange.parsers import FORMATS
from peerladder.interchange.problems import InvalidFile

if TYPE_CHECKING:
    from peerladder.interchange.importer import ImportReport

__all__ = ["export", "import_"]

# importer.DEFAULT_IMPORT_USER, repeated: importing the importer needs Django set up.
DEFAULT_IMPORT_USER = "peerladder-import"
EXPORT_FORMATS = ("csv", "json", "jsonl", "jsonld", "datapackage", "bibtex", "csl", "ris")
_SUFFIXES = {".csv": "csv", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl"}


def _fail(lines: list[str]) -> NoReturn:
    for line in lines:
        click.echo(line, err=True)
    sys.exit(INPUT_ERROR)


def _format_of(file: str, fmt: str | None) -> str:
    if fmt:
        return fmt
    found = _SUFFIXES.get(Path(file).suffix.lower())
    if found is None:
        _fail(
            [
                f"{file}: cannot tell the format from the file name; "
                f"give --format ({', '.join(FORMATS)})"
            ]
        )
    return str(found)


class _Progress:
    """A rich progress bar on stderr when it is a terminal; silent otherwise, so that
    stderr holds nothing but problems."""

    def __init__(self, name: str, *, total: int | None = None) -> None:
        self.name = name
        self.total = total
        self.bar: Any = None
        self.task: Any = None

    def start(self, total: int | None) -> None:
        total = total if total is not None else self.total
        if sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import Progress

            self.bar = Progress(console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task(f"Importing {self.name}", total=total)

    def advance(self, count: int) -> None:
        if self.bar is not None:
            self.bar.advance(self.task, count)

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="The file's format (default: from its extension: .csv, .json, .jsonl).",
)
@click.option(
    "--dry-run", is_flag=True, help="Check the file and say what would change; write nothing."
)
@click.option(
    "--user",
    default=DEFAULT_IMPORT_USER,
    show_default=True,
    help="The account the import's revisions are attributed to (created when missing).",
)
def import_(file: str, fmt: str | None, dry_run: bool, user: str) -> None:
    """Import cases with their sources and placements from FILE (CSV, JSON or JSON Lines).

    Every record is checked first; the import is all or nothing. Existing cases
    (same slug or Wikidata id) are updated with revisions by --user.
    """
    fmt = _format_of(file, fmt)
    name = "stdin" if file == "-" else Path(file).name
    setup_django()
    from peerladder.interchange.importer import import_file
    from peerladder.interchange.pipeline import ImportWorkerError

    with ExitStack() as stack:
        source = sys.stdin.buffer if file == "-" else stack.enter_context(_open(file))
        jsonl_file = fmt == "jsonl" and file != "-"
        progress = _Progress(name, total=_count_lines(file) if jsonl_file else None)

        def report_done(report: ImportReport) -> None:
            progress.stop()
            if dry_run:
                for plan in report.plans:
                    click.echo(plan.describe())
            click.echo(report.summary())
            # Said before the search indexes are refreshed, which takes a while.
            sys.stdout.flush()

        try:
            import_file(
                source,
                fmt=fmt,
                name=name,
                user=user,
                dry_run=dry_run,
                on_start=progress.start,
                on_progress=progress.advance,
                on_report=report_done,
            )
        except InvalidFile as exc:
            progress.stop()
            _fail([problem.line() for problem in exc.problems])
        except ImportWorkerError as exc:  # a fault of ours, not of the file: status 1
            progress.stop()
            click.echo(f"Error: {exc}", err=True)
            sys.exit(1)


def _open(file: str) -> BinaryIO:
    try:
        return open(file, "rb")  # closed by the caller's ExitStack
    except OSError as exc:
        _fail([f"{file}: cannot read the file ({exc.strerror or exc})"])


def _count_lines(file: str) -> int | None:
    """The number of lines of ``file``, for the progress bar (a quick pass of its bytes),
    when stderr is a terminal that shows one."""
    if not sys.stderr.isatty():
        return None
    try:
        with open(file, "rb") as stream:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: stream.read(1 << 20), b""))
    except OSError:
        return None


def _filter_problems(
    *, economy: str | None, sector: str | None, country: str | None, language: str | None = None
) -> list[str]:
    from peerladder.catalogue.vocabulary import CASE_LANGUAGES, COUNTRY_CODES, SECTORS
    from peerladder.ladder import ECONOMIES

    problems = []
    economies = [economy.key for economy in ECONOMIES] + ["none"]
    for option, value, allowed in (
        ("--economy", economy, economies),
        ("--sector", sector, list(SECTORS.values)),
        ("--language", language, list(CASE_LANGUAGES.values)),
    ):
        if value is not None and value not in allowed:
            problems.append(f"{option}: {value!r} is not known; allowed: {', '.join(allowed)}")
    if country is not None and country.upper() not in COUNTRY_CODES:
        problems.append(
            f"--country: {country!r} is not an ISO 3166-1 alpha-2 country code (such as US, DE)"
        )
    return problems


@contextmanager
def _output(path: str) -> Iterator[Any]:
    """The binary stream to write to: stdout for "-", else a temporary file beside
    ``path`` renamed into place once complete, so a failed export leaves nothing."""
    if path == "-":
        yield sys.stdout.buffer
        sys.stdout.flush()
        return
    target = Path(path)
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - renamed or removed below
        dir=target.parent if str(target.parent) else ".",
        prefix=f".{target.name}.",
        delete=False,
    )
    try:
        with handle:
            yield handle
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(handle.name, 0o666 & ~umask)  # as a plain open() would have made it
        os.replace(handle.name, target)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


@click.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    default="jsonl",
    show_default=True,
    help="jsonl is the import format; datapackage is a zip (or a directory with -o DIR/).",
)
@click.option(
    "-o", "--output", default="-", show_default=True, help="File to write, or - for stdout."
)
@click.option("--query", default=None, help="Only the cases a search for these words finds.")
@click.option("--rung", type=click.IntRange(1, 11), default=None, help="Only cases on this rung.")
@click.option("--economy", default=None, help="Only cases with this economy (or none).")
@click.option("--sector", default=None, help="Only cases of this sector.")
@click.option("--country", default=None, help="Only cases in this country (ISO 3166-1 alpha-2).")
@click.option(
    "--language",
    default=None,
    help="Only cases with text in this language (es, fr, pt-br, de, it).",
)
@click.option(
    "--base-url",
    default=None,
    help="The site's public address, for permalinks and citations.",
)
def export(
    fmt: str,
    output: str,
    query: str | None,
    rung: int | None,
    economy: str | None,
    sector: str | None,
    country: str | None,
    language: str | None,
    base_url: str | None,
) -> None:
    """Write the catalogue (or the cases matching the filters) in one format."""
    setup_django()
    from peerladder.catalogue.selectors import CaseFilters
    from peerladder.interchange.formats import export_cases

    problems = _filter_problems(economy=economy, sector=sector, country=country, language=language)
    if problems:
        _fail(problems)
    filters = CaseFilters(
        query=query,
        rung=rung,
        economy=economy,
        sector=sector,
        country=country.upper() if country else None,
        language=language,
    )
    if fmt == "datapackage" and output != "-" and (output.endswith("/") or Path(output).is_dir()):
        export_cases(Path(output), fmt=fmt, filters=filters, base_url=base_url)
        return
    try:
        with _output(output) as stream:
            export_cases(stream, fmt=fmt, filters=filters, base_url=base_url)
    except OSError as exc:
        _fail([f"{output}: cannot write the file ({exc.strerror or exc})"])
