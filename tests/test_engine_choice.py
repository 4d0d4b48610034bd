"""Engines per language: each its own, --engine for a run, the environment over the file, one that cannot serve."""

from __future__ import annotations

import pytest
from helpers import cells, invoke, records, write

from l10n import config
from l10n.engine_choice import choose_engines

PAGE = "---\ntitle: Feed the starter\n---\n\nFeed the starter every morning, and keep it warm.\n"


@pytest.fixture
def three(site, monkeypatch):
    monkeypatch.delenv("L10N_ENGINE")
    (site / "l10n.toml").write_text('source = "en"\ntargets = ["es", "fr", "de"]\nengine = "pseudo"\n\n'
                                    '[languages.fr]\nengine = "reversing"\n\n[languages.de]\nengine = "copy"\n',
                                    encoding="utf-8")
    write(site / "content" / "post.md", PAGE)
    return site


def test_each_language_has_its_engine(runner, three):
    result = invoke(runner, "translate")
    assert result.exit_code == 0, result.output
    made = {k: r["engine"].split(":")[0] for k, r in records(three)["targets"].items()}
    assert made == {"content/post.es.md": "pseudo", "content/post.fr.md": "reversing", "content/post.de.md": "copy"}
    assert "pseudo:pseudo/1 (es)" in result.output and "copy:copy/1 (de)" in result.output


def test_a_one_off_engine_never_replaces_another_engines_translations(runner, three):
    assert invoke(runner, "translate").exit_code == 0
    before = {p.name: p.read_bytes() for p in (three / "content").glob("post.*.md")}
    result = invoke(runner, "translate", "--engine", "pseudo")  # layout QA, for once
    assert result.exit_code == 0, result.output
    assert "2 made by another engine left as they are (--replace replaces them)" in result.output
    assert {p.name: p.read_bytes() for p in (three / "content").glob("post.*.md")} == before
    result = invoke(runner, "build", "--engine", "copy")  # an error message once suggested it
    assert {p.name: p.read_bytes() for p in (three / "content").glob("post.*.md")} == before, result.output
    result = invoke(runner, "translate", "--engine", "pseudo", "--replace")
    assert result.exit_code == 0 and "post.fr.md: updated" in result.output
    assert {k: r["engine"].split(":")[0] for k, r in records(three)["targets"].items()}["content/post.fr.md"] == "pseudo"


def test_a_changed_configured_engine_remakes_its_languages_machine_translations(runner, three):
    assert invoke(runner, "translate").exit_code == 0
    (three / "l10n.toml").write_text((three / "l10n.toml").read_text().replace('engine = "reversing"', 'engine = "copy"'))
    result = invoke(runner, "translate")
    assert result.exit_code == 0 and "1 remade: the language's engine changed" in result.output, result.output
    assert "post.fr.md: updated: made by reversing" in result.output


def test_the_command_line_over_the_environment_over_the_file(three, monkeypatch):
    cfg = config.load(three)
    assert cfg.engine_for("fr") == "reversing" and cfg.engine_for("es") == "pseudo"
    monkeypatch.setenv("L10N_ENGINE", "copy")
    assert cfg.engine_for("fr") == "copy"
    assert cfg.with_options(engine="pseudo").engine_for("fr") == "pseudo"


def test_a_language_no_engine_can_serve_is_said_and_the_others_go_on(runner, three):
    (three / "l10n.toml").write_text((three / "l10n.toml").read_text().replace('engine = "copy"', 'engine = "argos"'))
    result = invoke(runner, "translate")
    assert result.exit_code == 2, result.output
    assert "de: " in result.output and "l10n models install" in result.output
    assert (three / "content" / "post.es.md").exists() and (three / "content" / "post.fr.md").exists()
    assert not (three / "content" / "post.de.md").exists()
    chosen = choose_engines(config.load(three), ["es", "fr", "de"])
    assert set(chosen.by_lang) == {"es", "fr"} and set(chosen.unusable) == {"de"}


def test_a_glossary_belongs_to_its_language(runner, site):
    (site / "l10n.toml").write_text('source = "en"\ntargets = ["es", "fr"]\n\n[glossary.es]\n"starter" = "masa madre"\n',
                                    encoding="utf-8")
    write(site / "content" / "post.md", "---\ntitle: Feed\n---\n\n| Step | What |\n| --- | --- |\n| 1 | Feed the starter |\n\n"
                                        "The starter came too.\n\n"
                                        'See {{< ref "starter-guide" >}} and [the guide](starter.md).\n')
    assert invoke(runner, "translate").exit_code == 0
    fr = (site / "content" / "post.fr.md").read_text(encoding="utf-8")
    assert "starter |" not in fr and "masa madre" not in fr  # French words, no Spanish glossary
    assert invoke(runner, "export", "--to", "fr", "-o", "fr.xlf").exit_code == 0
    xlf = (site / "fr.xlf").read_text(encoding="utf-8")
    assert "<source>Feed the starter</source>" in xlf and 'equiv-text="starter"' not in xlf
    assert invoke(runner, "export", "--to", "es", "-o", "es.xlf").exit_code == 0
    assert 'equiv-text="starter"' in (site / "es.xlf").read_text(encoding="utf-8")
    # a term inside a link target or a shortcode is no finding
    result = invoke(runner, "check", "--to", "es")
    assert "glossary" not in result.output, result.output
    assert cells(site)["content/post.es.md"].status == "machine"


def test_a_dry_run_needs_no_model(runner, three):
    (three / "l10n.toml").write_text((three / "l10n.toml").read_text().replace('engine = "copy"', 'engine = "argos"'))
    result = invoke(runner, "translate", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "content/post.de.md: would-create" in result.output
