"""The ladder of participation as data: rungs, economies, questions and the 2007 baseline.

This module is the one source of truth that the API, the web pages, the CLI and
the documentation read. The wording of every definition is our own; the rung
numbers 1-11, the keys and the answer values are public identifiers and never
change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Literal, TypeAlias

from peerladder.ladder.messages import Lookup, Message, english, is_english
from peerladder.ladder.questions import QUESTIONS, Choice, Question, question

__all__ = [
    "BASELINE_2007",
    "ECONOMIES",
    "ESSAY_AUTHOR",
    "ESSAY_CITATION",
    "ESSAY_DATE",
    "ESSAY_TITLE",
    "ESSAY_URL",
    "ESSAY_VENUE",
    "NO_ECONOMY_MESSAGE",
    "QUESTIONS",
    "RUNGS",
    "VIABILITY_VALUES",
    "VIEWS",
    "VIEW_NAMES",
    "Baseline",
    "Choice",
    "Economy",
    "Question",
    "Rung",
    "UnknownRung",
    "Viability",
    "View",
    "economy",
    "model_as_dict",
    "model_messages",
    "question",
    "rung",
]

View: TypeAlias = Literal["firm", "community"]
Viability: TypeAlias = Literal["viable", "marginal", "not_yet"]


@dataclass(frozen=True, slots=True)
class Rung:
    """One of the eleven rungs; ``number`` (1-11) is the stable public identifier."""

    number: int
    key: str
    view: View
    name: str
    definition: str
    examples: tuple[str, ...]

    @property
    def name_message(self) -> Message:
        return Message(f"rung.{self.number}.name", self.name)

    def messages(self) -> dict[str, Message]:
        """Every text of the rung by its part: name, definition, examples."""
        return {
            "name": self.name_message,
            "definition": Message(f"rung.{self.number}.definition", self.definition),
            **{
                f"example.{i}": Message(f"rung.{self.number}.example.{i}", example)
                for i, example in enumerate(self.examples, 1)
            },
        }

    def translated(self, lookup: Lookup) -> Rung:
        """A copy of the rung with its texts in the language of ``lookup`` (for a shell
        to show; its keys and numbers are the same)."""
        text = self.messages()
        return replace(
            self,
            name=text["name"].render(lookup),
            definition=text["definition"].render(lookup),
            examples=tuple(
                text[f"example.{i}"].render(lookup) for i in range(1, len(self.examples) + 1)
            ),
        )

    def as_dict(self, lookup: Lookup = english) -> dict[str, object]:
        """The rung as JSON; its texts through ``lookup`` (English by default)."""
        text = self.messages()
        return {
            "number": self.number,
            "key": self.key,
            "view": self.view,
            "name": text["name"].render(lookup),
            "definition": text["definition"].render(lookup),
            "examples": [
                text[f"example.{i}"].render(lookup) for i in range(1, len(self.examples) + 1)
            ],
        }


@dataclass(frozen=True, slots=True)
class Economy:
    """One of the three economies that peer dynamics have produced."""

    key: str
    name: str
    definition: str
    typical_rungs: tuple[int, ...]
    example: str
    # When a case on one of the typical rungs belongs to this economy: a typical rung
    # alone does not make a case part of it (the procedure's step 4).
    condition: str = ""

    @property
    def name_message(self) -> Message:
        return Message(f"economy.{self.key}.name", self.name)

    def messages(self) -> dict[str, Message]:
        """Every text of the economy by its part."""
        return {
            "name": self.name_message,
            "definition": Message(f"economy.{self.key}.definition", self.definition),
            "example": Message(f"economy.{self.key}.example", self.example),
            "condition": Message(f"economy.{self.key}.condition", self.condition),
        }

    def translated(self, lookup: Lookup) -> Economy:
        """A copy of the economy with its texts in the language of ``lookup``."""
        text = self.messages()
        return replace(
            self,
            name=text["name"].render(lookup),
            definition=text["definition"].render(lookup),
            example=text["example"].render(lookup),
            condition=text["condition"].render(lookup),
        )

    def as_dict(self, lookup: Lookup = english) -> dict[str, object]:
        """The economy as JSON; its texts through ``lookup`` (English by default)."""
        text = self.messages()
        return {
            "key": self.key,
            "name": text["name"].render(lookup),
            "definition": text["definition"].render(lookup),
            "typical_rungs": list(self.typical_rungs),
            "example": text["example"].render(lookup),
            "condition": text["condition"].render(lookup),
        }


# The essay the model comes from; every page that shows its 2007 assessment credits it.
ESSAY_AUTHOR = "Michel Bauwens"
ESSAY_TITLE = "Ladder of Participation: Business Models for Peer Production"
ESSAY_VENUE = "Open Source Business Resource"
ESSAY_DATE = "January 2008"
ESSAY_URL = "https://timreview.ca/article/113"
ESSAY_CITATION = f"{ESSAY_AUTHOR}, \u201c{ESSAY_TITLE}\u201d, {ESSAY_VENUE}, {ESSAY_DATE}"


@dataclass(frozen=True, slots=True)
class Baseline:
    """How developed a rung was in the essay's 2007 assessment ("where are we now").

    ``label`` says it in our words; ``quote`` is the essay's own statement, word for
    word (fragments joined by " … "), to be shown quoted and attributed.
    """

    rung: int
    status: str
    label: str
    quote: str
    # The quote in the reader's language, shown beside it as a translation; empty in
    # English (see :meth:`translated`).
    translation: str = ""

    def messages(self) -> dict[str, Message]:
        """The label, and the quote as a text to translate: the quote itself is always
        shown in the essay's English, its translation beside it."""
        return {
            "label": Message(f"baseline.{self.rung}.label", self.label),
            "quote": Message(f"baseline.{self.rung}.quote", self.quote),
        }

    def translated(self, lookup: Lookup) -> Baseline:
        """A copy with the label in the language of ``lookup`` and, in another language
        than English, the quote's ``translation`` (the quote itself stays the essay's)."""
        if is_english(lookup):
            return self
        text = self.messages()
        return replace(
            self, label=text["label"].render(lookup), translation=self._translation(lookup)
        )

    def _translation(self, lookup: Lookup) -> str:
        """The quote in the language of ``lookup``; empty while it is not translated (the
        English itself is no translation to show beside it)."""
        found = self.messages()["quote"].render(lookup)
        return "" if found == self.quote else found

    def as_dict(self, lookup: Lookup = english) -> dict[str, object]:
        """The baseline as JSON. In another language than English, ``quote`` stays the
        essay's words and ``quote_translation`` gives them in that language (absent
        while the quote is not translated into it)."""
        text = self.messages()
        found: dict[str, object] = {
            "rung": self.rung,
            "status": self.status,
            "label": text["label"].render(lookup),
            "quote": self.quote,
            "source": ESSAY_CITATION,
        }
        translation = "" if is_english(lookup) else self._translation(lookup)
        if translation:
            found["quote_translation"] = translation
        return found


