"""The ladder of participation: the pure domain core of peerladder.

Standard library only: no web framework, no database. Everything else in the
project (catalogue, API, web pages, CLI, reports) builds on what is exported here.
"""

from peerladder.ladder.consensus import (
    Consensus,
    Reliability,
    consensus,
    krippendorff_alpha,
    reliability,
)
from peerladder.ladder.model import (
    BASELINE_2007,
    ECONOMIES,
    NO_ECONOMY_NAME,
    QUESTIONS,
    RUNGS,
    VIABILITY_VALUES,
    VIEWS,
    Baseline,
    Choice,
    Economy,
    Question,
    Rung,
    UnknownRung,
    Viability,
    View,
    economy,
    economy_name,
    model_as_dict,
    question,
    rung,
)
from peerladder.ladder.procedure import asked_questions, classify, viability
from peerladder.ladder.result import Classification, FieldError, InvalidAnswers
from peerladder.ladder.trajectory import Period, PlacementRow, standing, trajectory

__all__ = [
    "BASELINE_2007",
    "ECONOMIES",
    "NO_ECONOMY_NAME",
    "QUESTIONS",
    "RUNGS",
    "VIABILITY_VALUES",
    "VIEWS",
    "Baseline",
    "Choice",
    "Classification",
    "Consensus",
    "Economy",
    "FieldError",
    "InvalidAnswers",
    "Period",
    "PlacementRow",
    "Question",
    "Reliability",
    "Rung",
    "UnknownRung",
    "Viability",
    "View",
    "asked_questions",
    "classify",
    "consensus",
    "economy",
    "economy_name",
    "krippendorff_alpha",
    "model_as_dict",
    "question",
    "reliability",
    "rung",
    "standing",
    "trajectory",
    "viability",
]
