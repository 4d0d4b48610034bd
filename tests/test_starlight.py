"""Astro Starlight: recognised by starlight() in astro.config.mjs, read without Node; a folder per
locale under src/content/docs; asides kept; ids kept by an empty anchor; UI strings; the real build."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE_SITES, copy_generator_site, need, need_generator

from l10n import config
from l10n.cli import cli

OWN = EXAMPLE_SITES / "starlight"
DOCS = Path("src/content/docs")


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def site(tmp_path: Path, monkeypatch) -> Path:
    return copy_generator_site("starlight", tmp_path, monkeypatch)


def test_the_config_is_read_without_node(site):
    cfg = config.load(site)
    assert cfg.generator == "starlight" and cfg.source == "en" and cfg.targets == ("es",)
    assert cfg.layout == "dir" and cfg.content == "src/content/docs" and cfg.id_syntax == "html-anchor"
    # no root locale: the default one has a folder of its own
    path = site / "astro.config.mjs"
    path.write_text(path.read_text(encoding="utf-8").replace("defaultLocale: 'root'", "defaultLocale: 'en'")
                    .replace("root: { label: 'English', lang: 'en' }", "en: { label: 'English' }"), encoding="utf-8")
    cfg = config.load(site)
    assert cfg.source == "en" and [lang.key for lang in cfg.languages] == ["en", "es"]
    # an astro.config.mjs without starlight() is no Starlight site
    path.write_text("export default {};\n", encoding="utf-8")
    assert config.load(site).generator == ""


def test_a_locale_the_site_lacks_and_a_config_it_cannot_read(site):
    result = run("translate", "--to", "fr", "--engine", "pseudo")
    assert result.exit_code == 2 and "astro.config.mjs: fr is not a language of this site (it has en, es)" in result.output
    assert "    locales: {\n      fr: { label: 'Français', lang: 'fr' },\n    }," in result.output
    path = site / "astro.config.mjs"
    path.write_text(path.read_text(encoding="utf-8").replace("es: { label: 'Español', lang: 'es' }", "...others"),
                    encoding="utf-8")
    result = run("translate", "--to", "es", "--engine", "pseudo")
    assert result.exit_code == 2 and "cannot read starlight's locales without running Node" in result.output


def test_pages_go_in_the_locale_folder_asides_and_ids_kept(site):
    result = run("build", "--engine", "pseudo")
    assert result.exit_code == 0, result.output
    page = (site / DOCS / "es" / "guides" / "choosing.md").read_text(encoding="utf-8")
    assert ":::note\n⟦" in page and '## ⟦Ķééééþîîñĝ ƒŕûûîîţ ƒŕééšĥ⟧ <a id="keeping-fruit-fresh"></a>' in page
    index = (site / DOCS / "es" / "index.mdx").read_text(encoding="utf-8")
    assert ":::caution[⟦Ɓààñààñààš⟧]" in index and "{'cool'}" in index and '<Card title="⟦Çĥööööšéé⟧"' in index
    assert "tagline: ⟦" in index
    ui = (site / "src/content/i18n/es.json").read_text(encoding="utf-8")
    assert '"search.label": "⟦Šééààŕçĥ ţĥéé ƒŕûûîîţ⟧"' in ui
    status = run("status").output
    assert "src/content/docs/guides/choosing.md" in status and "docs/es/guides" not in status


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])


def links(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.mark.parametrize("engine", ["pseudo", "apertium"])
def test_the_real_starlight_builds_the_translated_site(tmp_path, engine):
    """Built by Astro in a folder below the installed node_modules (Vite follows no link
    to them); every link of a Spanish page leads to a page and an id that exist."""
    if engine == "apertium":
        need("apertium")
    installed = need_generator("starlight")
    work = installed / "work"
    work.mkdir(exist_ok=True)
    root = Path(shutil.copytree(OWN, work / tmp_path.name))
    try:
        result = subprocess.run([sys.executable, "-m", "l10n", "build", "--engine", engine], cwd=root,
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
        built = subprocess.run([str(installed / "node_modules" / ".bin" / "astro"), "build"], cwd=root,
                               capture_output=True, text=True)
        log = built.stdout + built.stderr
        assert built.returncode == 0, log[-3000:]
        assert not re.search(r"\[(WARN|ERROR)\]", log), log[-3000:]
        dist = root / "dist"
        pages = {p: links(p) for p in dist.rglob("*.html")}
        spanish = [p for p in pages if (dist / "es") in p.parents]
        assert {p.relative_to(dist / "es").as_posix() for p in spanish} >= {"index.html", "guides/choosing/index.html"}
        for page in spanish:
            for href in pages[page].hrefs:
                if href.startswith(("http", "mailto:")) or href.startswith("/_astro"):
                    continue
                path, _, fragment = href.partition("#")
                target = page if not path else dist / path.lstrip("/")
                if target.is_dir():
                    target = target / "index.html"
                assert target.is_file(), (page, href)
                if fragment:
                    assert fragment in pages.get(target, links(target)).ids, (page, href)
        if engine == "pseudo":
            assert "⟦" in (dist / "es" / "guides" / "choosing" / "index.html").read_text(encoding="utf-8")
    finally:
        shutil.rmtree(root, ignore_errors=True)
