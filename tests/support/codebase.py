"""The program's source read as syntax trees, for the architecture rules (tests/architecture).

Every module of `kontora/` (migrations aside) is parsed once per test session; a rule walks the modules and
names each place that breaks it as `"<path>: <what>"` — line numbers are left out so an allow-list entry does
not move when unrelated lines above it change.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "kontora"
TESTS = ROOT / "tests"

# The layers, lowest first; an app may import its own layer's app and the layers below (DESIGN, architecture.md).
# Apps on one layer are siblings and never import each other. `cli` and the project modules sit on top.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("core",),
    ("accounts",),
    ("directories",),
    ("targeting",),
    ("clients",),
    ("messaging",),
    ("activity",),
    ("billing",),
    ("stock",),
    ("processes", "pipeline", "bulk", "imports"),
    ("reports",),
    ("cli", "project"),
)
RANK: dict[str, int] = {app: rank for rank, apps in enumerate(LAYERS) for app in apps}
APPS = tuple(app for apps in LAYERS[:-1] for app in apps)

# The rooms of an app (architecture.md): a room is a module `<room>.py` or a package `<room>/`.
ROOMS = frozenset({
    "models", "policies", "locks", "hooks", "tasks", "urls", "services", "selectors", "forms", "views",
})
# Django's own plumbing an app may have besides its rooms.
PLUMBING = frozenset({"__init__", "apps", "migrations", "templates", "static", "templatetags", "management"})


@dataclass(frozen=True)
class Import:
    target: str  # the imported module, absolute ("kontora.clients.access")
    line: int
    in_function: bool
    type_checking: bool


@dataclass
class Module:
    path: Path
    name: str  # "kontora.clients.views.card"
    tree: ast.Module
    imports: list[Import] = field(default_factory=list)

    @property
    def rel(self) -> str:
        return self.path.relative_to(ROOT).as_posix()

    @property
    def parts(self) -> tuple[str, ...]:
        return tuple(self.name.split(".")[1:])

    @property
    def stem(self) -> str:
        """The module's own name ("card" for kontora.clients.views.card, "cli" for the package kontora.cli)."""
        return self.name.rsplit(".", 1)[-1]

    @property
    def app(self) -> str:
        """The app the module belongs to; "project" for settings, urls and the other top-level modules."""
        parts = self.parts
        if parts and (PACKAGE / parts[0]).is_dir():
            return parts[0]
        return "project"

    def in_room(self, room: str) -> bool:
        """Whether the module is (inside) the room `room` of its app or of one of its engines."""
        return room in self.parts[1:]


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _resolve(module: Module, node: ast.ImportFrom) -> list[str]:
    if node.level:
        base = module.name.split(".")
        is_package = module.path.name == "__init__.py"
        base = base[: len(base) - node.level + (1 if is_package else 0)]
        prefix = ".".join(base)
        stem = f"{prefix}.{node.module}" if node.module else prefix
    else:
        stem = node.module or ""
    # "from kontora.clients import access" imports the module kontora.clients.access when it is one.
    targets = []
    for alias in node.names:
        candidate = f"{stem}.{alias.name}"
        path = ROOT / Path(*candidate.split("."))
        targets.append(candidate if path.with_suffix(".py").exists() or path.is_dir() else stem)
    return targets


def _collect_imports(module: Module) -> None:
    def walk(node: ast.AST, in_function: bool, type_checking: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                for alias in child.names:
                    module.imports.append(Import(alias.name, child.lineno, in_function, type_checking))
            elif isinstance(child, ast.ImportFrom):
                for target in _resolve(module, child):
                    module.imports.append(Import(target, child.lineno, in_function, type_checking))
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                walk(child, True, type_checking)
            elif isinstance(child, ast.If) and _is_type_checking(child):
                for item in child.body:
                    walk(ast.Module(body=[item], type_ignores=[]), in_function, True)
                for item in child.orelse:
                    walk(ast.Module(body=[item], type_ignores=[]), in_function, type_checking)
            else:
                walk(child, in_function, type_checking)

    walk(module.tree, False, False)


def _parsed(folder: Path) -> tuple[Module, ...]:
    found = []
    for path in sorted(folder.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        module = Module(path, ".".join(parts), ast.parse(path.read_text(encoding="utf-8"), str(path)))
        _collect_imports(module)
        found.append(module)
    return tuple(found)


@cache
def modules() -> tuple[Module, ...]:
    """The program's modules (migrations aside)."""
    return _parsed(PACKAGE)


@cache
def sources_of_tests() -> tuple[Module, ...]:
    return _parsed(TESTS)


def app_of(target: str) -> str | None:
    """The Kontora app an imported module belongs to (None for other packages)."""
    parts = target.split(".")
    if parts[0] != "kontora":
        return None
    if len(parts) > 1 and (PACKAGE / parts[1]).is_dir():
        return parts[1]
    return "project"  # the version, settings, config: below every app; urls and wsgi import them all


def calls(tree: ast.AST) -> Iterator[ast.Call]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            yield node


def dotted(node: ast.AST) -> str:
    """`a.b.c` for a chain of names and attributes (calls in the chain shown as `f()`), "" otherwise."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = dotted(node.value)
        return f"{inner}.{node.attr}" if inner else node.attr
    if isinstance(node, ast.Call):
        inner = dotted(node.func)
        return f"{inner}()" if inner else ""
    if isinstance(node, ast.Subscript):
        return dotted(node.value)
    return ""
