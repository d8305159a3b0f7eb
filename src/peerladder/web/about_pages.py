"""/about: where the model comes from, how the catalogue is made and counted, the
licence, how to cite it, and what it cannot tell you. The figures it quotes (the
sample's largest shares, the dataset's release) come from the catalogue, cached like
the insights."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from peerladder.catalogue.models import Case
from peerladder.catalogue.vocabulary import SECTORS
from peerladder.catalogue.vocabulary_labels import country_label, term_label
from peerladder.insights import selectors
from peerladder.insights.viability import HARRIS
from peerladder.interchange.citations import CATALOGUE_TITLE, dataset_release
from peerladder.ladder import (
    ESSAY_AUTHOR,
    ESSAY_CITATION,
    ESSAY_DATE,
    ESSAY_TITLE,
    ESSAY_URL,
    ESSAY_VENUE,
    QUESTIONS,
)
from peerladder.lexicon import question_shown
from peerladder.web.catalogue_cache import cached_by_catalogue

DATA_LICENCE = "CC BY 4.0"
DATA_LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
# The editorial accounts of the bundled catalogue, and what their placements are.
EDITORIAL_ACCOUNTS = (
    (
        "peerladder-editors",
        _(
            "The project's editors: the first placement of each bundled case, argued from "
            "the public sources the case cites."
        ),
    ),
    (
        "essay-2008",
        _(
            "The essay's own placements of the cases it names, transcribed as answers to the "
            "questions, so that its 2008 reading of each stands beside later ones."
        ),
    ),
    (
        "literature",
        _(
            "Placements that follow one published analysis of the case, cited as the "
            "placement's source; each such placement names the work it follows."
        ),
    ),
)


def _figures(site: str) -> dict[str, Any]:
    profile = selectors.sample_profile()
    totals = selectors.totals()
    release = dataset_release(Case.objects.filter(archived=False), base_url=site)
    country = profile["countries"][0] if profile["countries"] else None
    sector = profile["sectors"][0] if profile["sectors"] else None
    return {
        "totals": totals,
        "country": {**country, "name": country_label(country["code"])} if country else None,
        "sector": {**sector, "name": term_label(SECTORS, sector["key"])} if sector else None,
        "accounts": profile["accounts"],
        "account_count": profile["account_count"],
        "not_recorded": next(
            row["count"] for row in profile["productions"] if row["key"] == "not recorded"
        ),
        "release": release.as_dict(),
        "alpha_minimum": selectors.ALPHA_MINIMUM_UNITS,
    }


def about(request: HttpRequest) -> HttpResponse:
    """The About and Method page."""
    site = request.build_absolute_uri("/").rstrip("/")
    figures = cached_by_catalogue(f"about|{site}", lambda: _figures(site))
    return render(
        request,
        "web/about/about.html",
        {
            **figures,
            "essay": {
                "author": ESSAY_AUTHOR,
                "title": ESSAY_TITLE,
                "venue": ESSAY_VENUE,
                "date": ESSAY_DATE,
                "url": ESSAY_URL,
                "citation": ESSAY_CITATION,
            },
            "harris": HARRIS,
            "questions": [question_shown(q) for q in QUESTIONS],
            "editorial_accounts": EDITORIAL_ACCOUNTS,
            "licence": DATA_LICENCE,
            "licence_url": DATA_LICENCE_URL,
            "catalogue_title": CATALOGUE_TITLE,
            "site": site,
        },
    )


urlpatterns: list[URLPattern] = [path("about", about, name="about")]
