"""Template filters the pages share: one name for each economy, wherever it is shown."""

from __future__ import annotations

from django import template

from peerladder.lexicon import economy_name_shown

register = template.Library()


@register.filter
def economy_name(key: str | None) -> str:
    """``{{ standing.economy|economy_name }}``: "Commons economy", or "None of the three",
    in the page's language."""
    try:
        return economy_name_shown(key)
    except KeyError:
        return str(key)
