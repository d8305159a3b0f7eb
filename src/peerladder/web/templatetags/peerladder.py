"""Template filters the pages share: one name for each economy, wherever it is shown."""

from __future__ import annotations

from django import template

from peerladder.ladder import economy_name as _economy_name

register = template.Library()


@register.filter
def economy_name(key: str | None) -> str:
    """``{{ standing.economy|economy_name }}``: "Commons economy", or "None of the three"."""
    try:
        return _economy_name(key)
    except KeyError:
        return str(key)
