"""MkDocs with Material and mkdocs-static-i18n: recognised by mkdocs.yml, pages beside their
sources (or in a folder per language), Python-Markdown's syntax kept, nav_translations, the real build."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CORPUS, copy_generator_site, need, need_generator
from helpers import assert_same_structure, translate_text

from l10n import config, markdown
from l10n.cli import cli
from l10n.engines.basic import CopyEngine, PseudoEngine
from l10n.sites import mkdocs



def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def site(tmp_path: Path, monkeypatch) -> Path:
    return copy_generator_site("mkdocs", tmp_path, monkeypatch)


def test_the_config_and_its_tags(site):
    path = site / "mkdocs.yml"
    path.write_text(path.read_text(encoding="utf-8") + "extra_javascript:\n  - !ENV [JS, 'a.js']\nhooks:\n"
                    "  - !!python/name:material.extensions.emoji.twemoji\n", encoding="utf-8")
    cfg = config.load(site)
    assert cfg.generator == "mkdocs" and cfg.source == "en" and cfg.targets == ("es",) and cfg.content == "docs"
    assert cfg.layout == "suffix" and cfg.dialect == "python-markdown" and cfg.id_syntax == "attr"
    assert "pymdownx.tabbed" in cfg.markdown_extensions
    assert list(mkdocs.nav_titles(path)) == [("Home", 7), ("User guide", 8), ("Installing", 9)]


def test_a_language_the_plugin_lacks_prints_the_lines_to_add(site):
    result = run("translate", "--to", "fr", "--engine", "pseudo")
    assert result.exit_code == 2
    assert "mkdocs.yml: fr is not a language of this site (it has en, es)" in result.output
    assert "    plugins:\n      - i18n:\n          languages:\n            - locale: fr\n              name: Français" in result.output


def test_pages_go_beside_their_sources_with_the_syntax_kept(site):
    result = run("translate", "--engine", "pseudo")
    assert result.exit_code == 0, result.output
    page = (site / "docs" / "index.es.md").read_text(encoding="utf-8")
    assert '!!! note "⟦Ɓééƒööŕéé ýööûû šţààŕţ⟧"\n\n    ⟦Ýööûû ñééééđ' in page
    assert '=== "⟦ÀÀþþļéé⟧"' in page and '--8<-- "snippet.txt"' in page and "{ .md-button }" in page
    assert "## ⟦Šééçţîîööñ ŵîîţĥ ààñ îîđ⟧ { #custom-id }" in page and "{#plain-section}" in page
    assert (site / "docs" / "guide" / "install.es.md").is_file()
    assert run("check").exit_code == 0


def test_the_folder_structure(site):
    docs = site / "docs"
    (docs / "en").mkdir()
    for name in ("index.md", "snippet.txt", "guide"):
        shutil.move(docs / name, docs / "en" / name)
    text = (site / "mkdocs.yml").read_text(encoding="utf-8").replace("docs_structure: suffix", "docs_structure: folder")
    (site / "mkdocs.yml").write_text(text, encoding="utf-8")
    assert run("translate", "--engine", "pseudo").exit_code == 0
    assert (docs / "es" / "index.md").is_file() and (docs / "es" / "guide" / "install.md").is_file()
    assert "docs/es/index.md " not in run("status").output


def test_nav_translations_through_the_catalogs_every_other_byte_kept(site):
    before = (site / "mkdocs.yml").read_text(encoding="utf-8")
    result = run("build", "--engine", "pseudo")
    assert result.exit_code == 0, result.output
    after = (site / "mkdocs.yml").read_text(encoding="utf-8")
    added = ('          nav_translations:\n            "Home": "⟦Ĥööɱéé⟧"\n            "User guide": "⟦ÛÛšééŕ ĝûûîîđéé⟧"\n'
             '            "Installing": "⟦ÎÎñšţààļļîîñĝ⟧"\n')
    assert after == before.replace("          name: Español\n          build: true\n",
                                   "          name: Español\n          build: true\n" + added)
    assert mkdocs.nav_translations(site / "mkdocs.yml", "es")["Home"] == "⟦Ĥööɱéé⟧"
    # a person's own translation is kept, and named
    (site / "mkdocs.yml").write_text(after.replace('"Home": "⟦Ĥööɱéé⟧"', '"Home": "Inicio"'), encoding="utf-8")
    result = run("build", "--engine", "pseudo")
    assert result.exit_code == 3 and "kept: its string 'Home' was changed by a person" in result.output
    assert '"Home": "Inicio"' in (site / "mkdocs.yml").read_text(encoding="utf-8")


PYMD = markdown.Options(dialect="python-markdown", heading_ids="python-markdown", keep_ids=True,
                        extensions=("admonition", "attr_list", "def_list", "pymdownx.snippets", "pymdownx.superfences",
                                    "tables", "toc"))
PAGES = sorted((CORPUS / "mkdocs").rglob("*.md"))


@pytest.mark.parametrize("path", PAGES, ids=[str(p.relative_to(CORPUS / "mkdocs")) for p in PAGES])
def test_every_page_keeps_its_structure(path: Path):
    source = path.read_text(encoding="utf-8")
    assert translate_text(source, CopyEngine(), options=PYMD)[0] == source
    out, _notices = translate_text(source, PseudoEngine(), options=PYMD)
    assert_same_structure(source, out, path.name, options=PYMD)


class _Shape(HTMLParser):
    """A rendered page's article as its tags, ids and classes: what a translation keeps."""

    def __init__(self) -> None:
        super().__init__()
        self.depth, self.tags = 0, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "article":
            self.depth += 1
        if self.depth:
            keep = {k: v for k, v in attrs.items() if k in ("id", "class") or (k == "href" and (v or "").startswith("#"))}
            self.tags.append((tag, tuple(sorted(keep.items()))))

    def handle_endtag(self, tag):
        if tag == "article":
            self.depth -= 1