RUNGS: tuple[Rung, ...] = (
    Rung(
        1,
        "passive-consumption",
        "firm",
        "Passive consumption",
        "People take what the firm offers as it comes. There is no exchange with the "
        "firm and no real choice.",
        (),
    ),
    Rung(
        2,
        "self-service",
        "firm",
        "Self service",
        "People pick for themselves among the products or services the firm lays out. "
        "The choice is theirs, the range is the firm's.",
        (),
    ),
    Rung(
        3,
        "diy",
        "firm",
        "Do it yourself",
        "People take over a step of the firm's value chain, such as carrying the goods "
        "home or putting them together.",
        ("IKEA",),
    ),
    Rung(
        4,
        "co-design",
        "firm",
        "Co-design",
        "People tailor the product to their own needs, picking among options that the "
        "firm has defined in advance.",
        ("Dell (build to order)",),
    ),
    Rung(
        5,
        "co-creation",
        "firm",
        "Co-creation",
        "People help shape the product or service itself, not only its options. Open "
        "source that a firm starts and steers sits here.",
        ("Procter & Gamble Connect + Develop",),
    ),
    Rung(
        6,
        "use-value-unmonetized",
        "community",
        "Peer production of use value, not monetised",
        "Peers make something for people to use directly and deliberately keep it out "
        "of the money economy.",
        ("Couchsurfing (as a non-profit)", "Wikipedia", "Craigslist"),
    ),
    Rung(
        7,
        "use-value-equitable",
        "community",
        "Peer production of use value, equitably monetised",
        "Peers build a commons and decide themselves how it earns money, through "
        "forms that share ownership fairly, such as cooperatives.",
        (),
    ),
    Rung(
        8,
        "commons-business-ecology",
        "community",
        "Commons with a business ecology",
        "A group of peers, often with a non-profit foundation running the shared "
        "infrastructure, builds a commons; companies around it sell scarce things "
        "built on top of it.",
        ("Linux",),
    ),
    Rung(
        9,
        "attention-platform",
        "community",
        "Individual sharing on attention platforms",
        "Individuals share their own creative work on a company-owned platform, which "
        "earns money by selling the attention that the work draws.",
        ("YouTube",),
    ),
    Rung(
        10,
        "cooperative-production",
        "community",
        "Cooperative production of exchange value",
        "A group makes goods or services for sale and owns the production itself, as "
        "a cooperative.",
        ("Mondragon",),
    ),
    Rung(
        11,
        "individual-exchange",
        "community",
        "Individual production of exchange value",
        "Independent makers design and sell their own products, reaching buyers "
        "through a platform.",
        ("eBay", "iStockphoto"),
    ),
)

