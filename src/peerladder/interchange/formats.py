"""The export formats by name, for the CLI, the API and the download links, and an
export of the catalogue in one of them to a file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import BinaryIO

from peerladder.catalogue.read_snapshot import read_snapshot
from peerladder.catalogue.selectors import CaseFilters
from peerladder.interchange.datapackage import DataPackageExporter
from peerladder.interchange.exporters import (
    BibtexExporter,
    CaseStream,
    CslExporter,
    CsvExporter,
    Exporter,
    JsonExporter,
    JsonLinesExporter,
    RisExporter,
)
from peerladder.interchange.jsonld import JsonLdExporter

__all__ = ["EXPORTERS", "EXPORT_FORMATS", "export_cases", "exporter_for"]

EXPORTERS: dict[str, type[Exporter]] = {
    exporter.name: exporter
    for exporter in (
        CsvExporter,
        JsonExporter,
        JsonLinesExporter,
        JsonLdExporter,
        DataPackageExporter,
        BibtexExporter,
        CslExporter,
        RisExporter,
    )
}
EXPORT_FORMATS = tuple(EXPORTERS)


def exporter_for(
    fmt: str, *, base_url: str | None = None, accessed: dt.date | None = None
) -> Exporter:
    """The exporter named ``fmt``; KeyError names the formats there are."""
    try:
        kind = EXPORTERS[fmt]
    except KeyError:
        raise KeyError(f"format must be one of {', '.join(EXPORT_FORMATS)}, not {fmt!r}") from None
    return kind(base_url=base_url, accessed=accessed)


def export_cases(
    target: BinaryIO | Path,
    *,
    fmt: str,
    filters: CaseFilters | None = None,
    base_url: str | None = None,
) -> None:
    """Write the live cases matching ``filters`` in format ``fmt`` to ``target``: a
    binary stream, or a directory for a data package written as files.

    Every file and table of the export shows the catalogue as of one moment, and a
    text query selects exactly the cases a search for it finds.
    """
    exporter = exporter_for(fmt, base_url=base_url)
    with read_snapshot():
        cases = CaseStream(filters)  # resolves a text query itself
        if not isinstance(target, Path):
            exporter.write(cases, target)
        elif isinstance(exporter, DataPackageExporter):
            exporter.write_directory(cases, target)
        else:
            raise ValueError(f"only a data package is written to a directory, not {fmt}")
