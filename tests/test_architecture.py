"""The floors of docs/architecture.md: every module's imports (lazy ones inside functions
and type-only ones included) go only downwards, as the document's tables say; and no
module imports itself through others (no circles)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "ozgkompass"
DOC = ROOT / "docs" / "architecture.md"


def _table(heading: str) -> list[list[str]]:
    """The rows of the first table after `heading` (cells stripped, header and rule off)."""
    text = DOC.read_text(encoding="utf-8")
    rest = text[text.index(heading):]
    rows = []
    for line in rest.splitlines()[1:]:
        if line.startswith("|"):
            rows.append([c.strip() for c in line.strip().strip("|").split("|")])
        elif rows:
            break
    return rows[2:]


def _names(cell: str) -> list[str]:
    return re.findall(r"`([\w.]+)`", cell)


def floors() -> tuple[dict[str, int], dict[int, bool]]:
    floor_of: dict[str, int] = {}
    siblings: dict[int, bool] = {}
    for floor, packages, own, *_ in _table("## What each package may import"):
        siblings[int(floor)] = own == "yes"
        for name in _names(packages):
            floor_of[name] = int(floor)
    return floor_of, siblings


def exceptions() -> set[tuple[str, str]]:
    rows = _table("Known exceptions")
    return {(_names(module)[0], _names(imported)[0]) for module, imported, *_ in rows}


def unit(path: Path) -> str:
    """The floor unit of a module: its top-level package or module below ozgkompass."""
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts) or "__init__"


def imports(path: Path) -> set[str]:
    """The ozgkompass units a module imports (`ozgkompass.x.y` → x)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "ozgkompass":  # from ozgkompass import numbers, __version__
                names = [f"ozgkompass.{a.name}" for a in node.names]
            else:
                names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "ozgkompass" and len(parts) > 1:
                target = parts[1]
                found.add("__init__" if target == "__version__" else target)
    return found


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def test_the_tables_parse():
    floor_of, siblings = floors()
    assert {"cli", "app", "scoring", "model", "errors"} <= set(floor_of)
    assert floor_of["cli"] > floor_of["app"] > floor_of["sources"] > floor_of["scoring"] \
        > floor_of["model"] > floor_of["errors"]
    assert set(siblings) == set(floor_of.values())


def test_every_package_has_a_floor():
    floor_of, _ = floors()
    units = {unit(p) for p in modules()}
    missing = sorted(units - set(floor_of))
    assert not missing, f"in docs/architecture.md ohne Stockwerk: {missing}"
    gone = sorted(set(floor_of) - units)
    assert not gone, f"in docs/architecture.md, aber nicht im Paket: {gone}"


def violations() -> tuple[list[str], set[tuple[str, str]]]:
    floor_of, siblings = floors()
    allowed = exceptions()
    used: set[tuple[str, str]] = set()
    bad: list[str] = []
    for path in modules():
        src = unit(path)
        name = module_name(path)
        for dst in sorted(imports(path) - {src}):
            if dst not in floor_of:
                continue  # a data package (ozgkompass.questionnaires), not code
            if floor_of[dst] < floor_of[src]:
                continue
            if floor_of[dst] == floor_of[src] and siblings[floor_of[src]]:
                continue
            exception = next(((m, d) for m, d in allowed
                              if d == dst and (name == m or name.startswith(m + "."))), None)
            if exception is not None:
                used.add(exception)
                continue
            bad.append(f"{path.relative_to(ROOT)} ({src}, Stockwerk {floor_of[src]}) "
                       f"importiert {dst} (Stockwerk {floor_of[dst]})")
    return bad, used


def test_imports_go_only_downwards():
    bad, _ = violations()
    assert not bad, "\n".join(bad)


def test_every_listed_exception_still_occurs():
    _, used = violations()
    stale = sorted(exceptions() - used)
    assert not stale, f"Ausnahmen in docs/architecture.md, die nicht mehr vorkommen: {stale}"


def test_nothing_outside_the_cli_imports_it():
    outside = [p for p in modules() if unit(p) not in ("cli", "entry", "__main__")]
    assert [str(p.relative_to(ROOT)) for p in outside if "cli" in imports(p)] == []


def test_the_check_catches_an_upward_import(tmp_path):
    """The import reader sees lazy imports inside functions (most imports here are lazy)."""
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from ozgkompass.cli.output import console\n"
                     "    import ozgkompass.app.assess\n    from ozgkompass import numbers\n",
                     encoding="utf-8")
    assert imports(probe) == {"cli", "app", "numbers"}


def _runtime_imports(path: Path) -> set[str]:
    """The ozgkompass modules a module imports when it runs (lazy imports inside functions
    included; imports for type checkers only, under `if TYPE_CHECKING:`, left out)."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) \
                and node.test.id == "TYPE_CHECKING":
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for a in node.names:  # `from ozgkompass.x import y`: the module x.y, if it is one
                sub = f"{node.module}.{a.name}"
                found.add(sub if _module_path(sub) is not None else node.module)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return {m for m in found if m.startswith("ozgkompass.") and _module_path(m) is not None}


def _module_path(name: str) -> Path | None:
    base = ROOT.joinpath(*name.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def test_no_module_imports_itself_through_others():
    """No import circles (docs/architecture.md): a module never needs, through the modules
    it imports, itself again, so each can be read, tested and moved on its own."""
    graph = {f"ozgkompass.{module_name(p)}".removesuffix(".__init__"): _runtime_imports(p)
             for p in modules()}
    graph = {m.replace("ozgkompass.__init__", "ozgkompass"): deps for m, deps in graph.items()}
    circles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def walk(module: str) -> None:
        state[module] = 1
        path.append(module)
        for dep in sorted(graph.get(module, ())):
            if state.get(dep) == 1:
                circles.append(path[path.index(dep):] + [dep])
            elif dep not in state:
                walk(dep)
        path.pop()
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            walk(module)
    assert circles == [], "\n".join(" → ".join(c) for c in circles)