ECONOMIES: tuple[Economy, ...] = (
    Economy(
        "sharing",
        "Sharing economy",
        "Individuals share their creative work on participatory platforms. The sharing "
        "is mostly unpaid, but a company owns the platform and sells the combined "
        "attention of its users.",
        (9,),
        "YouTube",
        "Every case on rung 9.",
    ),
    Economy(
        "commons",
        "Commons economy",
        "Communities set out to make shared works under licences that keep them open "
        "to everyone, and businesses earn by adding value around those works.",
        (6, 7, 8),
        "Linux",
        "A case on rungs 6 to 8 whose output is under a commons licence; without one, "
        "the case belongs to none of the three.",
    ),
    Economy(
        "crowdsourcing",
        "Crowdsourcing economy",
        "A business draws people's contributions into its own value chain as unwaged, "
        "scattered work that it keeps control of; contributors are paid, if at all, "
        "only once their work is picked or bought.",
        (4, 5),
        "Lego Factory",
        "A case on rungs 4 or 5 whose contributors are unpaid or paid only when their "
        "work is chosen; when they are paid, the case belongs to none of the three.",
    ),
)

# What a case that belongs to none of the three economies (economy null) is called,
# wherever an economy is named: pages, filters, charts and reports.
NO_ECONOMY_NAME = "None of the three"
NO_ECONOMY_MESSAGE = Message("economy.none.name", NO_ECONOMY_NAME)

VIEW_NAMES: Mapping[str, Message] = MappingProxyType(
    {
        "firm": Message("view.firm.name", "Firm view"),
        "community": Message("view.community.name", "Community view"),
    }
)

_ESTABLISHED = "the first three models have been well established for several decennia"
_DOMINANT = (
    "The Linux and Web 2.0 economies attest to the vibrancy of models eight and nine; "
    "these are presently the dominant business models which include the OSS industry."
)

# Both halves of the essay's assessment, rung by rung (model spec section 2).
BASELINE_2007: Mapping[int, Baseline] = MappingProxyType(
    {
        1: Baseline(1, "established", "in place for decades", _ESTABLISHED),
        2: Baseline(2, "established", "in place for decades", _ESTABLISHED),
        3: Baseline(3, "established", "in place for decades", _ESTABLISHED),
        4: Baseline(
            4,
            "common",
            "a regular part of corporate strategy",
            "The fourth model is already used in many corporate strategies.",
        ),
        5: Baseline(
            5,
            "cutting-edge",
            "the frontier, taken up by the most advanced firms",
            "The fifth model would seem the current cutting edge which is being embraced "
            "by many of the more advanced players of the marketplace.",
        ),
        6: Baseline(
            6,
            "thriving",
            "many non-monetary exchanges flourishing",
            "There are many non-monetary exchanges thriving on the Internet (model six).",
        ),
        7: Baseline(
            7,
            "seed",
            "only just starting",
            "Equitable monetization of peer production is only in a seed phase \u2026 "
            "we believe it will develop in the immaterial economy as well.",
        ),
        8: Baseline(8, "vibrant", "lively and dominant, the open-source model", _DOMINANT),
        9: Baseline(9, "vibrant", "lively and dominant, the Web 2.0 model", _DOMINANT),
        10: Baseline(
            10,
            "foothold",
            "hardly present beyond material goods",
            "While there is a thriving world of cooperatives in the material economy (with "
            "more employees than multinationals!), it has barely gotten a foothold in the "
            "immaterial economy so far.",
        ),
        11: Baseline(
            11,
            "one-big-success",
            "one large success, platforms multiplying",
            "Apart from the success of eBay, there are a number of other platforms doing "
            "well, such as iStockphoto. The number of platforms for minipreneurial "
            "communities is growing rapidly.",
        ),
    }
)

