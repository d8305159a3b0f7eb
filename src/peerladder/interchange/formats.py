"""The export formats by name, for the CLI, the API and the download links."""

from __future__ import annotations

import datetime as dt

from peerladder.interchange.datapackage import DataPackageExporter
from peerladder.interchange.exporters import (
    BibtexExporter,
    CslExporter,
    CsvExporter,
    Exporter,
    JsonExporter,
    JsonLinesExporter,
    RisExporter,
)
from peerladder.interchange.jsonld import JsonLdExporter

__all__ = ["EXPORTERS", "EXPORT_FORMATS", "exporter_for"]

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
