"""The packages form layers: imports point down only, with no cycle (function-local imports included).

zi_cli ──> bot ──> zi_app ──> knowledge
   └──────────────────────┴──> zi_core
"""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("knowledge", "zi_core", "zi_app", "bot", "zi_cli")
ALLOWED = {
    "knowledge": set(),
    "zi_core": set(),
    "zi_app": {"knowledge", "zi_core"},
    "bot": {"zi_app", "knowledge", "zi_core"},
    "zi_cli": {"bot", "zi_app", "knowledge", "zi_core"},
}


def _imports(package: str) -> dict[str, set[str]]:
    """Every project package each module of `package` imports, anywhere in the module."""
    found: dict[str, set[str]] = {}
    for path in (REPO / package).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(REPO))] = {n for n in names if n in PACKAGES and n != package}
    return found


def test_imports_point_down_only() -> None:
    wrong = [
        f"{module} imports {other}"
        for package in PACKAGES
        for module, others in _imports(package).items()
        for other in others
        if other not in ALLOWED[package]
    ]
    assert not wrong, wrong


def test_the_package_graph_has_no_cycle() -> None:
    graph = {p: set().union(*_imports(p).values()) for p in PACKAGES}
    state: dict[str, str] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for nxt in graph[node]:
            assert state.get(nxt) != "open", " -> ".join([*path, node, nxt])
            if nxt not in state:
                visit(nxt, [*path, node])
        state[node] = "done"

    for package in PACKAGES:
        if package not in state:
            visit(package, [])