VIEWS: tuple[View, ...] = ("firm", "community")
VIABILITY_VALUES: tuple[Viability, ...] = ("viable", "marginal", "not_yet")

_RUNG_BY_NUMBER: dict[int, Rung] = {r.number: r for r in RUNGS}
_RUNG_BY_KEY: dict[str, Rung] = {r.key: r for r in RUNGS}
_ECONOMY_BY_KEY: dict[str, Economy] = {e.key: e for e in ECONOMIES}


class UnknownRung(KeyError, ValueError):
    """Raised by :func:`rung` for anything that is not a rung.

    It is both a ``KeyError`` and a ``ValueError``, so either can be caught.
    """

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown rung"


def rung(n: int | str) -> Rung:
    """The rung with number ``n`` (1-11), or with key ``n`` (such as ``"co-design"``)."""
    if isinstance(n, bool):
        raise UnknownRung(f"not a rung: {n!r}; rungs are numbered 1 to 11")
    if isinstance(n, int):
        found = _RUNG_BY_NUMBER.get(n)
    elif isinstance(n, str):
        found = _RUNG_BY_KEY.get(n)
    else:
        found = None
    if found is None:
        raise UnknownRung(f"not a rung: {n!r}; rungs are numbered 1 to 11")
    return found


def economy(key: str) -> Economy:
    """The economy with this key; ``KeyError`` if there is none."""
    return _ECONOMY_BY_KEY[key]


def economy_name(key: str | None, lookup: Lookup = english) -> str:
    """The one name of an economy everywhere: the model's name for a key, and
    :data:`NO_ECONOMY_NAME` for null (and for ``"none"``, the filters' word for it)."""
    if key is None or key == "none":
        return NO_ECONOMY_MESSAGE.render(lookup)
    return _ECONOMY_BY_KEY[key].name_message.render(lookup)


def model_as_dict(lookup: Lookup = english) -> dict[str, object]:
    """The whole model as a JSON-ready dict (what ``GET /api/ladder`` returns), its
    texts through ``lookup``; keys, numbers and answer values never change."""
    return {
        "rungs": [r.as_dict(lookup) for r in RUNGS],
        "economies": [e.as_dict(lookup) for e in ECONOMIES],
        "questions": [q.as_dict(lookup) for q in QUESTIONS],
        "baseline_2007": {str(n): b.as_dict(lookup) for n, b in BASELINE_2007.items()},
        "views": [
            {"key": "firm", "name": VIEW_NAMES["firm"].render(lookup), "rungs": [1, 2, 3, 4, 5]},
            {
                "key": "community",
                "name": VIEW_NAMES["community"].render(lookup),
                "rungs": [6, 7, 8, 9, 10, 11],
            },
        ],
        "viability": list(VIABILITY_VALUES),
    }


def model_messages() -> list[Message]:
    """Every text of the model as a message, in the order a reader meets them."""
    found: list[Message] = []
    for r in RUNGS:
        found.extend(r.messages().values())
    found.append(VIEW_NAMES["firm"])
    found.append(VIEW_NAMES["community"])
    for e in ECONOMIES:
        found.extend(e.messages().values())
    found.append(NO_ECONOMY_MESSAGE)
    for q in QUESTIONS:
        found.extend(q.messages().values())
    for b in BASELINE_2007.values():
        found.extend(b.messages().values())
    return found
