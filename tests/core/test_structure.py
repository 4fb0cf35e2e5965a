"""The shape of the code (issue 10): the Vault is the only door to the outside, the apps import
in one direction with no circles, first-party imports sit at module top, modules stay short,
and folders (not name prefixes) group modules.

Read from the source with `ast`, so it costs no imports and sees function-level imports too.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("immaculaterr", "vault", "recommendations", "observatory", "jobs")
OUTSIDE = {"requests", "plexapi", "tmdbv3api", "openai", "httpx", "urllib3"}
# jobs -> recommendations -> vault: nothing imports upward.
LAYERS = {"vault": 0, "recommendations": 1, "observatory": 1, "jobs": 2}
MAX_LINES = 300
# Module-name prefixes that are tool conventions, not groupings (pytest, tests.bench).
CONVENTIONS = ("test_", "bench_")


def sources(*tops: str) -> list[Path]:
    return sorted(p for top in tops for p in (ROOT / top).rglob("*.py")
                  if "migrations" not in p.parts and ".venv" not in p.parts)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


class Imports(ast.NodeVisitor):
    """Every import of one module: (dotted target, line, the function it sits in or None)."""

    def __init__(self, name: str, is_package: bool):
        self.name, self.is_package = name, is_package
        self.found: list[tuple[str, int, str | None]] = []
        self.function: str | None = None

    def visit_FunctionDef(self, node):  # noqa: N802 - ast's visitor protocol
        outer, self.function = self.function, node.name
        self.generic_visit(node)
        self.function = outer

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_If(self, node):  # noqa: N802
        if not (isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"):
            self.generic_visit(node)

    def visit_Import(self, node):  # noqa: N802
        for alias in node.names:
            self.found.append((alias.name, node.lineno, self.function))

    def visit_ImportFrom(self, node):  # noqa: N802
        base = node.module or ""
        if node.level:
            package = self.name.split(".")
            package = package[:len(package) - node.level + (1 if self.is_package else 0)]
            base = ".".join(package + ([node.module] if node.module else []))
        self.found.append((base, node.lineno, self.function))
        for alias in node.names:
            self.found.append((f"{base}.{alias.name}", node.lineno, self.function))


def imports_of(path: Path) -> list[tuple[str, int, str | None]]:
    visitor = Imports(module_name(path), path.name == "__init__.py")
    visitor.visit(ast.parse(path.read_text(), str(path)))
    return visitor.found


def first_party_graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in sources(*APPS)}
    graph: dict[str, set[str]] = defaultdict(set)
    for name, path in modules.items():
        for target, _, _ in imports_of(path):
            if target in modules and target != name:
                graph[name].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_only_the_vault_imports_http_and_service_client_libraries():
    offenders = [f"{path.relative_to(ROOT)}:{line} imports {target}"
                 for path in sources(*(a for a in APPS if a != "vault"))
                 for target, line, _ in imports_of(path)
                 if target.split(".")[0] in OUTSIDE]
    assert offenders == [], "\n".join(offenders)


def test_no_import_circles():
    assert cycles(first_party_graph()) == []


def test_cycle_finder_finds_a_circle():
    """The detector itself works (a check that cannot fail proves nothing)."""
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_apps_import_downward_only():
    upward = sorted(f"{source} imports {target}"
                    for source, targets in first_party_graph().items()
                    for target in targets
                    if source.split(".")[0] in LAYERS and target.split(".")[0] in LAYERS
                    and LAYERS[target.split(".")[0]] > LAYERS[source.split(".")[0]])
    assert upward == [], "\n".join(upward)


def test_first_party_imports_sit_at_module_top():
    """Only an AppConfig.ready may import inside a function (Django loads models first), and
    the Celery app module, whose signal handlers run before Django is set up."""
    first_party = {module_name(p) for p in sources(*APPS)}
    hidden = [f"{path.relative_to(ROOT)}:{line} in {function}() imports {target}"
              for path in sources(*APPS)
              if path.name != "apps.py" and path.relative_to(ROOT).as_posix()
              != "immaculaterr/celery.py"
              for target, line, function in imports_of(path)
              if function and target in first_party]
    assert hidden == [], "\n".join(hidden)


def test_every_module_is_under_300_lines():
    long = [f"{path.relative_to(ROOT)}: {n} lines"
            for path in sources(*APPS, "tests")
            if (n := len(path.read_text().splitlines())) >= MAX_LINES]
    assert long == [], "\n".join(long)


def test_folders_not_name_prefixes_group_modules():
    offenders = []
    for folder in {p.parent for p in sources(*APPS, "tests")}:
        names = {p.stem for p in folder.glob("*.py")} - {"__init__", "__main__"}
        packages = {p.parent.name for p in folder.glob("*/__init__.py")}
        by_prefix = defaultdict(list)
        for name in names:
            if "_" in name and not name.startswith(CONVENTIONS):
                by_prefix[name.split("_", 1)[0]].append(name)
        for prefix, group in by_prefix.items():
            if len(group) > 1 or prefix in names or prefix in packages:
                offenders.append(f"{folder.relative_to(ROOT)}: {', '.join(sorted(group))}")
    assert offenders == [], "\n".join(sorted(offenders))
