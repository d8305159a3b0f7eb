"""The questions of the answer schema, as data.

Field names and values are public identifiers: the CLI, the API, imports and
exports all use them exactly. The prompts and help texts are our own wording.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from peerladder.ladder.messages import Lookup, Message, english

__all__ = ["QUESTIONS", "Choice", "Question", "question"]


@dataclass(frozen=True, slots=True)
class Choice:
    """One allowed answer to a question."""

    value: str
    label: str
    help: str
    examples: tuple[str, ...] = ()

    def messages(self, field: str) -> dict[str, Message]:
        """Every text of the choice by its part; ``field`` is its question's field."""
        prefix = f"question.{field}.{self.value}"
        return {
            "label": Message(f"{prefix}.label", self.label),
            "help": Message(f"{prefix}.help", self.help),
            **{
                f"example.{i}": Message(f"{prefix}.example.{i}", example)
                for i, example in enumerate(self.examples, 1)
            },
        }

    def translated(self, lookup: Lookup, field: str) -> Choice:
        """A copy with its texts in the language of ``lookup``; ``field`` is its question's."""
        text = self.messages(field)
        return replace(
            self,
            label=text["label"].render(lookup),
            help=text["help"].render(lookup),
            examples=tuple(
                text[f"example.{i}"].render(lookup) for i in range(1, len(self.examples) + 1)
            ),
        )

    def as_dict(self, lookup: Lookup = english, *, field: str = "") -> dict[str, object]:
        """The choice as JSON; its texts through ``lookup`` when ``field`` names its
        question (English by default)."""
        if not field:
            return {
                "value": self.value,
                "label": self.label,
                "help": self.help,
                "examples": list(self.examples),
            }
        text = self.messages(field)
        return {
            "value": self.value,
            "label": text["label"].render(lookup),
            "help": text["help"].render(lookup),
            "examples": [
                text[f"example.{i}"].render(lookup) for i in range(1, len(self.examples) + 1)
            ],
        }


@dataclass(frozen=True, slots=True)
class Question:
    """A question of the answer schema.

    ``asked_if`` lists the (field, value) pairs that must all hold for the
    question to be asked; a question that is asked is required unless it is
    ``optional``. Optional questions are always asked and never required.
    """

    field: str
    prompt: str
    help: str
    values: tuple[Choice, ...]
    required_when: str
    asked_if: tuple[tuple[str, str], ...] = ()
    optional: bool = False

    @property
    def definition(self) -> str:
        """What the question is about (the same text as ``help``)."""
        return self.help

    @property
    def required(self) -> bool:
        """Whether an answer is required whenever the question is asked."""
        return not self.optional

    @property
    def allowed(self) -> tuple[str, ...]:
        """The allowed answer values, in display order."""
        return tuple(choice.value for choice in self.values)

    def is_asked(self, answers: Mapping[str, object]) -> bool:
        """Whether this question is asked given ``answers`` (possibly partial)."""
        if self.optional:
            return True
        for field, value in self.asked_if:
            given = answers.get(field)
            if not isinstance(given, str) or given != value:
                return False
        return True

    def choice(self, value: str) -> Choice:
        """The choice with this value; ``KeyError`` if the value is not allowed."""
        for choice in self.values:
            if choice.value == value:
                return choice
        raise KeyError(value)

    def messages(self) -> dict[str, Message]:
        """Every text of the question and of its choices, by part (``prompt``,
        ``help``, ``<value>.label``, ``<value>.help``, ``<value>.example.<n>``)."""
        found = {
            "prompt": Message(f"question.{self.field}.prompt", self.prompt),
            "help": Message(f"question.{self.field}.help", self.help),
        }
        for choice in self.values:
            for part, message in choice.messages(self.field).items():
                found[f"{choice.value}.{part}"] = message
        return found

    def translated(self, lookup: Lookup) -> Question:
        """A copy with its prompt, help and choices in the language of ``lookup``; its
        field, values and conditions are the same."""
        text = self.messages()
        return replace(
            self,
            prompt=text["prompt"].render(lookup),
            help=text["help"].render(lookup),
            values=tuple(choice.translated(lookup, self.field) for choice in self.values),
        )

    def as_dict(self, lookup: Lookup = english) -> dict[str, object]:
        """The question as JSON; its texts through ``lookup`` (English by default).
        ``asked_when`` is a condition over field names and values, so it stays as it is."""
        text = self.messages()
        return {
            "field": self.field,
            "prompt": text["prompt"].render(lookup),
            "help": text["help"].render(lookup),
            "values": [choice.as_dict(lookup, field=self.field) for choice in self.values],
            "asked_when": self.required_when,
            "asked_if": dict(self.asked_if),
            "required": self.required,
        }


