"""The house rules of l10n/: floors that never import upwards, no import circle,
click only in the command line, small modules, no private name used across modules."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "l10n"

#: The floors, bottom up: a module imports its own floor and the ones below.
FLOORS = [
    {"errors", "document", "langs", "write", "sentences", "parallel", "align", "anchors", "limits"},
    {"markdown", "config", "content", "memory", "engines", "provenance", "detect", "tables", "terminal", "html"},
    {"translate", "checks", "catalogs", "merge", "survey", "exchange", "xliff"},
    {"commands"},
    {"cli", "__init__", "__main__"},
]
MAX_LINES = 600


def modules() -> dict[str, Path]:
    return {".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts): p for p in sorted(PACKAGE.rglob("*.py"))}


def floor(name: str) -> int:
    parts = name.split(".")[1:]
    top = parts[0] if parts else "__init__"
    for level, names in enumerate(FLOORS):
        if top in names:
            return level
    raise AssertionError(f"{name} is on no floor: add it to FLOORS in tests/test_layout.py")


def imports(name: str, path: Path) -> list[tuple[str, list[str], int]]:
    """(imported module, names imported from it, line) for every import, local ones included."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append((module, [a.name for a in node.names], node.lineno))
        elif isinstance(node, ast.Import):
            found.extend((a.name, [], node.lineno) for a in node.names)
    return found


def internal(module: str, names: list[str], known: dict[str, Path]) -> list[str]:
    """The l10n modules an import statement reaches (``from . import x`` names modules)."""
    if module != "l10n" and not module.startswith("l10n."):
        return []
    reached = [f"{module}.{n}" for n in names if f"{module}.{n}" in known]
    if reached:
        return reached
    if module in known:
        return [module]
    return [f"{module}.__init__"] if f"{module}.__init__" in known else []


def test_no_module_imports_a_floor_above_its_own():
    known = modules()
    wrong = []
    for name, path in known.items():
        for module, names, line in imports(name, path):
            for target in internal(module, names, known):
                if target == "l10n.__init__":
                    continue
                if floor(target) > floor(name):
                    wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {name} imports {target}")
    assert not wrong, "\n".join(wrong)


def test_no_import_circle():
    known = modules()
    graph: dict[str, set[str]] = {name: set() for name in known}
    for name, path in known.items():
        for module, names, _line in imports(name, path):
            for target in internal(module, names, known):
                if target != name and target != "l10n.__init__":
                    graph[name].add(target)
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> None:
        if node in path:
            raise AssertionError("import circle: " + " -> ".join(path[path.index(node):] + [node]))
        if node in done:
            return
        for nxt in sorted(graph[node]):
            visit(nxt, path + [node])
        done.add(node)

    for name in sorted(graph):
        visit(name, [])


def test_only_the_command_line_imports_click():
    known = modules()
    users = sorted(name for name, path in known.items()
                   if any(module.split(".")[0] == "click" for module, _names, _line in imports(name, path)))
    assert users and all(name == "l10n.cli" or name.startswith("l10n.cli.") for name in users), users


@pytest.mark.parametrize("name", sorted(modules()))
def test_modules_are_small_and_say_what_they_are(name):
    path = modules()[name]
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= MAX_LINES, f"{path.name}: {len(text.splitlines())} lines"
    doc = ast.get_docstring(ast.parse(text))
    assert doc and len(doc.split("\n", 1)[0]) > 10, f"{path.name} has no docstring saying what it is"


def test_no_private_name_is_used_across_modules():
    known = modules()
    wrong = []
    for name, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases: set[str] = set()
        for module, names, line in imports(name, path):
            if not module.startswith("l10n"):
                continue
            for n in names:
                if n.startswith("_") and not n.startswith("__"):
                    wrong.append(f"{path.name}:{line}: imports {n} from {module}")
                if f"{module}.{n}" in known:
                    aliases.add(n)
        for node in ast.walk(tree):
            if isinstance(node, ast.alias) and node.asname:
                aliases.add(node.asname)
            if (isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
                    and isinstance(node.value, ast.Name) and node.value.id in aliases):
                wrong.append(f"{path.name}:{node.lineno}: uses {node.value.id}.{node.attr}")
    assert not wrong, "\n".join(wrong)


def test_the_readme_names_every_module():
    """The README's "Layout of the code" says what each module is: a new one is added there."""
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    layout = readme.split("### Layout of the code", 1)[1].split("```", 2)[1]
    named = set(re.findall(r"[\w]+\.py", layout))
    missing = sorted(p.name for p in PACKAGE.rglob("*.py") if p.name not in named and p.name != "__init__.py"
                     and p.name != "__main__.py")
    assert not missing, f"add to the README's Layout of the code: {', '.join(missing)}"
