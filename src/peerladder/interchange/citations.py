"""Citations of a case (a permalink of its exact revision) and of the dataset (a dated
release), in BibTeX, CSL-JSON and RIS. The exporters that write them for the whole
catalogue are in :mod:`peerladder.interchange.exporters`.

A case's authors are the accounts that wrote its revisions, in the order they
first contributed; its date is the date of its current revision, and its URL
the permalink ``/cases/<slug>?revision=N`` of that revision.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
from django.conf import settings
from django.db.models import Count, Max, QuerySet

from peerladder.catalogue.models import Case, Placement, Revision, Source
from peerladder.catalogue.record_stream import CaseRow, ids_in

__all__ = [
    "CITATION_FORMATS",
    "Citation",
    "Release",
    "case_citation",
    "citation_context",
    "citations_for",
    "dataset_release",
    "render_citation",
    "resolve_base_url",
    "row_citations",
    "to_bibtex",
    "to_csl",
    "to_ris",
]

CITATION_FORMATS = ("bibtex", "csl", "ris")
CATALOGUE_TITLE = "peerladder: a catalogue of participatory business models"
PUBLISHER = "peerladder"

DEFAULT_BASE_URL = "http://127.0.0.1:8000"


def resolve_base_url(explicit: str | None = None) -> str:
    """The site's public address for permalinks: given, else the PEERLADDER_BASE_URL
    setting when one exists, else the address ``peerladder demo`` serves on."""
    chosen = explicit or getattr(settings, "PEERLADDER_BASE_URL", None) or DEFAULT_BASE_URL
    return str(chosen).rstrip("/")


@dataclass(frozen=True)
class Citation:
    """What a reference manager needs to cite one case revision, or the dataset."""

    key: str
    title: str
    authors: tuple[str, ...]
    issued: dt.date
    url: str
    accessed: dt.date
    version: str
    kind: str = "case"  # or "dataset"
    note: str = ""


@dataclass(frozen=True)
class Release:
    """The catalogue (or a filtered part of it) as a dated, versioned release."""

    version: str
    date: dt.date
    url: str
    counts: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "title": CATALOGUE_TITLE,
            "version": self.version,
            "date": self.date.isoformat(),
            "url": self.url,
            "counts": dict(self.counts),
        }

    def citation(self, *, accessed: dt.date) -> Citation:
        counts = ", ".join(f"{value} {name}" for name, value in self.counts.items())
        return Citation(
            key=f"peerladder-{self.version}",
            title=CATALOGUE_TITLE,
            authors=("peerladder contributors",),
            issued=self.date,
            url=self.url,
            accessed=accessed,
            version=self.version,
            kind="dataset",
            note=f"Dataset release {self.version}: {counts}",
        )


def dataset_release(cases: QuerySet[Case], *, base_url: str | None = None) -> Release:
    """The release of ``cases``: dated by its latest revision, versioned by date and
    revision count (so any change gives a new version), with counts."""
    revisions = Revision.objects.filter(case__in=cases.values("id"))
    totals = revisions.aggregate(revisions=Count("id"), latest=Max("created_at"))
    placements = Placement.objects.filter(case__in=cases.values("id"), retracted_at__isnull=True)
    # Contributors: whoever wrote a revision or placed a case (an import writes the
    # revision, but each placement keeps the author its record names).
    # order_by() first: the models' default orders would join in and defeat DISTINCT,
    # bringing back one row per revision or placement instead of one per account.
    contributors = set(
        revisions.exclude(author=None).order_by().values_list("author", flat=True).distinct()
    )
    contributors |= set(placements.order_by().values_list("author", flat=True).distinct())
    latest = totals["latest"].date() if totals["latest"] else dt.date.today()
    counts = {
        "cases": cases.count(),
        "placements": placements.count(),
        "sources": Source.objects.filter(case__in=cases.values("id")).count(),
        "contributors": len(contributors),
        "revisions": totals["revisions"],
    }
    return Release(
        version=f"{latest:%Y.%m.%d}-r{totals['revisions']}",
        date=latest,
        url=f"{resolve_base_url(base_url)}/cases",
        counts=counts,
    )


History = list[tuple[int, dt.datetime, str | None]]


def _case_citation(
    *,
    slug: str,
    name: str,
    summary: str,
    revision_number: int,
    updated_at: dt.datetime | None,
    revisions: History,
    placement_authors: Iterable[str],
    base_url: str,
    accessed: dt.date,
) -> Citation:
    authors: list[str] = []
    issued: dt.date | None = None
    for number, created_at, author in revisions:
        if author and author not in authors:
            authors.append(author)
        if number == revision_number:
            issued = created_at.date()
    if issued is None:
        # Callers read updated_at for every case whose current revision is missing.
        assert updated_at is not None
        issued = updated_at.date()
    for author in placement_authors:
        if author not in authors:
            authors.append(author)
    return Citation(
        key=f"peerladder-{slug}-r{revision_number}",
        title=name,
        authors=tuple(authors) or ("peerladder contributors",),
        issued=issued,
        url=f"{base_url}/cases/{slug}?revision={revision_number}",
        accessed=accessed,
        version=f"revision {revision_number}",
        note=summary,
    )


def _histories(case_ids: list[int]) -> dict[int, History]:
    """The revisions of each case, oldest first, in one query."""
    history: dict[int, History] = {case_id: [] for case_id in case_ids}
    rows = (
        Revision.objects.filter(ids_in(Revision, "case_id", case_ids))
        .order_by("case_id", "number")
        .values_list("case_id", "number", "created_at", "author__username")
    )
    for case_id, number, created_at, author in rows:
        history[case_id].append((number, created_at, author))
    return history


def citations_for(
    cases: Sequence[Case], *, base_url: str | None = None, accessed: dt.date | None = None
) -> list[Citation]:
    """Citations of ``cases``, reading their revisions in one query."""
    url = resolve_base_url(base_url)
    day = accessed or dt.date.today()
    history = _histories([case.pk for case in cases])
    return [
        _case_citation(
            slug=case.slug,
            name=case.name,
            summary=case.summary,
            revision_number=case.revision_number,
            updated_at=case.updated_at,
            revisions=history[case.pk],
            placement_authors=[
                p.author.username for p in case.placements.all() if p.retracted_at is None
            ],
            base_url=url,
            accessed=day,
        )
        for case in cases
    ]


def row_citations(rows: Sequence[CaseRow], *, base_url: str, accessed: dt.date) -> list[Citation]:
    """Citations of cases read by ``record_stream``, reading their revisions in one query."""
    history = _histories([row.id for row in rows])
    # A case is dated by its current revision; only a case without one (bulk-loaded
    # data) falls back to when it last changed, read for those cases alone.
    undated = [
        row.id
        for row in rows
        if not any(number == row.revision_number for number, _, _ in history[row.id])
    ]
    changed = dict(
        Case.objects.filter(ids_in(Case, "id", undated)).values_list("id", "updated_at")
        if undated
        else ()
    )
    return [
        _case_citation(
            slug=row.record["slug"],
            name=row.record["name"],
            summary=row.record["summary"],
            revision_number=row.revision_number,
            updated_at=changed.get(row.id),
            revisions=history[row.id],
            placement_authors=[p["author"] for p in row.record["placements"]],
            base_url=base_url,
            accessed=accessed,
        )
        for row in rows
    ]


def case_citation(
    case: Case, *, base_url: str | None = None, accessed: dt.date | None = None
) -> Citation:
    """The citation of the case's current revision."""
    return citations_for([case], base_url=base_url, accessed=accessed)[0]


