"""The ``peerladder report`` and ``peerladder chart`` commands.

Each command sets Django up, makes one call into the insights package and
writes the result; bad input ends with one line on stderr and exit status 2.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from peerladder.cli.runtime import INPUT_ERROR, in_language, lang_option

# charts.NAMES, repeated: importing charts needs Django set up, and bad input must not.
CHART_NAMES = ("ladder", "trend", "trajectories", "viability", "agreement")
CHART_FORMATS = {".svg": "svg", ".png": "png"}


def _fail(message: str) -> None:
    click.echo(f"peerladder: {message}", err=True)
    sys.exit(INPUT_ERROR)


def _write(output: str | None, content: bytes) -> None:
    if output is None or output == "-":
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
        return
    path = Path(output)
    if not path.parent.is_dir():
        _fail(f"cannot write {output}: the directory {path.parent} does not exist")
    try:
        path.write_bytes(content)
    except OSError as exc:
        _fail(f"cannot write {output}: {exc.strerror or exc}")


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "html"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option("-o", "--output", default=None, help="Write to PATH instead of standard output.")
@click.option(
    "--year",
    default=None,
    type=click.IntRange(1000, 2200),
    help="End of the growth window (default: this year).",
)
@lang_option
def report(fmt: str, output: str | None, year: int | None, lang: str) -> None:
    """Print the state-of-the-field report ("where are we now"): per rung its count,
    share, growth, examples and agreement, beside the 2007 assessment. In another
    language the essay's words stay in English, with their translation beside them."""
    with in_language(lang):
        from peerladder.insights.report import render_report

        content = render_report(fmt, year=year).encode()
    _write(output, content)


@click.command()
@click.argument("name")
@click.option(
    "-o",
    "--output",
    required=True,
    help="The file to write: PATH.svg or PATH.png (the extension picks the format).",
)
@click.option(
    "--scale",
    default=2.0,
    show_default=True,
    type=click.FloatRange(0.25, 8),
    help="PNG only: pixels per SVG unit.",
)
@lang_option
def chart(name: str, output: str, scale: float, lang: str) -> None:
    """Render a chart to an SVG or PNG file. NAME is one of ladder, trend, trajectories,
    viability or agreement."""
    if name not in CHART_NAMES:
        _fail(f"unknown chart {name!r}; allowed: {', '.join(CHART_NAMES)}")
    fmt = CHART_FORMATS.get(Path(output).suffix.lower())
    if fmt is None:
        _fail(f"cannot tell the format of {output!r}: the file name must end in .svg or .png")
    with in_language(lang):
        from peerladder.insights.charts import render_chart

        built, content = render_chart(name, fmt, scale=scale)
    _write(output, content)
    click.echo(f"Wrote {output} ({built.title}).", err=True)
