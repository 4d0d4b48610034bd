"""Site settings: l10n.toml, the Hugo config, and languages as Hugo sees them."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import need
from helpers import invoke

from l10n import config, markdown
from l10n.cli import cli
from l10n.errors import ConfigError

HUGO = """\
baseURL = "https://example.org/"
title = "Languages"
defaultContentLanguage = "en"
disableKinds = ["taxonomy", "term", "RSS", "sitemap"]

[languages.en]
languageName = "English"
weight = 1

[languages.pt_br]
languageCode = "pt-BR"
languageName = "Português"
weight = 2

[languages.zh-hant]
languageName = "繁體中文"
weight = 3
"""

LAYOUT = """\
<!DOCTYPE html><html lang="{{ .Site.LanguageCode }}"><body>{{ .Content }}
{{ range .Translations }}<a href="{{ .RelPermalink }}" hreflang="{{ .Lang }}">{{ .Language.LanguageName }}</a>{{ end }}
</body></html>
"""

ARTICLE = """\
---
title: "Languages"
lang: en
translations: [en]
---

A page written in English, to be read in Portuguese and in Chinese as well.
"""


@pytest.fixture
def hugo_languages(site):
    (site / "hugo.toml").write_text(HUGO, encoding="utf-8")
    (site / "l10n.toml").write_text('engine = "pseudo"\n', encoding="utf-8")
    (site / "content" / "post.md").write_text(ARTICLE, encoding="utf-8")
    return site


def translate(runner, *args):
    return runner.invoke(cli, ["translate", *args], catch_exceptions=False)


def front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---", 2)[1])


def test_languages_are_hugo_keys_with_codes(hugo_languages):
    cfg = config.load(hugo_languages)
    assert [(lang.key, lang.code) for lang in cfg.languages] == [("en", "en"), ("pt_br", "pt-br"), ("zh-hant", "zh-hant")]
    assert cfg.source == "en" and cfg.targets == ("pt_br", "zh-hant")
    # --to takes a key or a code
    assert cfg.resolve_targets("pt-BR,zh-hant") == ["pt_br", "zh-hant"]
    assert cfg.resolve_targets(["PT_BR"]) == ["pt_br"]
    assert cfg.key("pt") == "pt_br" and cfg.code("pt_br") == "pt-br"


def test_files_are_named_by_key_and_lang_holds_the_code(runner, hugo_languages):
    result = translate(runner)
    assert result.exit_code == 0, result.output
    content = hugo_languages / "content"
    assert sorted(p.name for p in content.iterdir()) == ["post.md", "post.pt_br.md", "post.zh-hant.md"]
    assert front(content / "post.pt_br.md")["lang"] == "pt-br"
    assert front(content / "post.md")["translations"] == front(content / "post.pt_br.md")["translations"] == [
        "en", "pt_br", "zh-hant"]
    status = runner.invoke(cli, ["status"])
    assert status.output.splitlines()[0].split() == ["ARTICLE", "WORDS", "pt_br", "zh-hant"]
    assert "content/post.md" in status.output and "machine" in status.output
    # a rerun finds the siblings by their keys: nothing to do
    assert ": 2 unchanged (" in translate(runner).output


def test_hugo_builds_the_languages_linked_as_translations(runner, hugo_languages):
    need("hugo")
    (hugo_languages / "layouts" / "_default").mkdir(parents=True)
    for name in ("single.html", "list.html"):
        (hugo_languages / "layouts" / "_default" / name).write_text(LAYOUT, encoding="utf-8")
    assert translate(runner).exit_code == 0
    built = subprocess.run(["hugo", "--quiet"], cwd=hugo_languages, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    public = hugo_languages / "public"
    pt = (public / "pt_br" / "post" / "index.html").read_text(encoding="utf-8")
    zh = (public / "zh-hant" / "post" / "index.html").read_text(encoding="utf-8")
    en = (public / "post" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="pt-BR">' in pt and "⟦" in pt
    assert "⟦" in zh and '<a href="/post/" hreflang="en">English</a>' in zh
    assert '<a href="/pt_br/post/" hreflang="pt_br">Português</a>' in en
    assert '<a href="/zh-hant/post/" hreflang="zh-hant">繁體中文</a>' in en
    assert "⟦" not in en  # no translation published as part of the English site


def test_a_language_the_site_does_not_define_writes_nothing(runner, hugo_languages):
    before = sorted(p.name for p in (hugo_languages / "content").iterdir())
    for wrong in ("fr", "es_ES"):
        result = runner.invoke(cli, ["translate", "--to", wrong])
        assert result.exit_code == 2, result.output
        assert "is not a language of this site (it has en, pt_br, zh-hant)" in result.output
        assert "hugo.toml" in result.output
    # a region of a language the site has: perhaps the site's own was meant
    result = runner.invoke(cli, ["translate", "--to", "pt_PT"])
    assert result.exit_code == 2 and "pt-pt is not a language of this site" in result.output
    assert "did you mean pt_br? Else add it to the Hugo config" in result.output
    result = runner.invoke(cli, ["translate", "--to", "fr"])
    assert "did you mean" not in result.output
    # the lines to add, ready to paste
    assert "    [languages.fr]\n    languageName = \"Français\"\n    weight = 4\n" in result.output
    assert sorted(p.name for p in (hugo_languages / "content").iterdir()) == before
    for command in (["status", "--to", "fr"], ["build", "--to", "fr"], ["check", "--to", "fr"]):
        assert runner.invoke(cli, command).exit_code == 2, command


def test_the_source_language_is_no_target(runner, hugo_languages):
    result = runner.invoke(cli, ["translate", "--to", "en"])
    assert result.exit_code == 2
    assert "en is the source language of this site" in result.output


def test_a_hugo_site_of_one_language_is_told_how_to_add_another(runner, site):
    (site / "hugo.yaml").write_text("title: One\n", encoding="utf-8")
    (site / "content" / "post.md").write_text(ARTICLE, encoding="utf-8")
    result = runner.invoke(cli, ["translate", "--to", "es", "--engine", "pseudo"])
    assert result.exit_code == 2
    assert "es is not a language of this site (it has en)" in result.output
    assert "    languages:\n      en:\n        languageName: English\n        weight: 1\n      es:\n" in result.output
    assert not (site / "content" / "post.es.md").exists()


def test_unknown_codes_get_the_nearest_known_ones(runner, site):
    result = runner.invoke(cli, ["translate", "--to", "spanish"])
    assert result.exit_code == 2
    assert "unknown language code 'spanish'; did you mean es" in result.output
    with pytest.raises(ConfigError, match="did you mean fr"):
        config.load(site).resolve_targets("frnch")


def test_without_a_hugo_config_any_code_is_a_language(runner, site):
    (site / "content" / "post.md").write_text(ARTICLE, encoding="utf-8")
    result = translate(runner, "--to", "pt-BR", "--engine", "pseudo")
    assert result.exit_code == 0, result.output
    assert (site / "content" / "post.pt-br.md").is_file()


@pytest.mark.parametrize("toml, message", [
    ('[shortcodes]\ndetails = 3\n', r"\[shortcodes.details\] must be a table"),
    ('[shortcodes.details]\ntranslat = ["summary"]\n', "unknown setting shortcodes.details.translat"),
    ('[shortcodes.details]\ntranslate = "summary"\n', "shortcodes.details.translate must be a list of strings"),
])
def test_shortcode_tables_are_checked(site, toml, message):
    (site / "l10n.toml").write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        config.load(site)


def test_a_shortcode_table_replaces_the_global_parameters_for_that_shortcode(site):
    (site / "l10n.toml").write_text('[shortcodes.details]\ntranslate = ["label"]\n', encoding="utf-8")
    options = config.load(site).markdown_options()
    doc = markdown.parse('{{< details summary="Kept as it is" label="Read more" >}}\n{{< note title="A title" >}}\n', options=options)
    assert sorted((s.key, s.text) for s in doc.segments()) == [("label", "Read more"), ("title", "A title")]


@pytest.mark.parametrize("hugo, own, kind, keep", [
    ("", "", "github", True),
    ('[markup.goldmark.parser]\nautoHeadingIDType = "github-ascii"\n', "", "github-ascii", True),
    ('[markup.goldmark.parser]\nautoHeadingIDType = "blackfriday"\n', 'anchors = "translate"\n', "blackfriday", False),
    ('[markup.goldmark.parser]\nautoHeadingID = false\n', "", "", False),
    ('[markup.goldmark.parser.attribute]\ntitle = false\n', "", "github", False),
    (None, "", "github", False),  # no Hugo config: {#id} may mean nothing to the site's generator
    (None, 'anchors = "keep"\n', "github", True),
])
def test_heading_ids_follow_the_hugo_config(site, hugo, own, kind, keep):
    if hugo is not None:
        (site / "hugo.toml").write_text('title = "x"\n' + hugo, encoding="utf-8")
    (site / "l10n.toml").write_text(own, encoding="utf-8")
    options = config.load(site).markdown_options()
    assert (options.heading_ids, options.keep_ids) == (kind, keep)


def test_anchors_takes_keep_or_translate(site):
    (site / "l10n.toml").write_text('anchors = "slug"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match='anchors must be "keep" or "translate"'):
        config.load(site)


def test_each_server_engine_gets_its_own_section(tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "l10n.toml").write_text('[argos]\nbeam_size = 1\n[libretranslate]\nurl = "http://a:5000"\n'
                                        '[openai]\nurl = "http://b:8000/v1"\nmodel = "m"\n', encoding="utf-8")
    from l10n import engines

    cfg = config.load(tmp_path)
    assert engines.options_for("libretranslate", cfg.engine_options) == {"beam_size": 1, "url": "http://a:5000"}
    assert engines.options_for("openai", cfg.engine_options) == {"beam_size": 1, "url": "http://b:8000/v1",
                                                                  "model": "m"}
    (tmp_path / "l10n.toml").write_text('[openai]\nurl = 5\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="openai.url"):
        config.load(tmp_path)


@pytest.mark.parametrize("key", ["..", "a/b", "../../pwn", "es/../..", ".hidden", "x y"])
def test_a_language_key_that_is_a_path_is_refused(runner, site, key):
    (site / "hugo.toml").write_text(f'defaultContentLanguage = "en"\n[languages.en]\n[languages."{key}"]\n', encoding="utf-8")
    (site / "l10n.toml").write_text('layout = "dir"\n', encoding="utf-8")
    (site / "content" / "README.md").write_text("Words of a page.\n", encoding="utf-8")
    (site / "README.md").write_text("The project's own readme.\n", encoding="utf-8")
    for layout in ("dir", "suffix"):
        result = invoke(runner, "translate", "--force", "--layout", layout)
        assert result.exit_code == 2, result.output
        assert result.output.count("\n") == 1 and "hugo.toml" in result.output and "not a language tag" in result.output
    assert (site / "README.md").read_text() == "The project's own readme.\n"