def citation_context(case: Case, *, base_url: str | None = None) -> dict[str, Any]:
    """Template context for ``web/cases/_cite.html``: the case's citation and its BibTeX."""
    citation = case_citation(case, base_url=base_url)
    return {"citation": citation, "cite_bibtex": to_bibtex(citation)}


# -- BibTeX ---------------------------------------------------------------------------

_BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


_BIBTEX_TABLE = str.maketrans(_BIBTEX_ESCAPES)


def _bibtex_text(text: str) -> str:
    return " ".join(text.split()).translate(_BIBTEX_TABLE)


def to_bibtex(citation: Citation) -> str:
    """A ``@misc`` entry; names in braces so BibTeX keeps account names whole."""
    authors = " and ".join("{" + _bibtex_text(name) + "}" for name in citation.authors)
    fields = [
        ("author", authors),
        ("title", "{" + _bibtex_text(citation.title) + "}"),
        ("howpublished", _bibtex_text(f"{PUBLISHER}, {citation.version}")),
        ("publisher", PUBLISHER),
        ("version", _bibtex_text(citation.version)),
        ("year", str(citation.issued.year)),
        ("month", _MONTHS[citation.issued.month - 1]),
        ("date", citation.issued.isoformat()),
        ("url", citation.url),
        ("urldate", citation.accessed.isoformat()),
        ("note", _bibtex_text(f"Accessed {citation.accessed.isoformat()}")),
    ]
    if citation.kind == "dataset" and citation.note:
        fields.insert(-1, ("abstract", _bibtex_text(citation.note)))
    body = ",\n".join(
        f"  {name} = {value}" if name == "month" else f"  {name} = {{{value}}}"
        for name, value in fields
    )
    return f"@misc{{{citation.key},\n{body}\n}}\n"


