"""The command line: help for every command, python -m, light start-up."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from l10n.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def commands(group=cli, prefix=()):
    for name, command in group.commands.items():
        yield (*prefix, name)
        if hasattr(command, "commands"):
            yield from commands(command, (*prefix, name))


@pytest.mark.parametrize("path", list(commands()))
def test_every_command_has_help(runner, path):
    result = runner.invoke(cli, [*path, "--help"])
    assert result.exit_code == 0
    command = cli
    for name in path:
        command = command.commands[name]
    assert command.help and len(command.help) > 20
    for param in command.params:
        if param.param_type_name == "option" and param.name != "help":
            assert param.help, f"{' '.join(path)} {param.opts} has no help"


def test_python_dash_m_runs(tmp_path):
    result = subprocess.run([sys.executable, "-m", "l10n", "--version"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0
    assert result.stdout.startswith("l10n, version ")


def test_help_imports_nothing_heavy():
    code = (
        "import sys\n"
        "from l10n.cli import cli\n"
        "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('argostranslate.translate', 'torch', 'stanza', 'spacy', 'langdetect', "
        "'markdown_it', 'yaml', 'babel') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert "HEAVY []" in result.stdout, result.stdout + result.stderr


def test_engines_command_describes_each_and_marks_the_default(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["engines"])
    assert result.exit_code == 0
    lines = {line.split()[0]: line for line in result.output.splitlines() if line and not line.startswith("3 ")}
    assert "Copies the source text" in lines["copy"] and "Pseudo-localisation" in lines["pseudo"]
    assert "Argos Translate models" in lines["argos"]
    assert lines["pseudo"].endswith("(default)")  # L10N_ENGINE=pseudo in the tests
    assert "the default here: pseudo" in result.output


@pytest.mark.parametrize("group", [(), ("catalog",), ("models",)])
def test_command_lists_are_never_cut(runner, group):
    """Click shortens a command's first sentence to fit; each says it whole."""
    result = runner.invoke(cli, [*group, "--help"], terminal_width=80)
    listed = result.output.split("Commands:\n", 1)[1].splitlines()
    assert listed and not any(line.rstrip().endswith("...") for line in listed), listed


def test_unknown_option_is_usage_error(runner):
    result = runner.invoke(cli, ["translate", "--bogus"])
    assert result.exit_code == 2


def test_outside_a_site_the_error_says_what_a_site_is(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for command in ("translate", "status", "detect", "build"):
        result = runner.invoke(cli, [command, "--to", "es"] if command != "detect" else [command])
        assert result.exit_code == 2, (command, result.output)
        assert f"no site here: {tmp_path / 'content'} does not exist" in result.output
        assert "l10n.toml, a Hugo config (hugo.toml, config.toml...) or .l10n/" in result.output


def test_models_list_says_where_it_looked(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "nowhere"))
    result = runner.invoke(cli, ["models", "list"])
    assert result.exit_code == 0
    assert f"0 packages installed; looked in {tmp_path / 'nowhere'} (does not exist)" in result.output


def test_every_declared_dependency_is_imported():
    """Nothing is installed that l10n never imports."""
    import ast
    import re
    import tomllib
    from importlib.metadata import packages_distributions

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {re.split(r"[<>=;\[ ]", dep, 1)[0].lower().replace("_", "-") for dep in project["dependencies"]}
    declared.discard("tomli")  # Python 3.10's tomllib
    imported: set[str] = set()
    for path in (ROOT / "l10n").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    distributions = packages_distributions()
    used = {dist.lower().replace("_", "-") for module in imported for dist in distributions.get(module, ())}
    assert declared <= used, f"declared but never imported: {sorted(declared - used)}"
    assert not {"argostranslate", "torch", "python-frontmatter"} & declared