#: Inline elements, which a translation may order as its words go (Apertium reorders words).
INLINE = {"a", "code", "em", "strong", "br", "img", "span", "abbr", "sup", "kbd", "del", "mark", "small", "b", "i"}


def shape(path: Path) -> tuple[list, list]:
    """The article's block elements in order, and every element counted."""
    parser = _Shape()
    parser.feed(path.read_text(encoding="utf-8"))
    return [t for t in parser.tags if t[0] not in INLINE], sorted(parser.tags, key=repr)


MKDOCS_YML = """\
site_name: MkDocs
theme:
  name: material
nav:
  - Home: index.md
  - Getting Started: getting-started.md
  - User Guide:
    - Overview: user-guide/README.md
    - Installation: user-guide/installation.md
    - Writing your docs: user-guide/writing-your-docs.md
    - Choosing your theme: user-guide/choosing-your-theme.md
    - Customizing your theme: user-guide/customizing-your-theme.md
    - Localizing your theme: user-guide/localizing-your-theme.md
    - Configuration: user-guide/configuration.md
    - Command Line Interface: user-guide/cli.md
    - Deploying your docs: user-guide/deploying-your-docs.md
  - Developer Guide:
    - Overview: dev-guide/README.md
    - Themes: dev-guide/themes.md
    - Translations: dev-guide/translations.md
    - Plugins: dev-guide/plugins.md
    - API reference: dev-guide/api.md
  - About:
    - Release Notes: about/release-notes.md
    - Contributing: about/contributing.md
    - License: about/license.md
markdown_extensions:
  - toc:
      permalink: true
  - admonition
  - attr_list
  - def_list
  - tables
  - pymdownx.highlight:
      use_pygments: false
  - pymdownx.snippets
  - pymdownx.superfences
plugins:
  - search
  - i18n:
      docs_structure: suffix
      languages:
        - locale: en
          default: true
          name: English
        - locale: es
          name: Español
validation:
  omitted_files: warn
  absolute_links: info
  unrecognized_links: warn
  anchors: warn
"""


def mkdocs_build(root: Path) -> tuple[int, list[str]]:
    venv = need_generator("mkdocs")
    shutil.rmtree(root / "site", ignore_errors=True)
    built = subprocess.run([str(venv / "bin" / "mkdocs"), "build"], cwd=root, capture_output=True, text=True,
                           env={"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1"})
    warnings = sorted(line.replace(".es.md", ".md") for line in built.stderr.splitlines()
                      if re.match(r"(WARNING|ERROR)\b", line))
    return built.returncode, warnings


@pytest.mark.parametrize("engine", ["pseudo", "apertium"])
def test_the_real_mkdocs_builds_real_documentation_translated(tmp_path, engine):
    """MkDocs's own documentation with Material and mkdocs-static-i18n: no new warning
    (the source's two, a favicon and an anchor mkdocs-click makes, stay its own), no
    broken link or anchor, and each Spanish page rendered with its source's structure."""
    if engine == "apertium":
        need("apertium")
    root = tmp_path / "mkdocs-site"
    shutil.copytree(CORPUS / "mkdocs", root, ignore=shutil.ignore_patterns("LICENSE"))
    (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    code, before = mkdocs_build(root)
    assert code == 0
    result = subprocess.run([sys.executable, "-m", "l10n", "build", "--engine", engine], cwd=root,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    code, after = mkdocs_build(root)
    assert code == 0 and after == before, "\n".join(after)
    pages = sorted((root / "site").rglob("index.html"))
    spanish = [p for p in pages if "/site/es/" in str(p)]
    assert len(spanish) >= 19
    for page in spanish:
        english = root / "site" / page.relative_to(root / "site" / "es")
        assert shape(page) == shape(english), page
    nav = mkdocs.nav_translations(root / "mkdocs.yml", "es")
    assert nav["Getting Started"] != "Getting Started" and len(nav) >= 20


def test_the_example_site_builds_strict(site):
    need_generator("mkdocs")
    assert run("build", "--engine", "pseudo").exit_code == 0
    venv = need_generator("mkdocs")
    built = subprocess.run([str(venv / "bin" / "mkdocs"), "build", "--strict"], cwd=site, capture_output=True,
                           text=True, env={"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1"})
    assert built.returncode == 0, built.stderr
    page = (site / "site" / "es" / "index.html").read_text(encoding="utf-8")
    assert 'id="custom-id"' in page and 'id="plain-section"' in page and "⟦" in page
    assert shape(site / "site" / "es" / "index.html") == shape(site / "site" / "index.html")
