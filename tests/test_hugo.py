"""Hugo as one generator among others, and the folder layout: each language's contentDir
checked, the lines to add printed, the layout remembered, sources only from the source's folder
(issue 24, finding 8)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from click.testing import CliRunner
from conftest import need

from l10n import config
from l10n.cli import cli
from l10n.sites import hugo

PAGE = "---\ntitle: Lisbon\n---\nLisbon is a city by the sea, with hills, trams and a long river.\n"
LAYOUT = ('<!DOCTYPE html><html lang="{{ .Lang }}"><body>{{ .Content }}'
          '{{ range .Translations }}<a href="{{ .RelPermalink }}" hreflang="{{ .Lang }}">{{ .Lang }}</a>{{ end }}'
          "</body></html>\n")


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def site_with(tmp_path: Path, monkeypatch, hugo_toml: str, page: str = "content/en/lisbon.md") -> Path:
    (tmp_path / "hugo.toml").write_text(hugo_toml, encoding="utf-8")
    (tmp_path / page).parent.mkdir(parents=True)
    (tmp_path / page).write_text(PAGE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_dir_layout_without_content_dirs_prints_the_lines_to_add(tmp_path, monkeypatch):
    site = site_with(tmp_path, monkeypatch, 'defaultContentLanguage = "en"\n[languages.en]\n[languages.es]\n')
    result = run("translate", "--to", "es", "--layout", "dir")
    assert result.exit_code == 2
    assert "hugo.toml: the dir layout needs each language's contentDir" in result.output
    assert '[languages.en]\n    contentDir = "content/en"\n    \n    [languages.es]\n    contentDir = "content/es"' in result.output
    assert not (site / "content" / "es").exists() and not (site / "l10n.toml").exists()
    # a site whose sources are in content/ itself: they must move too (Hugo would read content/es as English)
    other = tmp_path / "other"
    other.mkdir()
    site_with(other, monkeypatch, "title = 'x'\n", "content/lisbon.md")
    result = run("translate", "--to", "es", "--layout", "dir")
    assert result.exit_code == 2
    assert "and move the sources into content/en/" in result.output
    assert '[languages.en]\n    languageName = "English"\n    weight = 1\n    contentDir = "content/en"' in result.output


def test_content_dirs_are_the_layout_and_hugo_publishes_each_language(tmp_path, monkeypatch):
    site = site_with(tmp_path, monkeypatch, 'defaultContentLanguage = "en"\n[languages.en]\ncontentDir = "content/en"\n'
                                            '[languages.es]\ncontentDir = "content/es"\n')
    cfg = config.load(site)
    assert cfg.trees and cfg.layout == "dir" and cfg.content == "content/en"
    result = run("translate", "--engine", "pseudo")  # no option: the site says where each language is
    assert result.exit_code == 0, result.output
    assert (site / "content" / "es" / "lisbon.md").is_file()
    status = run("status")
    assert "content/en/lisbon.md" in status.output and "machine" in status.output
    assert "content/es/lisbon.md " not in status.output  # a translation, never a source
    # a file only in the es folder is no source
    (site / "content" / "es" / "solo.md").write_text(PAGE, encoding="utf-8")
    assert "solo" not in run("status").output
    need("hugo")
    (site / "layouts" / "_default").mkdir(parents=True)
    for name in ("single.html", "list.html"):
        (site / "layouts" / "_default" / name).write_text(LAYOUT, encoding="utf-8")
    built = subprocess.run(["hugo", "--quiet"], cwd=site, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    es = (site / "public" / "es" / "lisbon" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="es">' in es and "⟦" in es and 'hreflang="en"' in es


def test_a_layout_given_once_is_remembered(tmp_path, monkeypatch):
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "lisbon.md").write_text(PAGE, encoding="utf-8")
    (tmp_path / "l10n.toml").write_text('source = "en"\ntargets = ["es"]\n\n[markdown]\nmath = true\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("translate", "--engine", "pseudo", "--layout", "dir")
    assert result.exit_code == 0, result.output
    assert 'l10n.toml: updated: layout = "dir" remembered' in result.output
    assert (tmp_path / "l10n.toml").read_text(encoding="utf-8") == ('layout = "dir"\nsource = "en"\ntargets = ["es"]\n\n'
                                                                   '[markdown]\nmath = true\n')
    assert (tmp_path / "content" / "es" / "lisbon.md").is_file()
    assert "content/lisbon.md" in run("status").output and "machine" in run("status").output
    again = run("translate", "--engine", "pseudo", "--layout", "dir")
    assert "remembered" not in again.output  # said once
    assert run("translate", "--engine", "pseudo", "--layout", "dir", "--dry-run").exit_code == 0


def test_languages_and_ids_from_the_hugo_config(tmp_path):
    (tmp_path / "hugo.yaml").write_text("defaultContentLanguage: es\nlanguages:\n  es: {weight: 1}\n  en: {weight: 2}\n"
                                        "markup:\n  goldmark:\n    parser:\n      autoHeadingIDType: blackfriday\n",
                                        encoding="utf-8")
    values = hugo.read(tmp_path / "hugo.yaml")
    assert values["source"] == "es" and values["targets"] == ("en",) and values["heading_ids"] == "blackfriday"
    assert "trees" not in values and values["generator"] == "hugo"
    assert hugo.declare(tmp_path / "hugo.yaml", "fr", hugo.read(tmp_path / "hugo.yaml")["languages"], "es") == (
        "languages:\n  fr:\n    languageName: Français\n    weight: 3")