QUESTIONS: tuple[Question, ...] = (
    Question(
        field="directed_by",
        prompt="Who decides what gets made?",
        help="The firm, when it designs the offer and brings people into its own value "
        "chain; the peers, when they decide for themselves what to make, even if a "
        "company's platform hosts them.",
        values=(
            Choice(
                "firm",
                "The firm",
                "The firm sets the frame and decides how far people may take part.",
                ("IKEA", "Dell", "Lego Factory"),
            ),
            Choice(
                "peers",
                "The peers",
                "The producers set the frame and decide how far firms may take part.",
                ("Wikipedia", "Linux", "eBay"),
            ),
        ),
        required_when="always",
    ),
    Question(
        field="participant_role",
        prompt="What is the most that participants do?",
        help="Take the furthest step that participants regularly take in the firm's offer.",
        values=(
            Choice(
                "receives",
                "Receive what is offered",
                "They take the product or service as it is, with no real choice.",
            ),
            Choice(
                "chooses",
                "Choose among offers",
                "They pick among the products or services on offer.",
            ),
            Choice(
                "performs_step",
                "Carry out a step of the value chain",
                "They deliver, assemble or otherwise do part of the firm's work.",
                ("IKEA",),
            ),
            Choice(
                "customizes",
                "Customise within set options",
                "They configure the product from options the firm defines.",
                ("Dell",),
            ),
            Choice(
                "designs",
                "Help design the product itself",
                "They take part in designing what the firm offers.",
                ("Procter & Gamble Connect + Develop", "Lego Factory"),
            ),
        ),
        required_when="directed_by = firm",
        asked_if=(("directed_by", "firm"),),
    ),
    Question(
        field="value",
        prompt="Is it made for direct use or for sale?",
        help="Use value is made to be used and is made available to others; exchange "
        "value is made to be sold.",
        values=(
            Choice(
                "use",
                "For direct use",
                "Made to be used and made available, not sold.",
                ("Wikipedia", "Linux", "YouTube"),
            ),
            Choice(
                "exchange",
                "For sale",
                "Made to be sold by those who make it.",
                ("Mondragon", "eBay"),
            ),
        ),
        required_when="directed_by = peers",
        asked_if=(("directed_by", "peers"),),
    ),
    Question(
        field="producers",
        prompt="Who does the producing?",
        help="A group working together on one shared output, or individuals each "
        "working on their own.",
        values=(
            Choice(
                "group",
                "A group on one shared output",
                "Many people contribute to the same work.",
                ("Linux", "Mondragon"),
            ),
            Choice(
                "individuals",
                "Individuals, each on their own",
                "Each person makes and owns their own piece.",
                ("YouTube", "eBay"),
            ),
        ),
        required_when="directed_by = peers",
        asked_if=(("directed_by", "peers"),),
    ),
    Question(
        field="monetization",
        prompt="Who, if anyone, turns the output into money?",
        help="Whether the output earns money, and if so, who collects it.",
        values=(
            Choice(
                "none",
                "No one, by choice",
                "The output stays outside the money economy on purpose.",
                ("Wikipedia", "Couchsurfing (as a non-profit)"),
            ),
            Choice(
                "equitable",
                "The peers, in equity-based forms",
                "The producers control the earning themselves, for example as a cooperative.",
            ),
            Choice(
                "commons_ecology",
                "Businesses around the commons",
                "Companies sell services and products built on the shared work.",
                ("Linux",),
            ),
            Choice(
                "attention",
                "A platform selling attention",
                "A company-owned platform sells the attention the work draws.",
                ("YouTube",),
            ),
        ),
        required_when="directed_by = peers and value = use",
        asked_if=(("directed_by", "peers"), ("value", "use")),
    ),
    Question(
        field="output_license",
        prompt="Is the output open to everyone under a commons licence?",
        help="A commons-oriented licence (free software, Creative Commons and the like) "
        "makes the output available to all.",
        values=(
            Choice(
                "commons",
                "Yes, a commons licence",
                "Anyone may use, share and build on it.",
                ("Wikipedia", "Linux"),
            ),
            Choice(
                "proprietary",
                "No, it is proprietary",
                "Someone keeps exclusive rights over it.",
                ("YouTube",),
            ),
            Choice(
                "none",
                "No licence applies",
                "The output is not something that is licensed, such as a stay with a host.",
                ("Couchsurfing (as a non-profit)",),
            ),
        ),
        required_when="optional",
        optional=True,
    ),
    Question(
        field="contributor_pay",
        prompt="How are contributors paid?",
        help="How the people who contribute are paid for what they contribute.",
        values=(
            Choice("unpaid", "Not at all", "Contributions are not paid."),
            Choice(
                "paid_if_chosen",
                "Only if their work is chosen or bought",
                "Pay depends on the work being picked or sold.",
                ("Lego Factory",),
            ),
            Choice("paid", "Paid for their work", "Contributors are paid in the usual way."),
        ),
        required_when="optional",
        optional=True,
    ),
    Question(
        field="capital_cost",
        prompt="How much capital does it take to join in producing?",
        help="The money and equipment a person needs before they can contribute.",
        values=(
            Choice("low", "Low", "A computer and a connection are enough."),
            Choice("medium", "Medium", "Some tools or premises are needed."),
            Choice("high", "High", "Factories, fleets or other large investments are needed."),
        ),
        required_when="optional",
        optional=True,
    ),
    Question(
        field="coordination_cost",
        prompt="How costly is it to coordinate the producers?",
        help="The effort of bringing the producers' work together into a result.",
        values=(
            Choice("low", "Low", "Shared tools and simple rules are enough."),
            Choice("medium", "Medium", "Some dedicated organisation is needed."),
            Choice("high", "High", "Close management of the producers is needed."),
        ),
        required_when="optional",
        optional=True,
    ),
)

_QUESTION_BY_FIELD: dict[str, Question] = {q.field: q for q in QUESTIONS}


def question(field: str) -> Question:
    """The question for this answer field; ``KeyError`` if there is none."""
    return _QUESTION_BY_FIELD[field]
