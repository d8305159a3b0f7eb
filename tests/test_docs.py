"""Documentation keeps up with the code: every command, setting and endpoint is described."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from peerladder.cli import main

DOCS = Path(__file__).resolve().parent.parent / "docs"


def all_commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in sorted(group.commands.items()):
        full = f"{prefix}{name}"
        found.append((full, command))
        if isinstance(command, click.Group):
            found.extend(all_commands(command, prefix=full + " "))
    return found


COMMANDS = all_commands(main)


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[name for name, _ in COMMANDS])
def test_every_command_has_help_text(name: str, command: click.Command):
    assert command.help and len(command.help.strip()) > 20, f"peerladder {name} has no help"
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden and param.name != "help":
            assert param.help or param.show_default, (
                f"peerladder {name} {param.opts[0]} has no help"
            )


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[name for name, _ in COMMANDS])
def test_every_command_is_documented(name: str, command: click.Command):
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert f"peerladder {name}" in text, f"docs/cli.md does not describe peerladder {name}"


def test_every_setting_is_documented():
    settings_source = (
        Path(__file__).resolve().parent.parent / "src/peerladder/config/environment.py"
    ).read_text(encoding="utf-8")
    names = set(re.findall(r"PEERLADDER_[A-Z_]+", settings_source))
    documented = (DOCS / "configuration.md").read_text(encoding="utf-8")
    missing = sorted(name for name in names if name not in documented)
    assert not missing, f"docs/configuration.md misses {missing}"


def test_docs_index_links_every_page():
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    pages = sorted(p.name for p in DOCS.glob("*.md") if p.name != "index.md")
    missing = [page for page in pages if f"({page})" not in index]
    assert not missing, f"docs/index.md does not link {missing}"
