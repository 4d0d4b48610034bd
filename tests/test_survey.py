"""A site opened: its settings, its articles, and what provenance says of each (l10n/survey.py)."""

from __future__ import annotations

import pytest
from helpers import edit, invoke

from l10n import markdown, survey
from l10n.errors import ConfigError, ContentError


def article(found: survey.Survey, name: str):
    return next(a for a, _layout in found.articles if a.source.name == name)


def test_a_site_is_its_root_settings_and_content_folder(blog):
    root, cfg, roots = survey.open_site()
    assert root.resolve() == blog.resolve() and list(cfg.targets) == ["es"]
    assert [p.resolve() for p in roots] == [(blog / "content").resolve()]
    assert sorted(a.source.name for a, _layout in survey.Survey(to="es").articles) == ["other.md", "post.md"]


def test_paths_that_do_not_exist_or_are_outside_the_site_are_refused(blog, tmp_path_factory):
    with pytest.raises(ConfigError, match="no such file or folder"):
        survey.open_site([blog / "content" / "nope.md"])
    outside = tmp_path_factory.mktemp("elsewhere") / "page.md"
    outside.write_text("Text.\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="is outside the site"):
        survey.open_site([blog / "content", outside])


def test_a_source_l10n_recorded_is_answered_from_hashes_and_a_changed_one_is_parsed(runner, blog):
    assert invoke(runner, "translate").exit_code == 0
    found = survey.Survey(to="es")
    assert found.source(article(found, "post.md")).doc is None  # provenance vouches for its bytes: not parsed
    edit(blog / "content" / "post.md", "Run it again:", "Run it a third time:")
    found = survey.Survey(to="es")
    src = found.source(article(found, "post.md"))
    assert src.doc is not None and src.lang == "en"


def test_a_lang_field_naming_no_language_is_an_error_at_its_line(blog):
    _root, cfg, _roots = survey.open_site()
    doc = markdown.parse("---\ntitle: T\nlang: klingonese\n---\n\nText.\n")
    with pytest.raises(ContentError, match="lang: unknown language code 'klingonese'") as err:
        survey.declared_language(doc, cfg, None, "content/t.md")
    assert (err.value.path, err.value.line) == ("content/t.md", 3)
    assert survey.declared_language(markdown.parse("---\nlang: es\n---\n\nTexto.\n"), cfg, None, None) == "es"
    assert survey.declared_language(markdown.parse("Texto.\n"), cfg, "es", None) == "es"  # the file name's
    assert survey.declared_language(markdown.parse("Text.\n"), cfg, None, None) is None


def test_paths_are_shown_relative_to_the_working_folder(blog):
    assert survey.shown(blog / "content" / "post.md") == "content/post.md"
    assert survey.shown("/elsewhere/page.md") == "/elsewhere/page.md"
