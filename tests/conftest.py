"""Shared fixtures: corpus paths, temporary sites, the CLI runner, test engines."""

from __future__ import annotations

import os
import shutil
import socket
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
#: The corpus the tests carry (tests/corpus/SOURCES.md); L10N_CORPUS=../shared/corpus
#: runs the same tests over the whole shared corpus.
CORPUS = Path(os.environ.get("L10N_CORPUS") or Path(__file__).parent / "corpus")
#: The Mainroad theme's UI-string tables, in many languages.
MAINROAD = CORPUS / "mainroad-i18n"
EXAMPLE = Path(__file__).parent / "corpus" / "examples" / "venezuela-sends-planes-to-us-to-return-migrants.md"
#: The example site as committed: the repository root is a Hugo site, whose
#: content the README's first command translates; tests start from this copy.
SITE_FILES = ("layouts", "i18n/en.yaml", "hugo.toml", "l10n.toml")
PRISTINE_CONTENT = Path(__file__).parent / "example-site" / "content"


def copy_example_site(dest: Path, locales: bool = False) -> Path:
    """The example site, untranslated, in ``dest`` (with the committed catalogs if ``locales``)."""
    for name in (*SITE_FILES, *(("locales",) if locales else ())):
        source, target = ROOT / name, dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("*.mo"))
        else:
            shutil.copy(source, target)
    shutil.copytree(PRISTINE_CONTENT, dest / "content")
    return dest


def hugodocs_files() -> list[Path]:
    return sorted((CORPUS / "hugodocs").rglob("*.md"))


def need(*tools: str) -> None:
    """Skip the test, saying why, when a system tool it runs is missing (.ci/run installs them all)."""
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing:
        # in CI nothing may be skipped: .ci/run installs every tool
        (pytest.fail if os.environ.get("CI") else pytest.skip)(f"needs {', '.join(missing)} on PATH (Debian: apt-get install {' '.join(_PACKAGES.get(t, t) for t in missing)})")


_PACKAGES = {"msgfmt": "gettext", "po4a-gettextize": "po4a", "po4a-translate": "po4a"}

#: The site generators the tests build with, installed by .ci/run and kept between runs:
#: a create-docusaurus classic site with its node_modules, MkDocs in a virtual environment,
#: Astro and Starlight's node_modules (a site built in a folder below them finds them).
GENERATORS = Path(os.environ.get("L10N_SITES") or Path.home() / ".cache" / "l10n-sites")
#: Example sites of our own (tests/sites/<generator>): a few pages of each generator's syntax.
EXAMPLE_SITES = Path(__file__).parent / "sites"


def copy_generator_site(name: str, tmp_path: Path, monkeypatch) -> Path:
    """A copy of tests/sites/<name>, as the working folder."""
    shutil.copytree(EXAMPLE_SITES / name, tmp_path / "site")
    monkeypatch.chdir(tmp_path / "site")
    return tmp_path / "site"


def need_generator(name: str) -> Path:
    """The installed generator's folder (``docusaurus``: the template site; ``mkdocs``:
    the virtual environment; ``starlight``: its node_modules' folder), or a skip saying
    how to install it (in CI, a failure)."""
    folder = GENERATORS / name
    ready = {"docusaurus": folder / "node_modules" / ".bin" / "docusaurus", "mkdocs": folder / "bin" / "mkdocs",
             "starlight": folder / "node_modules" / ".bin" / "astro"}[name]
    if name in ("docusaurus", "starlight"):
        need("node")
    if not ready.exists():
        (pytest.fail if os.environ.get("CI") else pytest.skip)(
            f"needs {name} installed in {folder} (bash .ci/run installs it; L10N_SITES names another folder)")
    return folder


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
        "reversing = hostile_engines:ReversingEngine\n"
        "tagkeeping = hostile_engines:TagKeepingEngine\n"
        "tagbreaking = hostile_engines:TagBreakingEngine\n"
        "slow = hostile_engines:SlowEngine\n"
        "growing = hostile_engines:GrowingEngine\n"
        "scoring = hostile_engines:ScoringEngine\n"
        "\n[l10n.checks]\n"
        "shouting = hostile_engines:check_shouting\n"
    )
    sys.path.insert(0, str(folder))
    yield folder  # for a subprocess: its PYTHONPATH
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
    shutil.copy(EXAMPLE, site / "content" / EXAMPLE.name)
    return site


@pytest.fixture(scope="session")
def archives(tmp_path_factory):
    """Argos packages built offline (tests/argos_package.py), by language pair."""
    from argos_package import build_package

    folder = tmp_path_factory.mktemp("archives")
    return {pair: build_package(folder, *pair) for pair in [("en", "es"), ("es", "en"), ("en", "fr")]}


@pytest.fixture
def packages(monkeypatch, tmp_path):
    """An empty Argos package folder for this test (models_dir in l10n.toml)."""
    folder = tmp_path / "argos-packages"
    folder.mkdir()
    return folder


@pytest.fixture
def offline(monkeypatch):
    """Any attempt to reach the network fails loudly."""
    def refuse(*args, **kwargs):
        raise OSError("network access attempted in an offline test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.fixture
def mainroad(tmp_path, monkeypatch):
    """A site of Mainroad's English UI-string table, to translate into Spanish and Russian."""
    (tmp_path / "i18n").mkdir()
    shutil.copy(MAINROAD / "en.yaml", tmp_path / "i18n" / "en.yaml")
    (tmp_path / "l10n.toml").write_text('source = "en"\ntargets = ["es", "ru"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


#: The article the review workflow's tests translate, review and change.
ARTICLE = """\
---
title: "Getting started"
lang: en
translations: [en]
---

Install the package with pip and run it once.

## Configure

Set the targets in `l10n.toml` and read the [manual](https://example.org/manual).

Run it again: nothing changes the second time.
"""


@pytest.fixture
def blog(site):
    """A site of two English articles to translate into Spanish."""
    (site / "l10n.toml").write_text('source = "en"\ntargets = ["es"]\n', encoding="utf-8")
    (site / "content" / "post.md").write_text(ARTICLE, encoding="utf-8")
    (site / "content" / "other.md").write_text(ARTICLE.replace("Getting started", "Another page"), encoding="utf-8")
    return site


#: A page a person translated and approved, and its source (the ``approved`` fixture).
PERSONS = """\
---
title: Instalar
slug: instalar
---

Primer párrafo de la página.

```sh
# instalar el paquete
pip install l10n
```

Segundo párrafo de la página.
"""
SOURCE = """\
---
title: Install
slug: installing
---

First paragraph of the page.

```sh
# install the package
pip install l10n
```

Second paragraph of the page.
"""


@pytest.fixture
def approved(runner, blog):
    """The blog with one article, whose Spanish translation a person wrote and approved."""
    from helpers import invoke

    (blog / "content" / "other.md").unlink()
    (blog / "content" / "post.md").write_text(SOURCE, encoding="utf-8")
    (blog / "content" / "post.es.md").write_text(PERSONS, encoding="utf-8")
    assert invoke(runner, "review", "--approve").exit_code == 0
    return blog
