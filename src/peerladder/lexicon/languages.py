"""The languages peerladder speaks, and reading a language from a parameter or a header.

Free of Django, so that the command line can check ``--lang`` before setting Django
up. ``config.settings.LANGUAGES`` lists the same codes (a test holds them equal).
"""

from __future__ import annotations

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGE_CODES",
    "UnknownLanguage",
    "language_from_header",
    "normalized_language",
]

DEFAULT_LANGUAGE = "en"
# Django's spelling: lower case, a hyphen before the region.
LANGUAGE_CODES: tuple[str, ...] = ("en", "es", "fr", "pt-br", "de", "it")


class UnknownLanguage(ValueError):
    """A language code that is not one of :data:`LANGUAGE_CODES`."""

    def __init__(self, received: str) -> None:
        self.received = received
        super().__init__(
            f"{received!r} is not a language of peerladder; allowed: {', '.join(LANGUAGE_CODES)}"
        )


def normalized_language(code: str) -> str | None:
    """Our code for ``code`` (``pt_BR``, ``PT-br`` and ``pt-BR`` are ``pt-br``), or None.
    A bare ``pt`` is Brazilian Portuguese, the only Portuguese we have."""
    spelled = code.strip().lower().replace("_", "-")
    if spelled in LANGUAGE_CODES:
        return spelled
    if spelled == "pt":
        return "pt-br"
    return None


def language_from_header(header: str) -> str | None:
    """The language of ours that an ``Accept-Language`` header prefers most, or None.

    Ranges are taken by their quality (``q``, 1 when absent; 0 refuses); a range with a
    region falls back to its base language (``es-MX`` gives ``es``, ``de-AT`` ``de``).
    """
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")[:30]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                quality = float(params[2:])
            except ValueError:
                continue
        if not tag or quality <= 0:
            continue
        ranked.append((-quality, position, tag))
    for _, _, tag in sorted(ranked):
        found = normalized_language(tag) or normalized_language(tag.split("-")[0])
        if found:
            return found
    return None
