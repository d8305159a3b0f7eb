"""Arrows point one way: every import follows the layer table, and no modules import
each other in a circle.

The sources are parsed, not imported, so the test needs neither Django nor a
database, and it sees imports inside functions as well as at the top of a module.
(tests/ladder/test_purity.py checks, by importing it, that the ladder loads no
framework at all.)
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

# The layers, lowest first: (layer, the layers it may import, why).
# A module may always import its own layer and the package root. A layer is a
# package of peerladder, or one module of it where that module sits elsewhere
# ("config.urls"); the longest name that matches decides.
# search, insights and interchange share a tier: only interchange uses another
# (search), so no two of them can import each other. At the top, server and config
# import no app (Django loads settings and the WSGI application by name; server reads
# config's database bootstrap), cli uses both, and config.urls wires the two shells
# together.
LAYERS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("peerladder", (), "the package root holds only __version__, which any layer may read"),
    ("ladder", (), "the pure domain core: standard library only, no Django"),
    ("text", (), "text the databases can hold: checked on entry, cleaned when echoed"),
    ("errors", ("ladder", "text"), "refusals every app raises; they carry the ladder's FieldError"),
    (
        "lexicon",
        ("ladder", "text", "errors"),
        "the ladder's texts and the refusals' in the reader's language: Django's gettext "
        "over their message keys",
    ),
    (
        "accounts",
        ("ladder", "text", "errors", "lexicon"),
        "people, roles, tokens: the catalogue names who wrote what",
    ),
    (
        "catalogue",
        ("ladder", "text", "errors", "lexicon", "accounts"),
        "cases and their history: every write, read",
    ),
    (
        "search",
        ("ladder", "text", "errors", "lexicon", "accounts", "catalogue"),
        "indexes built over the catalogue",
    ),
    (
        "insights",
        ("ladder", "text", "errors", "lexicon", "accounts", "catalogue", "insights.renderer"),
        "the report and charts: reads (drawn by insights.renderer)",
    ),
    (
        "interchange",
        ("ladder", "text", "errors", "lexicon", "accounts", "catalogue", "search"),
        "imports set search triggers aside; exports resolve q through search",
    ),
    (
        "api",
        (
            "ladder",
            "text",
            "errors",
            "lexicon",
            "accounts",
            "catalogue",
            "search",
            "insights",
            "interchange",
        ),
        "the JSON API: a shell over the apps, beside web and never through it",
    ),
    (
        "web",
        (
            "ladder",
            "text",
            "errors",
            "lexicon",
            "accounts",
            "catalogue",
            "search",
            "insights",
            "interchange",
        ),
        "the pages: a shell over the apps, beside api and never through it",
    ),
    (
        "insights.renderer",
        (),
        "the process that draws charts for a server's workers: vl-convert, no Django",
    ),
    (
        "server",
        ("config", "insights.renderer"),
        "gunicorn in the process; it loads the WSGI application through Django, sets the "
        "site's own database connections up (config.database) and starts the drawing "
        "process (insights.renderer) before forking",
    ),
    ("formats", (), "date and number formats per language, read by Django by name"),
    ("config", (), "settings and the database bootstrap: apps read settings, never the reverse"),
    (
        "cli",
        (
            "ladder",
            "text",
            "errors",
            "lexicon",
            "accounts",
            "catalogue",
            "search",
            "insights",
            "interchange",
            "server",
            "config",
        ),
        "the console script: parse options, set Django up, one library call per command",
    ),
    ("config.urls", ("api", "web"), "the top-level wiring: mounts the API and the pages"),
)

# Imports against the table that a migration needs, as (migration, module): why.
# Migrations are otherwise held to their app's layer; none needs an exception today.
MIGRATION_EXCEPTIONS: dict[tuple[str, str], str] = {}

# Terminal input and output belong to the console script alone.
CLI_ONLY_LIBRARIES = ("click", "rich")

SRC = Path(__file__).resolve().parents[1] / "src"
ROOT = "peerladder"


@dataclass(frozen=True)
class Import:
    importer: str
    imported: str
    line: int

    def __str__(self) -> str:
        return f"{self.importer} (line {self.line}) imports {self.imported}"


def _module_names() -> dict[str, Path]:
    modules = {}
    for path in sorted((SRC / ROOT).rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


MODULES = _module_names()


def _known(name: str) -> str:
    """``name``, or the innermost module that holds it (``pkg.mod.attr`` -> ``pkg.mod``)."""
    while name not in MODULES and "." in name:
        name = name.rpartition(".")[0]
    return name


def imports_in(source: str, module: str, *, is_package: bool = False) -> list[tuple[str, int]]:
    """Every name ``module`` imports, at any depth of its code, with the line.

    ``from package import name`` counts as importing ``package.name`` when that is a
    module, else ``package``: a submodule does not depend on its package's
    ``__init__`` by being imported through it.
    """
    package = module if is_package else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = parts[: len(parts) - node.level + 1]
                source_module = ".".join([*base, node.module] if node.module else base)
            else:
                source_module = node.module or ""
            for alias in node.names:
                submodule = f"{source_module}.{alias.name}"
                found.append((submodule if submodule in MODULES else source_module, node.lineno))
    return found


def _graph() -> list[Import]:
    edges = []
    for module, path in MODULES.items():
        source = path.read_text(encoding="utf-8")
        for name, line in imports_in(source, module, is_package=path.name == "__init__.py"):
            if name == ROOT or name.startswith(ROOT + "."):
                edges.append(Import(module, _known(name), line))
            else:
                edges.append(Import(module, name, line))
    return edges


EDGES = _graph()
INTERNAL = [edge for edge in EDGES if edge.imported in MODULES and edge.imported != edge.importer]
TABLE = {layer: (set(allowed), reason) for layer, allowed, reason in LAYERS}


def layer_of(module: str) -> str | None:
    """The layer ``module`` belongs to; None when the table has none for it."""
    if module == ROOT:
        return ROOT
    name = module.removeprefix(ROOT + ".")
    while name not in TABLE:
        if "." not in name:
            return None
        name = name.rpartition(".")[0]
    return name


def _against_the_layers(edges: list[Import]) -> list[str]:
    wrong = []
    for edge in edges:
        source, target = layer_of(edge.importer), layer_of(edge.imported)
        if source is None or target is None:
            continue  # reported by test_every_module_belongs_to_a_layer
        allowed, _ = TABLE[source]
        if target in (source, ROOT) or target in allowed:
            continue
        if (edge.importer, edge.imported) in MIGRATION_EXCEPTIONS:
            continue
        wrong.append(f"{edge}: {source} may not import {target}")
    return wrong


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iteratively (the module graph is deep): the components of
    more than one module, each a set of modules that reach one another."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph[successor]))))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        components.append(sorted(component))
    return components


def a_cycle(graph: dict[str, set[str]], component: list[str]) -> list[str]:
    """One circle through the component's first module, shortest first: a -> b -> a."""
    start, members = component[0], set(component)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for successor in sorted(graph[node] & members):
                if successor == start:
                    return [*paths[node], start]
                if successor not in paths:
                    paths[successor] = [*paths[node], successor]
                    following.append(successor)
        frontier = following
    raise AssertionError(f"{component} is not strongly connected")


