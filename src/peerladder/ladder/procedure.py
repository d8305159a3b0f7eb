"""The decision procedure: answers in, a rung (with economy, viability and reasons) out.

The valid path is tuned for speed (it runs for every line of ``peerladder
classify``): every sentence and lookup is built once at import, and the
thorough error report is only assembled when something is wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from peerladder.ladder.messages import Message
from peerladder.ladder.model import (
    QUESTIONS,
    RUNGS,
    Question,
    Viability,
    question,
)
from peerladder.ladder.result import Classification, InvalidAnswers
from peerladder.ladder.validation import collect_errors, not_an_object

__all__ = ["asked_questions", "classify", "procedure_messages", "viability"]

_ALLOWED: dict[str, frozenset[str]] = {q.field: frozenset(q.allowed) for q in QUESTIONS}
_FIELDS: tuple[str, ...] = tuple(q.field for q in QUESTIONS)

_FIRM_RUNG = {"receives": 1, "chooses": 2, "performs_step": 3, "customizes": 4, "designs": 5}
_USE_RUNG = {"none": 6, "equitable": 7, "commons_ecology": 8, "attention": 9}
_EXCHANGE_RUNG = {"group": 10, "individuals": 11}

# The questions that are asked on a branch only; answering them on another branch
# is ignored with a warning. Optional questions are asked on every branch.
_UNASKED_ON_FIRM = ("value", "producers", "monetization")
_UNASKED_ON_USE = ("participant_role",)
_UNASKED_ON_EXCHANGE = ("participant_role", "monetization")


def _m(key: str, template: str, **params: object) -> Message:
    return Message(f"procedure.{key}", template, tuple(params.items()))


def _step(action: Message, number: int) -> Message:
    return _m(
        "step.rung",
        "{action}: rung {number}, {name}.",
        action=action,
        number=number,
        name=RUNGS[number - 1].name_message,
    )


_DIRECTION_STEP = {
    "firm": _m(
        "direction.firm",
        "The firm decides what is made, so the case is on the firm's half of the "
        "ladder (rungs 1-5).",
    ),
    "peers": _m(
        "direction.peers",
        "The peers decide what they make, so the case is on the community half of "
        "the ladder (rungs 6-11).",
    ),
}
_ROLE_ACTION = {
    role: _m(f"role.{role}", text)
    for role, text in {
        "receives": "Participants only receive what is offered",
        "chooses": "Participants choose among the firm's offers",
        "performs_step": "Participants carry out a step of the firm's value chain",
        "customizes": "Participants customise the product within options the firm sets",
        "designs": "Participants take part in designing the product itself",
    }.items()
}
_USE_STEP = _m(
    "value.use", "They make it for direct use, so the way it is monetised decides the rung."
)
_MONETIZATION_ACTION = {
    money: _m(f"monetization.{money}", text)
    for money, text in {
        "none": "No one monetises it, by choice",
        "equitable": "The peers monetise it themselves in equity-based forms",
        "commons_ecology": "Businesses around the commons monetise it",
        "attention": "A proprietary platform sells the attention it draws",
    }.items()
}
_EXCHANGE_STEP = _m("value.exchange", "They make it for sale, so who produces decides the rung.")
_PRODUCERS_ACTION = {
    producers: _m(f"producers.{producers}", text)
    for producers, text in {
        "group": "A group produces and owns the production",
        "individuals": "Individuals make and sell their own products",
    }.items()
}

_FIRM_STEPS: dict[str, tuple[Message, ...]] = {
    role: (_DIRECTION_STEP["firm"], _step(action, _FIRM_RUNG[role]))
    for role, action in _ROLE_ACTION.items()
}
_USE_STEPS: dict[str, tuple[Message, ...]] = {
    money: (_DIRECTION_STEP["peers"], _USE_STEP, _step(action, _USE_RUNG[money]))
    for money, action in _MONETIZATION_ACTION.items()
}
_EXCHANGE_STEPS: dict[str, tuple[Message, ...]] = {
    producers: (_DIRECTION_STEP["peers"], _EXCHANGE_STEP, _step(action, _EXCHANGE_RUNG[producers]))
    for producers, action in _PRODUCERS_ACTION.items()
}

_SHARING_STEP = _m(
    "economy.sharing",
    "Individuals sharing on an attention platform make up the sharing economy.",
)
_COMMONS_STEP: dict[object, Message] = {
    "commons": _m(
        "economy.commons.commons",
        "The output carries a commons licence, so the case belongs to the commons economy.",
    ),
    "proprietary": _m(
        "economy.commons.proprietary",
        "The output is proprietary rather than a licensed commons, so no economy applies.",
    ),
    "none": _m(
        "economy.commons.none",
        "The output is not under a commons licence, so no economy applies.",
    ),
    None: _m("economy.commons.missing", "No commons licence is given, so no economy applies."),
}
_CROWDSOURCING_STEP: dict[object, Message] = {
    "unpaid": _m(
        "economy.crowdsourcing.unpaid",
        "Contributors are unpaid, so the case belongs to the crowdsourcing economy.",
    ),
    "paid_if_chosen": _m(
        "economy.crowdsourcing.paid_if_chosen",
        "Contributors are paid only when their work is chosen, so the case "
        "belongs to the crowdsourcing economy.",
    ),
    "paid": _m(
        "economy.crowdsourcing.paid",
        "Contributors are paid for their work, so no economy applies.",
    ),
    None: _m(
        "economy.crowdsourcing.missing",
        "Contributor pay is not given, so no economy applies.",
    ),
}
_NONE_ON_FIRST_RUNGS = _m("economy.none.firm", "Rungs 1-3 belong to none of the three economies.")
_NONE_ON_EXCHANGE = _m(
    "economy.none.exchange",
    "Production for sale (rungs 10-11) belongs to none of the three economies.",
)
_NO_ECONOMY_STEP: dict[int, Message] = {
    **{n: _NONE_ON_FIRST_RUNGS for n in (1, 2, 3)},
    **{n: _NONE_ON_EXCHANGE for n in (10, 11)},
}

_COST_LEVEL = {"low": 0, "medium": 1, "high": 2}
_COST_WORD = {level: _m(f"cost.{level}", level) for level in _COST_LEVEL}
_VIABILITY_BY_LEVEL: tuple[Viability, ...] = ("viable", "marginal", "not_yet")
# The value is the same on both halves; what it says is not (model spec section 5): on
# a community rung, whether peer production of the case is viable; on a firm rung,
# whether the same output could be peer-produced.
_VIABILITY_WORDS = {
    view: {verdict: _m(f"viability.{view}.{verdict}", text) for verdict, text in words.items()}
    for view, words in {
        "community": {
            "viable": "peer production is viable",
            "marginal": "peer production is marginal",
            "not_yet": "peer production is not yet viable",
        },
        "firm": {
            "viable": "the same output could be peer-produced",
            "marginal": "the same output could only just be peer-produced",
            "not_yet": "the same output could not yet be peer-produced",
        },
    }.items()
}
_ONE_COST_ONLY = _m(
    "viability.one-cost",
    "Only one of the two costs is given, so viability is not assessed.",
)


def _viability_entry(
    view: str, capital: str | None, coordination: str | None
) -> tuple[str | None, tuple[Message, ...]]:
    if capital is None and coordination is None:
        return None, ()
    if capital is None or coordination is None:
        return None, (_ONE_COST_ONLY,)
    verdict = _VIABILITY_BY_LEVEL[max(_COST_LEVEL[capital], _COST_LEVEL[coordination])]
    return verdict, (
        _m(
            "viability.costs",
            "Capital cost is {capital} and coordination cost is {coordination}, so {verdict}.",
            capital=_COST_WORD[capital],
            coordination=_COST_WORD[coordination],
            verdict=_VIABILITY_WORDS[view][verdict],
        ),
    )


_COST_VALUES: tuple[str | None, ...] = (None, "low", "medium", "high")
_VIABILITY: dict[tuple[object, object, object], tuple[str | None, tuple[Message, ...]]] = {
    (view, capital, coordination): _viability_entry(view, capital, coordination)
    for view in _VIABILITY_WORDS
    for capital in _COST_VALUES
    for coordination in _COST_VALUES
}

# Field names, the condition and the value are identifiers: they stay as they are in
# every language.
_UNASKED_WARNING: dict[tuple[str, object], Message] = {
    (q.field, value): _m(
        "warning.unasked",
        "'{field}' is only asked when {asked_when}, so the answer '{value}' was ignored.",
        field=q.field,
        asked_when=q.required_when,
        value=value,
    )
    for q in QUESTIONS
    for value in q.allowed
}
_GROUP_RUNG_WARNING = _m(
    "warning.rung-8-individuals",
    "Rung 8 is tied to a group of producers, but producers is 'individuals'; the rung stands.",
)
_INDIVIDUAL_RUNG_WARNING = _m(
    "warning.rung-9-group",
    "Rung 9 is tied to individual producers, but producers is 'group'; the rung stands.",
)


def procedure_messages() -> list[Message]:
    """Every text the procedure can say, each template once, in the order of its steps."""
    found: list[Message] = [
        *_DIRECTION_STEP.values(),
        *_ROLE_ACTION.values(),
        _USE_STEP,
        *_MONETIZATION_ACTION.values(),
        _EXCHANGE_STEP,
        *_PRODUCERS_ACTION.values(),
        _step(_ROLE_ACTION["receives"], 1),
        _SHARING_STEP,
        *_COMMONS_STEP.values(),
        *_CROWDSOURCING_STEP.values(),
        _NONE_ON_FIRST_RUNGS,
        _NONE_ON_EXCHANGE,
        _ONE_COST_ONLY,
        *_COST_WORD.values(),
        *(words for view in _VIABILITY_WORDS.values() for words in view.values()),
        _VIABILITY["community", "low", "low"][1][0],
        _UNASKED_WARNING["directed_by", "firm"],
        _GROUP_RUNG_WARNING,
        _INDIVIDUAL_RUNG_WARNING,
    ]
    # A template once, even where it is used with several parameters.
    seen: dict[str, Message] = {}
    for message in found:
        seen.setdefault(message.key, Message(message.key, message.template))
    return list(seen.values())


_IDENTITY = {r.number: (r.key, r.view, r.name) for r in RUNGS}


def _decide(
    direction: str,
    branch_answer: str,
    producers: str | None,
    licence: str | None,
    pay: str | None,
    capital: str | None,
    coordination: str | None,
) -> Classification:
    """Steps 1-5 of the procedure on valid answers (the questions of the branch only).

    ``branch_answer`` is ``participant_role`` on the firm's branch, ``monetization``
    for use value and ``producers`` for exchange value.
    """
    warnings: tuple[Message, ...] = ()
    if direction == "firm":
        number = _FIRM_RUNG[branch_answer]
        steps = _FIRM_STEPS[branch_answer]
    elif branch_answer in _USE_RUNG:
        number = _USE_RUNG[branch_answer]
        steps = _USE_STEPS[branch_answer]
        # producers does not change the rung, but the essay ties 8 to groups, 9 to individuals.
        if number == 8 and producers == "individuals":
            warnings = (_GROUP_RUNG_WARNING,)
        elif number == 9 and producers == "group":
            warnings = (_INDIVIDUAL_RUNG_WARNING,)
    else:
        number = _EXCHANGE_RUNG[branch_answer]
        steps = _EXCHANGE_STEPS[branch_answer]

    economy: str | None = None
    if number == 9:
        economy = "sharing"
        economy_step = _SHARING_STEP
    elif 6 <= number <= 8:
        economy = "commons" if licence == "commons" else None
        economy_step = _COMMONS_STEP[licence]
    elif 4 <= number <= 5:
        economy = "crowdsourcing" if pay in ("unpaid", "paid_if_chosen") else None
        economy_step = _CROWDSOURCING_STEP[pay]
    else:
        economy_step = _NO_ECONOMY_STEP[number]

    key, view, name = _IDENTITY[number]
    verdict, viability_steps = _VIABILITY[view, capital, coordination]
    explanation = (*steps, economy_step, *viability_steps)
    return Classification(
        rung=number,
        key=key,
        view=view,
        name=name,
        economy=economy,
        viability=verdict,
        explanation=tuple(str(step) for step in explanation),
        warnings=tuple(str(warning) for warning in warnings),
        explanation_messages=explanation,
        warning_messages=warnings,
    )


# The procedure has few inputs that matter, each with a handful of values, so every
# outcome is decided once here and ``classify`` validates and looks it up. The
# tables are keyed by the decisive answers only (None when absent); a missing
# required answer simply has no entry.
def _optional(field: str) -> tuple[str | None, ...]:
    return (None, *question(field).allowed)


_PAY = _optional("contributor_pay")
_LICENCE = _optional("output_license")
_COSTS = [(c, d) for c in _optional("capital_cost") for d in _optional("coordination_cost")]

_FIRM_TABLE: dict[tuple[object, ...], Classification] = {
    (role, pay, capital, coordination): _decide(
        "firm", role, None, None, pay, capital, coordination
    )
    for role in _FIRM_RUNG
    for pay in _PAY
    for capital, coordination in _COSTS
}
_USE_TABLE: dict[tuple[object, ...], Classification] = {
    (money, producers, licence, capital, coordination): _decide(
        "peers", money, producers, licence, None, capital, coordination
    )
    for money in _USE_RUNG
    for producers in _EXCHANGE_RUNG
    for licence in _LICENCE
    for capital, coordination in _COSTS
}
_EXCHANGE_TABLE: dict[tuple[object, ...], Classification] = {
    ("exchange", producers, capital, coordination): _decide(
        "peers", producers, producers, None, None, capital, coordination
    )
    for producers in _EXCHANGE_RUNG
    for capital, coordination in _COSTS
}


def classify(answers: Mapping[str, object]) -> Classification:
    """Place a set of answers on the ladder.

    Raises :class:`InvalidAnswers` listing every problem (unknown fields, values
    outside a field's list, missing required answers) when the answers cannot
    be classified. Answers to questions that are not asked on the branch are
    ignored and reported in ``warnings``.
    """
    if type(answers) is not dict and not isinstance(answers, Mapping):
        raise InvalidAnswers([not_an_object(answers)])
    allowed_values = _ALLOWED
    for field, value in answers.items():
        allowed = allowed_values.get(field)
        if allowed is None or not isinstance(value, str) or value not in allowed:
            raise InvalidAnswers(collect_errors(answers))

    get = answers.get
    direction = get("directed_by")
    result: Classification | None = None
    unasked: tuple[str, ...] = ()
    if direction == "firm":
        result = _FIRM_TABLE.get(
            (
                get("participant_role"),
                get("contributor_pay"),
                get("capital_cost"),
                get("coordination_cost"),
            )
        )
        unasked = _UNASKED_ON_FIRM
    elif direction == "peers":
        if get("value") == "use":
            result = _USE_TABLE.get(
                (
                    get("monetization"),
                    get("producers"),
                    get("output_license"),
                    get("capital_cost"),
                    get("coordination_cost"),
                )
            )
            unasked = _UNASKED_ON_USE
        else:
            result = _EXCHANGE_TABLE.get(
                (get("value"), get("producers"), get("capital_cost"), get("coordination_cost"))
            )
            unasked = _UNASKED_ON_EXCHANGE
    if result is None:
        raise InvalidAnswers(collect_errors(answers))

    for field in unasked:
        if field in answers:
            ignored = tuple(_UNASKED_WARNING[f, answers[f]] for f in unasked if f in answers)
            return replace(
                result,
                warnings=(*(str(warning) for warning in ignored), *result.warnings),
                warning_messages=(*ignored, *result.warning_messages),
            )
    return result


def viability(capital_cost: str | None, coordination_cost: str | None) -> Viability | None:
    """Whether peer production is viable at these costs.

    ``"viable"`` when both are low, ``"marginal"`` when the higher is medium,
    ``"not_yet"`` when either is high, ``None`` when either is absent.
    ``ValueError`` for a cost that is not ``low``, ``medium`` or ``high``.
    """
    for name, cost in (("capital_cost", capital_cost), ("coordination_cost", coordination_cost)):
        if cost is not None and cost not in _COST_LEVEL:
            raise ValueError(f"{name} must be low, medium, high or None, not {cost!r}")
    if capital_cost is None or coordination_cost is None:
        return None
    return _VIABILITY_BY_LEVEL[max(_COST_LEVEL[capital_cost], _COST_LEVEL[coordination_cost])]


def asked_questions(partial_answers: object) -> list[Question]:
    """The questions asked given the answers so far, in asking order.

    ``directed_by`` comes first, then the questions of the branch chosen so far,
    then the optional ones. Never raises: anything that is not a mapping counts
    as no answers, and wrong values simply open no branch.
    """
    answers: Mapping[str, object] = {}
    if isinstance(partial_answers, Mapping):
        try:
            answers = {f: partial_answers[f] for f in _FIELDS if f in partial_answers}
        except Exception:  # a hostile mapping: ask from the start
            answers = {}
    return [q for q in QUESTIONS if q.is_asked(answers)]