# -- CSL-JSON -------------------------------------------------------------------------


def _date_parts(day: dt.date) -> dict[str, Any]:
    return {"date-parts": [[day.year, day.month, day.day]]}


def to_csl(citation: Citation) -> dict[str, Any]:
    """A CSL-JSON item (https://citeproc-js.readthedocs.io/en/latest/csl-json/markup.html)."""
    item: dict[str, Any] = {
        "id": citation.key,
        "type": "dataset" if citation.kind == "dataset" else "webpage",
        "title": citation.title,
        "author": [{"literal": name} for name in citation.authors],
        "issued": _date_parts(citation.issued),
        "accessed": _date_parts(citation.accessed),
        "URL": citation.url,
        "publisher": PUBLISHER,
        "container-title": PUBLISHER,
        "version": citation.version,
    }
    if citation.note:
        item["abstract"] = citation.note
    return item


# -- RIS ------------------------------------------------------------------------------


def _ris_text(text: str) -> str:
    return " ".join(text.split())


def to_ris(citation: Citation) -> str:
    """A RIS record (``TY  - ELEC`` for a case, ``DATA`` for the dataset)."""
    lines = [("TY", "DATA" if citation.kind == "dataset" else "ELEC")]
    lines += [("AU", _ris_text(name)) for name in citation.authors]
    lines += [
        ("TI", _ris_text(citation.title)),
        ("T2", PUBLISHER),
        ("PB", PUBLISHER),
        ("PY", str(citation.issued.year)),
        ("DA", citation.issued.strftime("%Y/%m/%d")),
        ("ET", _ris_text(citation.version)),
        ("UR", citation.url),
        ("Y2", citation.accessed.strftime("%Y/%m/%d")),
        ("ID", citation.key),
    ]
    if citation.note:
        lines.append(("AB", _ris_text(citation.note)))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {value}\n" for tag, value in lines)


CITATION_MEDIA_TYPES = {
    "bibtex": "application/x-bibtex; charset=utf-8",
    "csl": "application/vnd.citationstyles.csl+json",
    "ris": "application/x-research-info-systems; charset=utf-8",
}


def render_citation(citation: Citation, fmt: str) -> str:
    """One citation as text in ``fmt`` (bibtex, csl or ris)."""
    if fmt == "bibtex":
        return to_bibtex(citation)
    if fmt == "csl":
        return orjson.dumps([to_csl(citation)], option=orjson.OPT_INDENT_2).decode() + "\n"
    if fmt == "ris":
        return to_ris(citation)
    raise ValueError(f"format must be one of {', '.join(CITATION_FORMATS)}, not {fmt!r}")
