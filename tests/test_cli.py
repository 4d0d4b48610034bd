"""The command line: help for every command, python -m, light start-up."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from l10n.cli import cli
from l10n.cli.common import print_problems, split_values
from l10n.errors import Problem

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
        assert "l10n.toml, a site generator's config (hugo.toml, docusaurus.config.js, mkdocs.yml...) or .l10n/" in result.output


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
    from importlib.metadata import packages_distributions

    import tomllib

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


#: Where the README documents each command (the heading its section starts with).
SECTIONS = {
    "translate": "### `l10n translate", "detect": "### `l10n detect", "status": "### `l10n status",
    "check": "### `l10n check", "review": "### `l10n review", "build": "### `l10n build",
    "catalog": "### `l10n catalog", "models": "## Argos models", "engines": "## Engines",
    "export": "### Working with translators", "import": "### Working with translators",
    "serve": "### Review in the browser",
}


def readme_section(heading: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("\n" + heading) + 1
    level = heading.split(" ", 1)[0]
    ends = [text.find(f"\n{h} ", start + 1) for h in ("##", "###") if len(h) <= len(level)]
    ends = [e for e in ends if e > 0]
    return text[start : min(ends) if ends else len(text)]


@pytest.mark.parametrize("path", [p for p in commands() if p[0] in SECTIONS])
def test_the_readme_documents_every_option(path):
    """Every option of every command is in the README section for it, and every option
    an option table there names exists: the README cannot drift from --help."""
    command = cli
    for name in path:
        command = command.commands[name]
    section = readme_section(SECTIONS[path[0]])
    options = {opt for param in command.params if param.param_type_name == "option" and param.name != "help"
               for opt in param.opts + param.secondary_opts if opt.startswith("-")}
    import re

    fences = re.findall(r"^```[^\n]*\n(.*?)^```", section, re.MULTILINE | re.DOTALL)
    prose = re.sub(r"^```[^\n]*\n.*?^```", "", section, flags=re.MULTILINE | re.DOTALL)
    spans = " ".join(fences + re.findall(r"`([^`]+)`", prose))
    missing = sorted(opt for opt in options if not re.search(rf"(?<![\w-]){re.escape(opt)}(?![\w-])", spans))
    assert not missing, f"README section {SECTIONS[path[0]]!r} does not document {missing} of l10n {' '.join(path)}"
    if len(path) == 1 and not hasattr(command, "commands"):
        tabled = set(re.findall(r"^\| `(?:-\w, )?(--[\w-]+)", section, re.MULTILINE))
        tabled |= set(re.findall(r"^\| `(-\w), --", section, re.MULTILINE))
        assert tabled <= options, f"the README's table names options l10n {path[0]} lacks: {sorted(tabled - options)}"


def test_list_options_split_on_commas_and_problems_are_lines_on_stderr(capsys):
    assert split_values(None, None, ("es,fr", " de ", ",")) == ["es", "fr", "de"]
    assert split_values(None, None, ()) is None
    print_problems([Problem("content/a.md", 2, "bad \x1b input"), Problem(None, None, "no place", "warning")])
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "l10n: content/a.md:2: error: bad \\x1b input\nl10n: <input>: warning: no place\n"


def test_the_installed_distribution_is_not_pypis_l10n():
    """'l10n' on PyPI is another project: this one installs as l10n-sites, whose
    command is l10n, and the README's CI example installs it without torch."""
    from importlib import metadata

    scripts = {ep.name: ep.value for ep in metadata.distribution("l10n-sites").entry_points
               if ep.group == "console_scripts"}
    assert scripts == {"l10n": "l10n.cli:main"}
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    ci = readme[readme.index("In CI, before Hugo"):]
    ci = ci[:ci.index("```", ci.index("```yaml") + 7)]
    installs = [line for line in ci.splitlines() if "pip install" in line and not line.lstrip().startswith("#")]
    assert installs and all("l10n-sites" in line and "torch" not in line for line in installs), installs
