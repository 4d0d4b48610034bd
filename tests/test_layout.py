"""The house rules of l10n/: floors that never import upwards, no import circle,
click only in the command line, small modules, no private name used across modules,
and tests that mirror modules."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "l10n"
README = PACKAGE.parent / "README.md"
MAX_LINES = 600


def layout() -> tuple[dict[str, int], dict[str, set[str]]]:
    """The README's "Layout of the code": the floor of each top-level module or package
    (``survey.py``, ``cli/``), and the modules listed under each package."""
    block = README.read_text(encoding="utf-8").split("### Layout of the code", 1)[1].split("```", 2)[1]
    floors: dict[str, int] = {}
    members: dict[str, set[str]] = {}
    level, package = 0, ""
    for line in block.splitlines():
        heading = re.match(r"\[(\d)\] ", line)
        if heading:
            level, package = int(heading.group(1)), ""
        elif re.match(r"[\w.]+(\.py|/)( |$)", line):
            name = line.split()[0]
            floors[name] = level
            package = name if name.endswith("/") else ""
            members.setdefault(package, set()) if package else None
        elif line.startswith("  ") and package:  # a package's modules: the names the line starts with
            for word in line.split():
                if not word.endswith(".py"):
                    break
                members[package].add(word)
    return floors, members


def modules() -> dict[str, Path]:
    return {".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts): p for p in sorted(PACKAGE.rglob("*.py"))}


def top(name: str) -> str:
    """How the layout names a module's top level: ``survey.py``, ``cli/``, ``__init__.py``."""
    parts = name.split(".")[1:]
    return parts[0] + "/" if len(parts) > 1 else parts[0] + ".py"


def floor(name: str) -> int:
    floors, _members = layout()
    if top(name) not in floors:
        raise AssertionError(f"{name} is on no floor: add {top(name)} to the README's Layout of the code")
    return floors[top(name)]


def imports(name: str, path: Path, local: bool | None = None) -> list[tuple[str, list[str], int]]:
    """(imported module, names imported from it, line) for every import, those inside
    functions included (only those, ``local=True``; only the others, ``local=False``)."""
    package = name.rsplit(".", 1)[0]  # l10n.cli.__init__ and l10n.cli.common are both in l10n.cli
    tree = ast.parse(path.read_text(encoding="utf-8"))
    inside = {id(node) for fn in ast.walk(tree) if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef))
              for node in ast.walk(fn) if isinstance(node, (ast.Import, ast.ImportFrom))}
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Import, ast.ImportFrom)) or (local is not None and (id(node) in inside) != local):
            continue
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append((module, [a.name for a in node.names], node.lineno))
        else:
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


def test_the_layout_has_seven_floors_and_every_module_is_on_one():
    floors, members = layout()
    assert sorted(set(floors.values())) == [1, 2, 3, 4, 5, 6, 7], floors
    known = modules()
    for name in known:
        floor(name)
    listed = {package + member for package, names in members.items() for member in names}
    wanted = {f"{top(n)}{n.split('.')[-1]}.py" for n in known if top(n).endswith("/")}
    listed |= {f"{package}__init__.py" for package in members}  # a package's own is listed by choice
    assert not wanted - listed, f"add to the README's Layout of the code: {sorted(wanted - listed)}"
    assert not listed - wanted, f"the README's Layout of the code names modules that do not exist: {sorted(listed - wanted)}"
    gone = [name for name in floors if not (PACKAGE / name).exists()]
    assert not gone, f"the README's Layout of the code names modules that do not exist: {gone}"


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


def test_imports_inside_functions_are_for_heavy_libraries_and_the_command_line():
    """The library imports its own modules at the top, where a circle would show; only
    the command line imports the commands when one runs, so ``l10n --help`` is light."""
    known = modules()
    wrong = [f"{path.relative_to(PACKAGE.parent)}:{line}: {target}"
             for name, path in known.items() if floor(name) < 7
             for module, names, line in imports(name, path, local=True)
             for target in internal(module, names, known)]
    assert not wrong, "import these at the top of the module:\n" + "\n".join(wrong)


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


#: Modules (or a package, ending in /) whose tests are not in tests/test_<module>.py.
TESTED_IN = {
    "cli/": "test_cli.py",
    "engines/server.py": "test_servers.py",
    "engines/libretranslate.py": "test_servers.py",
    "engines/openai.py": "test_servers.py",
    "markdown/blocks.py": "test_markdown.py",
    "exchange.py": "test_exchange.py",
    "commands/exchange.py": "test_exchange.py",
    "commands/export.py": "test_exchange.py",
}


def mirror(path: Path) -> str | None:
    """The test file of a module: tests/test_<module>.py, test_command_<verb>.py for
    a command, or as TESTED_IN says (None: a package's __init__.py, __main__.py)."""
    rel = path.relative_to(PACKAGE).as_posix()
    if path.name in ("__init__.py", "__main__.py"):
        return None
    for key, test in TESTED_IN.items():
        if rel == key or (key.endswith("/") and rel.startswith(key)):
            return test
    if rel.startswith("commands/"):
        return f"test_command_{path.stem}.py"
    return f"test_{path.stem}.py"


def test_tests_mirror_modules():
    stale = [key for key in TESTED_IN if not (PACKAGE / key).exists()]
    assert not stale, f"TESTED_IN names modules that do not exist: {stale}"
    tests = PACKAGE.parent / "tests"
    missing = [f"{path.relative_to(PACKAGE.parent)} -> tests/{mirror(path)}" for path in modules().values()
               if mirror(path) and not (tests / mirror(path)).is_file()]
    assert not missing, "tests mirror modules (tests/test_<module>.py); no test file for:\n" + "\n".join(missing)
