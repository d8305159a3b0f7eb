"""Every text of the ladder, keyed: what a translation catalogue of the ladder holds."""

from __future__ import annotations

from peerladder.ladder.messages import Message
from peerladder.ladder.model import model_messages
from peerladder.ladder.procedure import procedure_messages
from peerladder.ladder.result import FIELD_LABEL, TEXT_FORM
from peerladder.ladder.trajectory import OPEN_PERIOD
from peerladder.ladder.validation import validation_messages

__all__ = ["ladder_messages"]


def ladder_messages() -> list[Message]:
    """The model's texts, then the procedure's, then the words of a result's text form,
    the label of a period still going on, then the refusals of answers and how they
    quote a form's label for a field, each key once (templates with their parameters
    still in braces). Keys are unique: a test holds them so."""
    return [
        *model_messages(),
        *procedure_messages(),
        *TEXT_FORM.values(),
        OPEN_PERIOD,
        *validation_messages(),
        FIELD_LABEL,
    ]
