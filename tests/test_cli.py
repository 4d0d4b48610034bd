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


def test_engines_command_lists_builtins(runner):
    result = runner.invoke(cli, ["engines"])
    assert result.exit_code == 0
    assert "copy\t" in result.output and "pseudo\t" in result.output


def test_unknown_option_is_usage_error(runner):
    result = runner.invoke(cli, ["translate", "--bogus"])
    assert result.exit_code == 2
