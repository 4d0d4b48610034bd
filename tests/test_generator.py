"""What every generator module shares: settings files read with a located error, language names, trees."""

from __future__ import annotations

from pathlib import Path

import pytest

from l10n import sites
from l10n.errors import ConfigError
from l10n.sites.generator import Tree, display_name, read_settings


def test_settings_files_and_their_errors(tmp_path: Path):
    (tmp_path / "a.toml").write_text('title = "x"\n[languages.es]\nweight = 2\n', encoding="utf-8")
    assert read_settings(tmp_path / "a.toml")["languages"] == {"es": {"weight": 2}}
    (tmp_path / "b.yaml").write_text("a: 1\nb: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        read_settings(tmp_path / "b.yaml")
    assert err.value.line is not None and "invalid configuration" in err.value.message
    (tmp_path / "c.toml").write_text('a = "x"\nb = \n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        read_settings(tmp_path / "c.toml")
    assert err.value.line == 2


def test_trees_and_names():
    tree = Tree("content/en", "content/{lang}", (("pt-br", "content/portugues"),))
    assert tree.folder("es") == "content/es" and tree.folder("pt-br") == "content/portugues"
    assert display_name("es") == "Español" and display_name("xx-unknown") == "xx-unknown"


def test_every_generator_is_recognised_by_its_own_config(tmp_path: Path):
    assert sites.recognise(tmp_path) is None
    for name, text, expected in (("mkdocs.yml", "site_name: x\n", "mkdocs"),
                                 ("docusaurus.config.js", "export default {};\n", "docusaurus"),
                                 ("hugo.toml", "title = 'x'\n", "hugo")):
        folder = tmp_path / expected
        folder.mkdir()
        (folder / name).write_text(text, encoding="utf-8")
        generator, path = sites.recognise(folder)
        assert generator.NAME == expected and path.name == name
    # config.toml is Hugo's older name, and Zola's (which has base_url)
    (tmp_path / "zola").mkdir()
    (tmp_path / "zola" / "config.toml").write_text('base_url = "https://example.org"\n', encoding="utf-8")
    assert sites.recognise(tmp_path / "zola") is None
    assert "docusaurus.config.ts" in sites.config_names() and "mkdocs.yml" in sites.config_names()
