"""What a viability value means, in words, on each half of the ladder.

The value (``viable``, ``marginal``, ``not_yet``) is the same on every rung
(model spec section 5): Jed Harris's conditions, quoted at the head of the
essay, that capital costs and coordination costs fall far enough. What it says
differs: on the community rungs (6-11) whether peer production of the case is
viable; on the firm rungs (1-5) whether the same output *could* be
peer-produced, which is pressure on the firm's model, not a verdict on it.
"""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from peerladder.ladder import rung

HARRIS = "Jed Harris"
HARRIS_CREDIT = f"{HARRIS}'s conditions: capital costs and coordination costs both low"
_HARRIS_CREDIT = _("{harris}'s conditions: capital costs and coordination costs both low")

_SHORT = {
    "community": {
        "viable": _("peer production viable"),
        "marginal": _("peer production marginal"),
        "not_yet": _("peer production not yet viable"),
    },
    "firm": {
        "viable": _("could be peer-produced"),
        "marginal": _("could only just be peer-produced"),
        "not_yet": _("could not yet be peer-produced"),
    },
}
_REASON = {
    "viable": _("capital and coordination costs are both low"),
    "marginal": _("the higher of its capital and coordination costs is medium"),
    "not_yet": _("its capital or coordination cost is high"),
}
_LONG = {
    "community": {
        "viable": _("Peer production of this case is viable"),
        "marginal": _("Peer production of this case is marginal"),
        "not_yet": _("Peer production of this case is not yet viable"),
    },
    "firm": {
        "viable": _(
            "The same output could be peer-produced, which puts pressure on the firm's model"
        ),
        "marginal": _("The same output could only just be peer-produced"),
        "not_yet": _("The same output could not yet be peer-produced"),
    },
}


def viability_label(number: int, value: str | None) -> str | None:
    """A few words for a badge: what the viability says on this rung's half."""
    if value is None:
        return None
    found = _SHORT[rung(number).view].get(value)
    return None if found is None else str(found)


def viability_sentence(number: int, value: str | None) -> str:
    """What the viability of a case on rung ``number`` means, in a sentence crediting
    Jed Harris."""
    if value is None or value not in _REASON:
        return gettext(
            "Viability not assessed: the capital cost or the coordination cost was not given."
        )
    view = rung(number).view
    return gettext("{verdict}: {reason} (after {harris}).").format(
        verdict=_LONG[view][value], reason=_REASON[value], harris=HARRIS
    )


def harris_credit() -> str:
    """Jed Harris's conditions in a line, in the active language."""
    return str(_HARRIS_CREDIT).format(harris=HARRIS)
