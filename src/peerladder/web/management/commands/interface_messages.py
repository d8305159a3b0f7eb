"""``manage.py interface_messages -l es …``: Django's ``makemessages`` for the
interface's catalogue only (``web/locale``): the strings of the pages (``web/``: the
templates and views) and of the account forms (``accounts/``). The ladder's texts and
the cases' have catalogues of their own (docs/translating.md); ``make messages`` runs
this for every language.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.commands import makemessages

PACKAGE = Path(__file__).resolve().parents[3]
CATALOGUE = PACKAGE / "web" / "locale"
# The parts of the package whose strings are the interface's.
INTERFACE = ("web", "accounts")


class Command(makemessages.Command):
    help = "Extract the interface's strings (web/ and accounts/) into web/locale."

    def handle(self, *args: Any, **options: Any) -> None:
        options["domain"] = "django"
        os.chdir(PACKAGE)  # the walk starts here: every part of the package is relative
        super().handle(*args, **options)

    def find_files(self, root: str) -> list[makemessages.TranslatableFile]:
        found = super().find_files(root)
        kept = []
        for item in found:
            parts = Path(os.path.normpath(item.dirpath)).parts
            if parts and parts[0] in INTERFACE:
                item.locale_dir = str(CATALOGUE)
                kept.append(item)
        return kept
