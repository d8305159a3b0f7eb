"""Answer sets for the ladder tests: the spec's worked examples and small builders."""

from __future__ import annotations

WORKED_EXAMPLES: list[tuple[str, dict[str, str], int, str | None]] = [
    ("IKEA", {"directed_by": "firm", "participant_role": "performs_step"}, 3, None),
    (
        "Dell",
        {"directed_by": "firm", "participant_role": "customizes", "contributor_pay": "paid"},
        4,
        None,
    ),
    (
        "Lego Factory",
        {
            "directed_by": "firm",
            "participant_role": "designs",
            "contributor_pay": "paid_if_chosen",
        },
        5,
        "crowdsourcing",
    ),
    (
        "Wikipedia",
        {
            "directed_by": "peers",
            "value": "use",
            "producers": "group",
            "monetization": "none",
            "output_license": "commons",
        },
        6,
        "commons",
    ),
    (
        "Couchsurfing (non-profit years)",
        {
            "directed_by": "peers",
            "value": "use",
            "producers": "individuals",
            "monetization": "none",
            "output_license": "none",
        },
        6,
        None,
    ),
    (
        "Linux",
        {
            "directed_by": "peers",
            "value": "use",
            "producers": "group",
            "monetization": "commons_ecology",
            "output_license": "commons",
        },
        8,
        "commons",
    ),
    (
        "YouTube",
        {
            "directed_by": "peers",
            "value": "use",
            "producers": "individuals",
            "monetization": "attention",
            "output_license": "proprietary",
        },
        9,
        "sharing",
    ),
    ("Mondragon", {"directed_by": "peers", "value": "exchange", "producers": "group"}, 10, None),
    ("eBay", {"directed_by": "peers", "value": "exchange", "producers": "individuals"}, 11, None),
]


def firm(role: str, **optional: str) -> dict[str, str]:
    return {"directed_by": "firm", "participant_role": role, **optional}


def use(monetization: str, producers: str = "group", **optional: str) -> dict[str, str]:
    return {
        "directed_by": "peers",
        "value": "use",
        "producers": producers,
        "monetization": monetization,
        **optional,
    }


def exchange(producers: str, **optional: str) -> dict[str, str]:
    return {"directed_by": "peers", "value": "exchange", "producers": producers, **optional}
