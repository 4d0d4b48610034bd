"""``l10n detect`` on real files, and how translate and build agree with it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import EN, ES

from l10n.cli import cli


@pytest.fixture
def mixed_site(site):
    c = site / "content"
    (c / "good.md").write_text(f"---\nlang: en\n---\n\n{EN}\n\n{EN}\n", encoding="utf-8")
    (c / "wrong.md").write_text(f"---\ntitle: Collector\nlang:\n  - \"es\"\ntags: [x]\n---\n\n{EN}\n\n{EN}\n", encoding="utf-8")
    (c / "good.fr.md").write_text(f"{EN}\n\n{EN}\n", encoding="utf-8")  # a translation never translated
    (c / "short.md").write_text("---\nlang: en\n---\nHello world\n", encoding="utf-8")
    return site


def test_detect_json(runner, mixed_site):
    result = runner.invoke(cli, ["detect", "--json"])
    assert result.exit_code == 0
    rows = {Path(r["path"]).name: r for r in json.loads(result.stdout)}
    assert all(set(r) == {"path", "declared", "detected", "confidence", "status"} for r in rows.values())
    assert rows["good.md"]["status"] == "confirmed"
    assert (rows["wrong.md"]["declared"], rows["wrong.md"]["status"]) == ("es", "mismatch")
    assert rows["good.fr.md"]["status"] == "untranslated"
    assert rows["short.md"]["status"] == "undetermined"


def test_detect_check_exit_code(runner, mixed_site):
    assert runner.invoke(cli, ["detect", "--check"]).exit_code == 3
    (mixed_site / "content" / "wrong.md").unlink()
    (mixed_site / "content" / "good.fr.md").unlink()
    assert runner.invoke(cli, ["detect", "--check"]).exit_code == 0


def test_detect_fix_changes_only_lang_keeping_its_shape(runner, mixed_site):
    wrong = mixed_site / "content" / "wrong.md"
    before = wrong.read_text(encoding="utf-8")
    (mixed_site / "content" / "solo.de.md").write_text(f"{EN}\n\n{EN}\n", encoding="utf-8")
    result = runner.invoke(cli, ["detect", "--fix"])
    assert "mismatch (fixed)" in result.stdout
    assert wrong.read_text(encoding="utf-8") == before.replace('lang:\n  - "es"\n', 'lang:\n  - "en"\n')
    assert "the language comes from the file name" in result.stdout  # solo.de.md has no lang field
    assert runner.invoke(cli, ["detect", "--check", "content/wrong.md"]).exit_code == 0


def test_detect_reports_bad_files(runner, site):
    (site / "content" / "bad.md").write_bytes(b"---\ntitle: [x\n---\n")
    (site / "content" / "ok.md").write_text(f"{EN}\n", encoding="utf-8")
    result = runner.invoke(cli, ["detect"])
    assert result.exit_code == 1
    assert "l10n: content/bad.md:3: error: invalid YAML front matter" in result.output
    assert "content/ok.md" in result.stdout


def test_translate_skips_a_confidently_mislabelled_article(runner, mixed_site):
    result = runner.invoke(cli, ["translate", "--to", "de"])
    assert "content/wrong.md:3: skipped: declared es, but the text reads as en" in result.output
    assert not (mixed_site / "content" / "wrong.de.md").exists()
    assert (mixed_site / "content" / "good.de.md").exists()
    result = runner.invoke(cli, ["translate", "--to", "de", "--trust-declared"])
    assert (mixed_site / "content" / "wrong.de.md").exists()


def test_translate_detects_an_undeclared_source(runner, site):
    (site / "content" / "nota.md").write_text(f"---\ntitle: Nota\ntranslations: []\n---\n\n{ES}\n", encoding="utf-8")
    result = runner.invoke(cli, ["translate", "--to", "es,fr"])
    assert result.exit_code == 0
    assert not (site / "content" / "nota.es.md").exists()  # it is Spanish already
    assert "translations: [es, fr]" in (site / "content" / "nota.fr.md").read_text(encoding="utf-8")


def test_fix_keeps_comments_and_shape(runner, site):
    c = site / "content"
    (c / "a.md").write_text(f"---\nlang:\n  - es # Spanish\ntitle: A\n---\n\n{EN}\n\n{EN}\n", encoding="utf-8")
    (c / "b.md").write_text(f"---\nlang: [ \"es\" ]\n---\n\n{EN}\n\n{EN}\n", encoding="utf-8")
    (c / "c.es.md").write_text(f"---\nlang: \"\"\n---\n\n{EN}\n\n{EN}\n", encoding="utf-8")
    result = runner.invoke(cli, ["detect", "--fix"])
    assert (c / "a.md").read_text().startswith("---\nlang:\n  - en # Spanish\ntitle: A\n")
    assert (c / "b.md").read_text().startswith('---\nlang: [ "en" ]\n')
    assert (c / "c.es.md").read_text().startswith('---\nlang: ""\n')  # its language comes from its name
    assert "the language comes from the file name" in result.stdout


@pytest.mark.parametrize("value", ["42", "true", "xx-notalang"])
def test_detect_rejects_unknown_codes(runner, site, value):
    path = site / "content" / "a.md"
    path.write_text(f"---\ntitle: A\nlang: {value}\n---\n\n{EN}\n\n{EN}\n", encoding="utf-8")
    before = path.read_bytes()
    result = runner.invoke(cli, ["detect", "--fix"])
    assert result.exit_code == 1
    assert "content/a.md:3: error: lang: unknown language code" in result.output
    assert path.read_bytes() == before


def test_translate_agrees_with_detect_on_a_mixed_page(runner, site):
    (site / "content" / "m.md").write_text("---\nlang: es\n---\n\n" + "\n\n".join([ES] * 7 + [EN] * 3) + "\n")
    result = runner.invoke(cli, ["translate", "--to", "fr"])
    assert "skipped" not in result.output and (site / "content" / "m.fr.md").exists()


def test_dir_layout_folders_declare_languages(runner, site):
    (site / "l10n.toml").write_text('layout = "dir"\n', encoding="utf-8")
    (site / "content" / "en").mkdir()
    (site / "content" / "es").mkdir()
    (site / "content" / "en" / "a.md").write_text(f"{EN}\n\n{EN}\n", encoding="utf-8")
    (site / "content" / "es" / "a.md").write_text(f"{EN}\n\n{EN}\n", encoding="utf-8")
    rows = {r["path"]: r for r in json.loads(runner.invoke(cli, ["detect", "--json"]).stdout)}
    assert rows["content/en/a.md"]["status"] == "confirmed"
    assert rows["content/es/a.md"]["status"] == "untranslated"


def test_detect_status_and_build_agree_on_what_l10n_wrote(runner, site):
    """Pseudo text is in no language: detect neither reports it as a mismatch nor --fix
    rewrites its lang, and agrees with build and status, which call it machine."""
    (site / "l10n.toml").write_text('targets = ["fr"]\nengine = "pseudo"\n', encoding="utf-8")
    (site / "content" / "post.md").write_text(f"---\nlang: en\n---\n\n{EN}\n\n{EN}\n", encoding="utf-8")
    assert runner.invoke(cli, ["translate"]).exit_code == 0
    target = site / "content" / "post.fr.md"
    made = target.read_bytes()
    result = runner.invoke(cli, ["detect", "--check", "--json"])
    assert result.exit_code == 0, result.output
    rows = {Path(r["path"]).name: r for r in json.loads(result.stdout)}
    assert rows["post.fr.md"]["status"] == "undetermined" and rows["post.md"]["status"] == "confirmed"
    assert "l10n wrote it with pseudo" in runner.invoke(cli, ["detect"]).stdout
    assert runner.invoke(cli, ["detect", "--fix"]).exit_code == 0
    assert target.read_bytes() == made
    assert runner.invoke(cli, ["status", "--check"]).exit_code == 0
    assert runner.invoke(cli, ["build"]).exit_code == 0
    # a person who rewrites it in English is judged again
    target.write_text(f"---\nlang: fr\n---\n\n{EN}\n\n{EN}\n", encoding="utf-8")
    rows = {Path(r["path"]).name: r for r in json.loads(runner.invoke(cli, ["detect", "--json"]).stdout)}
    assert rows["post.fr.md"]["status"] == "untranslated"


def test_fix_never_rewrites_a_file_l10n_wrote(runner, site):
    # a Spanish page declared English, translated as declared: its German copy reads as Spanish
    (site / "content" / "post.md").write_text(f"---\nlang: en\n---\n\n{ES}\n\n{ES}\n", encoding="utf-8")
    assert runner.invoke(cli, ["translate", "--to", "de", "--engine", "copy", "--trust-declared"]).exit_code == 0
    target = site / "content" / "post.de.md"
    made = target.read_bytes()
    result = runner.invoke(cli, ["detect", "--fix"])
    assert target.read_bytes() == made
    assert "post.de.md" in result.stdout and "l10n wrote it as this language's translation" in result.stdout