def _module_graph(edges: list[Import]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {module: set() for module in MODULES}
    for edge in edges:
        graph[edge.importer].add(edge.imported)
    return graph


# -- the rules ------------------------------------------------------------------------


def test_every_module_belongs_to_a_layer():
    homeless = [module for module in MODULES if layer_of(module) is None]
    assert not homeless, "no layer in LAYERS for: " + ", ".join(homeless)


def test_every_import_follows_the_layer_table():
    wrong = _against_the_layers(INTERNAL)
    assert not wrong, "imports against the layer table:\n" + "\n".join(wrong)


def test_no_modules_import_each_other_in_a_circle():
    graph = _module_graph(INTERNAL)
    cycles = [" -> ".join(a_cycle(graph, c)) for c in strongly_connected(graph)]
    assert not cycles, "modules that import each other:\n" + "\n".join(cycles)


def test_only_the_console_script_touches_the_terminal():
    wrong = [
        str(edge)
        for edge in EDGES
        if edge.imported.split(".")[0] in CLI_ONLY_LIBRARIES and layer_of(edge.importer) != "cli"
    ]
    assert not wrong, "terminal libraries outside peerladder.cli:\n" + "\n".join(wrong)


def test_the_settings_import_no_app():
    settings = [m for m in MODULES if layer_of(m) == "config"]
    assert "peerladder.config.settings" in settings
    wrong = [
        str(edge)
        for edge in INTERNAL
        if edge.importer in settings and layer_of(edge.imported) != "config"
    ]
    assert not wrong, "\n".join(wrong)


# -- the checker itself ----------------------------------------------------------------


def test_the_table_names_only_layers_it_defines_and_lists_each_once():
    names = [layer for layer, _, _ in LAYERS]
    assert len(names) == len(set(names))
    for layer, allowed, reason in LAYERS:
        assert set(allowed) <= TABLE.keys() and layer not in allowed, layer
        assert reason, layer


def test_migration_exceptions_are_migrations():
    assert all(".migrations." in importer for importer, _ in MIGRATION_EXCEPTIONS)


def test_an_upward_import_is_reported():
    edge = Import("peerladder.catalogue.services", "peerladder.api.cases", 3)
    assert _against_the_layers([edge]) == [f"{edge}: catalogue may not import api"]
    assert _against_the_layers([Import("peerladder.api.cases", "peerladder.catalogue", 1)]) == []


def test_a_cycle_is_found_and_named():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"e"}}
    components = strongly_connected(graph)
    assert components == [["a", "b", "c"]]
    assert a_cycle(graph, components[0]) == ["a", "b", "c", "a"]


def test_imports_inside_functions_and_relative_imports_are_seen():
    source = (
        "import peerladder.catalogue.models\n"
        "from . import selectors\n"
        "from ..ladder import classify\n"
        "def run():\n"
        "    from peerladder.interchange.importer import import_records\n"
    )
    assert imports_in(source, "peerladder.catalogue.services") == [
        ("peerladder.catalogue.models", 1),
        ("peerladder.catalogue.selectors", 2),
        ("peerladder.ladder", 3),
        ("peerladder.interchange.importer", 5),
    ]
