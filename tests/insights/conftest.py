"""A small catalogue that exercises every insight: moves, ties, costs, archived cases."""

from __future__ import annotations

import pytest

from peerladder.catalogue import services
from peerladder.catalogue.models import Case
from tests.factories import IKEA_ANSWERS, LINUX_ANSWERS, WIKIPEDIA_ANSWERS, UserFactory, make_case

YOUTUBE_ANSWERS = {
    "directed_by": "peers",
    "value": "use",
    "producers": "individuals",
    "monetization": "attention",
    "output_license": "proprietary",
}
MONDRAGON_ANSWERS = {"directed_by": "peers", "value": "exchange", "producers": "group"}
EBAY_ANSWERS = {"directed_by": "peers", "value": "exchange", "producers": "individuals"}
COSTS_LOW = {"capital_cost": "low", "coordination_cost": "low"}
COSTS_HIGH = {"capital_cost": "high", "coordination_cost": "medium"}


def place(
    slug: str,
    answers: dict,
    valid_from: str = "2001",
    valid_to: str | None = None,
    *,
    author=None,
):
    case = Case.objects.get(slug=slug)
    return services.placement_add(
        case=case,
        author=author or UserFactory(),
        answers=answers,
        valid_from=valid_from,
        valid_to=valid_to,
        rationale="Another reading of the sources.",
        sources=[f"https://example.org/{slug}"],
    )


def build_catalogue() -> None:
    make_case(
        slug="wikipedia",
        name="Wikipedia",
        answers={**WIKIPEDIA_ANSWERS, **COSTS_LOW},
        countries=["US"],
        founded=2001,
    )
    make_case(
        slug="linux",
        name="Linux",
        answers=LINUX_ANSWERS,
        countries=["FI"],
        founded=1991,
        sector="software",
    )
    make_case(
        slug="ikea",
        name="IKEA",
        answers={**IKEA_ANSWERS, **COSTS_HIGH},
        countries=["SE"],
        founded=1943,
        sector="commerce",
        org_form="company",
    )
    # Moved: rung 6 as a non-profit, rung 9 after 2011.
    make_case(
        slug="couchsurfing",
        name="Couchsurfing",
        answers=WIKIPEDIA_ANSWERS,
        valid_from="2004",
        countries=["US"],
        founded=2004,
        sector="travel",
    )
    place("couchsurfing", {**YOUTUBE_ANSWERS, **COSTS_LOW}, valid_from="2011")
    # Agreed by two of three: rung 10, not contested.
    make_case(
        slug="mondragon",
        name="Mondragon",
        answers=MONDRAGON_ANSWERS,
        valid_from="1956",
        countries=["ES"],
        founded=1956,
        sector="manufacturing",
    )
    place("mondragon", MONDRAGON_ANSWERS, valid_from="1956")
    place("mondragon", EBAY_ANSWERS, valid_from="1956")
    # A tie: one says rung 8, one says rung 9; it stands on no rung.
    make_case(
        slug="disputed",
        name="Disputed Platform",
        answers=LINUX_ANSWERS,
        valid_from="2019",
        countries=["DE"],
        founded=2019,
    )
    place("disputed", YOUTUBE_ANSWERS, valid_from="2019")
    # Contested without a tie: 6, 6, 8 and 11 (agreement 1/2); it leads on rung 6.
    make_case(
        slug="split",
        name="Split Commons",
        answers=WIKIPEDIA_ANSWERS,
        valid_from="2010",
        countries=["FR"],
        founded=2010,
        production="immaterial",
    )
    place("split", WIKIPEDIA_ANSWERS, valid_from="2010")
    place("split", LINUX_ANSWERS, valid_from="2010")
    place("split", EBAY_ANSWERS, valid_from="2010")
    # One account placing the same period twice counts once, by its latest placement:
    # not contested, standing on rung 8.
    second_thoughts = UserFactory(username="second-thoughts")
    make_case(
        slug="rethought",
        name="Rethought",
        answers=WIKIPEDIA_ANSWERS,
        valid_from="2015",
        author=second_thoughts,
        founded=2015,
    )
    place("rethought", LINUX_ANSWERS, valid_from="2015", author=second_thoughts)
    # Recent cases for the growth figures.
    make_case(slug="etsy", name="Etsy", answers=EBAY_ANSWERS, founded=2005, sector="commerce")
    make_case(slug="youtube", name="YouTube", answers=YOUTUBE_ANSWERS, founded=2005)
    make_case(slug="newcoop", name="New Coop", answers=MONDRAGON_ANSWERS, founded=2020)
    make_case(slug="newcommons", name="New Commons", answers=WIKIPEDIA_ANSWERS, founded=2018)
    # Archived: counted nowhere.
    make_case(slug="gone", name="Gone", answers=EBAY_ANSWERS, founded=2021)
    Case.objects.filter(slug="gone").update(archived=True)


@pytest.fixture
def catalogue(db):
    build_catalogue()
