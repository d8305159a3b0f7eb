"""A small Spanish catalogue written for the tests, so that translation is tested without
filling the shared catalogues (their translators own them).

``write_catalogue`` writes a GNU ``.mo`` file (the format ``msgfmt`` produces), the way
Django reads it: contexts as ``context\\x04msgid``, plurals as ``msgid\\x00plural``.
"""

from __future__ import annotations

import struct
from array import array
from pathlib import Path

_HEADER = (
    "Content-Type: text/plain; charset=UTF-8\n"
    "Language: es\n"
    "Plural-Forms: nplurals=2; plural=(n != 1);\n"
)

# (context or None, English) -> Spanish. Our own wording, for the tests only.
SPANISH: dict[tuple[str | None, str], str] = {
    ("rung.5.name", "Co-creation"): "Cocreación",
    ("rung.6.name", "Peer production of use value, not monetised"): (
        "Producción entre pares de valor de uso, sin monetizar"
    ),
    (
        "procedure.direction.firm",
        "The firm decides what is made, so the case is on the firm's half of the ladder "
        "(rungs 1-5).",
    ): "La empresa decide qué se hace: el caso está en la mitad de la empresa (peldaños 1-5).",
    (
        "procedure.role.designs",
        "Participants take part in designing the product itself",
    ): "Los participantes intervienen en el diseño del propio producto",
    (
        "procedure.step.rung",
        "{action}: rung {number}, {name}.",
    ): "{action}: peldaño {number}, {name}.",
    ("question.directed_by.prompt", "Who decides what gets made?"): "¿Quién decide qué se hace?",
    ("question.directed_by.firm.label", "The firm"): "La empresa",
    ("economy.commons.name", "Commons economy"): "Economía del procomún",
    (
        "baseline.6.quote",
        "There are many non-monetary exchanges thriving on the Internet (model six).",
    ): "En Internet prosperan muchos intercambios no monetarios (modelo seis).",
    (
        "baseline.translation-label",
        "Translation (the essay's words are in English)",
    ): "Traducción (las palabras del ensayo están en inglés)",
    ("result.text.economy", "economy"): "economía",
    ("result.text.why", "why"): "por qué",
    (None, "Where are we now: the state of the field in {year}"): (
        "Dónde estamos: el estado del campo en {year}"
    ),
    (None, "Viability: capital cost against coordination cost"): (
        "Viabilidad: coste de capital frente a coste de coordinación"
    ),
    (None, "Capital cost"): "Coste de capital",
    (None, "Viability"): "Viabilidad",
}


def write_catalogue(
    directory: Path,
    entries: dict[tuple[str | None, str], str] = SPANISH,
    plurals: dict[tuple[str, str], tuple[str, str]] | None = None,
) -> Path:
    """Write ``directory/es/LC_MESSAGES/django.mo`` holding ``entries`` (and ``plurals``:
    (singular, plural) to their two translated forms); return ``directory``."""
    messages = {"": _HEADER}
    for (context, english), spanish in entries.items():
        messages[english if context is None else f"{context}\x04{english}"] = spanish
    for (singular, plural), forms in (plurals or {}).items():
        messages[f"{singular}\x00{plural}"] = "\x00".join(forms)
    keys = sorted(messages)
    ids = strs = b""
    offsets = []
    for key in keys:
        encoded_key, encoded_value = key.encode(), messages[key].encode()
        offsets.append((len(ids), len(encoded_key), len(strs), len(encoded_value)))
        ids += encoded_key + b"\0"
        strs += encoded_value + b"\0"
    key_start = 7 * 4 + 16 * len(keys)
    value_start = key_start + len(ids)
    key_offsets: list[int] = []
    value_offsets: list[int] = []
    for key_offset, key_length, value_offset, value_length in offsets:
        key_offsets += [key_length, key_offset + key_start]
        value_offsets += [value_length, value_offset + value_start]
    header = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), 7 * 4, 7 * 4 + len(keys) * 8, 0, 0)
    target = directory / "es" / "LC_MESSAGES"
    target.mkdir(parents=True, exist_ok=True)
    (target / "django.mo").write_bytes(
        header
        + array("i", key_offsets).tobytes()
        + array("i", value_offsets).tobytes()
        + ids
        + strs
    )
    return directory
