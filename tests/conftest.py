"""Shared fixtures: corpus paths, temporary sites, the CLI runner, test engines."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
EXAMPLE = next((SHARED / "examples").glob("*.md"), None)


def hugodocs_files() -> list[Path]:
    return sorted((CORPUS / "hugodocs").rglob("*.md"))


@pytest.fixture(scope="session", autouse=True)
def test_engines(tmp_path_factory):
    """Register the test engines under the real entry-point group."""
    folder = tmp_path_factory.mktemp("engines")
    shutil.copy(Path(__file__).parent / "engines" / "hostile_engines.py", folder)
    info = folder / "hostile_engines-0.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: hostile-engines\nVersion: 0.0\n")
    (info / "entry_points.txt").write_text(
        "[l10n.engines]\n"
        "hostile = hostile_engines:HostileEngine\n"
        "raising = hostile_engines:RaisingEngine\n"
        "short = hostile_engines:ShortEngine\n"
        "interrupting = hostile_engines:InterruptingEngine\n"
        "spaceless = hostile_engines:SpacelessEngine\n"
        "counting = hostile_engines:CountingEngine\n"
    )
    sys.path.insert(0, str(folder))
    yield
    sys.path.remove(str(folder))


@pytest.fixture(autouse=True)
def pseudo_by_default(monkeypatch, tmp_path_factory):
    """Tests that do not name an engine get pseudo (argos needs a model), and
    Argos packages only from a folder of their own."""
    monkeypatch.setenv("L10N_ENGINE", "pseudo")
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path_factory.getbasetemp() / "argos-packages"))


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def site(tmp_path, monkeypatch):
    """An empty site folder with content/, as the working folder."""
    (tmp_path / "content").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def example_site(site):
    assert EXAMPLE is not None, "../shared/examples/ holds the example article"
    shutil.copy(EXAMPLE, site / "content" / EXAMPLE.name)
    return site
