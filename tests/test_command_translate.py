"""``l10n translate`` end to end, on real files in temporary sites."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import CORPUS, EXAMPLE, hugodocs_files
from helpers import records, snapshot, translate, write

from l10n.cli import cli
from l10n.commands.translate import TranslateOptions, run_translate
from l10n.engines.basic import PseudoEngine

SLUG = EXAMPLE.stem


def run(runner, *args):
    result = runner.invoke(cli, ["translate", *args], catch_exceptions=False)
    return result


def front(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---", 2)[1])


def test_example_article_gets_siblings_with_lists_in_step(runner, example_site):
    result = run(runner, "--to", "es,fr", "content/")
    assert result.exit_code == 0, result.output
    source = example_site / "content" / f"{SLUG}.md"
    es = example_site / "content" / f"{SLUG}.es.md"
    fr = example_site / "content" / f"{SLUG}.fr.md"
    assert es.exists() and fr.exists()
    assert front(es)["lang"] == ["es"] and front(fr)["lang"] == ["fr"]
    assert front(source)["translations"] == front(es)["translations"] == front(fr)["translations"] == ["en", "es", "fr"]
    # the source changed in its translations list and nowhere else
    original = EXAMPLE.read_text(encoding="utf-8")
    assert source.read_text(encoding="utf-8") == original.replace(
        'translations:\n  - "en"\n', 'translations:\n  - "en"\n  - "es"\n  - "fr"\n'
    )
    text = es.read_text(encoding="utf-8")
    assert "⟦" in text and "(/world-news/trump-admin-ends-temporary-deportation-protection-for-350-000-venezuelans-125020400048_1.html)" in text
    assert 'date: "2025-02-11 09:45:32"' in text and "sidebar: \"right\"" in text


def test_second_run_writes_nothing_and_git_stays_clean(runner, example_site):
    assert run(runner, "--to", "es").exit_code == 0
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run([*git, "init", "-q"], cwd=example_site, check=True)
    subprocess.run([*git, "add", "-A"], cwd=example_site, check=True)
    subprocess.run([*git, "commit", "-qm", "first run"], cwd=example_site, check=True)
    before = snapshot(example_site)
    result = run(runner, "--to", "es")
    assert result.exit_code == 0
    assert "nothing to do" in result.output or "1 unchanged" in result.output
    assert snapshot(example_site) == before
    status = subprocess.run(["git", "status", "--porcelain"], cwd=example_site, capture_output=True, text=True, check=True)
    assert status.stdout == ""


def test_person_edited_translation_is_kept_until_force(runner, example_site):
    run(runner, "--to", "es")
    es = example_site / "content" / f"{SLUG}.es.md"
    edited = es.read_text(encoding="utf-8").replace("⟦", "⟦EDITED ", 1)
    es.write_text(edited, encoding="utf-8")
    source = example_site / "content" / f"{SLUG}.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nA new closing paragraph.\n", encoding="utf-8")
    result = run(runner, "--to", "es")
    assert result.exit_code == 0
    assert "skipped: edited" in result.output
    assert es.read_text(encoding="utf-8") == edited
    result = run(runner, "--to", "es", "--force")
    assert result.exit_code == 0 and "updated" in result.output
    assert "EDITED" not in es.read_text(encoding="utf-8")


def test_changed_source_regenerates_its_translation(runner, example_site):
    run(runner, "--to", "es")
    source = example_site / "content" / f"{SLUG}.md"
    source.write_text(source.read_text(encoding="utf-8").replace("Two Venezuelan planes", "Three Venezuelan planes"), encoding="utf-8")
    result = run(runner, "--to", "es")
    assert "updated: source changed" in result.output
    assert "Ţĥŕééé" in (example_site / "content" / f"{SLUG}.es.md").read_text(encoding="utf-8")


def test_new_language_later_updates_existing_siblings_only_in_their_list(runner, example_site):
    run(runner, "--to", "es")
    es = example_site / "content" / f"{SLUG}.es.md"
    before = es.read_text(encoding="utf-8")
    result = run(runner, "--to", "es,de")
    assert result.exit_code == 0
    after = es.read_text(encoding="utf-8")
    assert after == before.replace('  - "es"\ntags', '  - "de"\n  - "es"\ntags') or front(es)["translations"] == ["en", "de", "es"]
    assert front(es)["translations"] == ["en", "de", "es"]
    # an l10n-made file whose list changed is still l10n's, not a person's
    result = run(runner, "--to", "es,de")
    assert "skipped" not in result.output


def test_dir_layout(runner, site):
    (site / "content" / "en" / "blog").mkdir(parents=True)
    (site / "content" / "en" / "blog" / "post.md").write_text("---\ntitle: Hello\nlang: en\n---\nHello world.\n", encoding="utf-8")
    # Hugo reads a page outside a language's contentDir as the default language's (see test_hugo.py)
    (site / "hugo.toml").write_text('defaultContentLanguage = "en"\n[languages.en]\ncontentDir = "content/en"\n'
                                    '[languages.de]\ncontentDir = "content/de"\n', encoding="utf-8")
    result = run(runner, "--layout", "dir", "content/en")
    assert result.exit_code == 0, result.output
    target = site / "content" / "de" / "blog" / "post.md"
    assert target.exists()
    assert "lang: de\n" in target.read_text(encoding="utf-8")


def test_bundles_toml_no_front_matter_hidden_and_links(runner, site):
    content = site / "content"
    (content / "post").mkdir()
    (content / "post" / "index.md").write_text("+++\ntitle = 'Bundle'\n+++\nBundle text.\n", encoding="utf-8")
    (content / "_index.md").write_text("---\ntitle: Home\n---\n", encoding="utf-8")
    (content / "plain.md").write_text("Just *prose*, no front matter.\n", encoding="utf-8")
    (content / ".hidden").mkdir()
    (content / ".hidden" / "secret.md").write_text("Hidden.\n", encoding="utf-8")
    outside = site / "outside"
    outside.mkdir()
    (outside / "far.md").write_text("Far away.\n", encoding="utf-8")
    os.symlink(outside, content / "link")
    result = run(runner, "--to", "es")
    assert result.exit_code == 0, result.output
    assert (content / "post" / "index.es.md").read_text(encoding="utf-8").startswith("+++\ntitle = '⟦")
    assert (content / "_index.es.md").read_text(encoding="utf-8").startswith("---\ntitle: ⟦")
    assert (content / "plain.es.md").read_text(encoding="utf-8").startswith("⟦Ĵûûšţ *þŕööšéé*")
    assert not (content / ".hidden" / "secret.es.md").exists()
    assert not (outside / "far.es.md").exists()


def test_bad_input_is_reported_and_the_rest_is_done(runner, site):
    content = site / "content"
    (content / "good.md").write_text("Good text.\n", encoding="utf-8")
    (content / "yaml.md").write_text("---\ntitle: [oops\n---\nText.\n", encoding="utf-8")
    (content / "toml.md").write_text('+++\ntitle = "x\n+++\nText.\n', encoding="utf-8")
    (content / "latin1.md").write_bytes("First line.\nCaf\xe9.\n".encode("latin-1"))
    (content / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (content / "empty.md").write_bytes(b"")
    os.symlink(content / "missing-target.md", content / "dangling.md")
    (content / "badlang.md").write_text("---\nlang: klingon-x\n---\nText.\n", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in content.iterdir() if p.is_file()}
    result = run(runner, "--to", "es")
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("l10n: error:")]
    expected = {
        "content/yaml.md:3": "invalid YAML front matter",
        "content/toml.md:2": "invalid TOML front matter",
        "content/latin1.md:2": "invalid UTF-8",
        "content/binary.md:1": "binary file",
        "content/empty.md:1": "empty file",
        "content/dangling.md": "cannot read",
        "content/badlang.md:2": "lang: unknown language code",
    }
    assert len(errors) == len(expected), result.output
    assert all("\n" not in e for e in errors)
    assert "Illegal character '\\n'" in result.output
    for where, message in expected.items():
        assert any(f"error: {where}: failed: {message}" in e for e in errors), (where, errors)
    assert (content / "good.es.md").exists()
    for name in expected:
        stem = Path(name.split(":")[0]).stem
        assert not (content / f"{stem}.es.md").exists()
    for name, data in before.items():
        assert (content / name).read_bytes() == data


@pytest.mark.parametrize(
    "args, message",
    [
        (["--to", "es", "--engine", "nope"], "unknown engine 'nope'"),
        (["--to", "xx-nope"], "unknown language code 'xx-nope'"),
        ([], "no target language"),
        (["--to", "es", "missing/"], "no such file or folder"),
    ],
)
def test_usage_errors_exit_2(runner, example_site, args, message):
    result = run(runner, *args)
    assert result.exit_code == 2
    assert message in result.output
    assert len([l for l in result.output.splitlines() if l.startswith("l10n: error:")]) == 1


@pytest.mark.parametrize("engine, message", [("raising", "model exploded"), ("short", "returned 0 translations for 1 texts")])
def test_failing_engine_writes_nothing_for_its_files(runner, site, engine, message):
    (site / "content" / "a.md").write_text("Some text.\n", encoding="utf-8")
    result = run(runner, "--to", "es", "--engine", engine)
    assert result.exit_code == 1
    assert message in result.output
    assert not (site / "content" / "a.es.md").exists()
    assert "content/a.es.md" not in records(site)["targets"]


def test_dry_run_and_json(runner, example_site):
    before = snapshot(example_site)
    result = run(runner, "--to", "es", "--dry-run")
    assert result.exit_code == 0
    assert "would-create" in result.output
    assert snapshot(example_site) == before
    result = runner.invoke(cli, ["translate", "--to", "es", "--json"])
    data = json.loads(result.stdout)
    assert data["targets"] == ["es"] and data["counts"]["created"] == 1
    assert {f["action"] for f in data["files"]} == {"created", "updated"}


def test_copy_engine_over_hugodocs_reproduces_every_file(runner, site):
    shutil.copytree(CORPUS / "hugodocs", site / "content", dirs_exist_ok=True)
    result = run(runner, "--to", "de", "--engine", "copy")
    assert result.exit_code == 0, result.output[-2000:]
    sources = [p for p in (site / "content").rglob("*.md") if not p.name.endswith(".de.md")]
    assert len(sources) == len(hugodocs_files())
    for source in sources:
        target = source.with_name(source.stem + ".de.md")
        assert target.read_bytes() == source.read_bytes(), target


def test_summary_counts_translations_apart_from_translations_lists(runner, example_site):
    result = run(runner, "--to", "es,fr")
    assert result.exit_code == 0
    # one article: two translations made, its source's list updated
    assert ": 2 created; translations lists updated in 1 file (" in result.output
    again = run(runner, "--to", "es,fr")
    assert ": 2 unchanged (" in again.output
    summary = json.loads(run(runner, "--to", "es,fr,de", "--json").stdout)["counts"]
    assert summary == {"created": 1, "unchanged": 2, "lists updated": 3}


def test_a_translation_l10n_did_not_write_is_not_called_edited(runner, example_site):
    person = example_site / "content" / f"{SLUG}.de.md"
    person.write_text("---\ntitle: Von einer Person\nlang: de\n---\n\nVon Hand übersetzt.\n", encoding="utf-8")
    result = run(runner, "--to", "de")
    assert f"content/{SLUG}.de.md: skipped: not written by l10n (l10n review --approve adopts it" in result.output
    assert "edited" not in result.output
    status = runner.invoke(cli, ["status", "--to", "de"])
    assert "human" in status.output


def test_source_edited_during_the_run_is_not_reverted(site, monkeypatch):
    src = write(site / "content" / "post.md", "---\ntitle: Hi\ntranslations: [en]\n---\nText.\n")
    original = PseudoEngine.translate_aligned

    def slow_engine(self, texts, source, target):
        src.write_text(src.read_text() + "\nA paragraph written meanwhile.\n")
        return original(self, texts, source, target)

    monkeypatch.setattr(PseudoEngine, "translate_aligned", slow_engine)
    report = run_translate(TranslateOptions((site / "content",), "es", jobs=1))
    assert "A paragraph written meanwhile." in src.read_text()
    assert any(o.reason == "changed during the run; run again" for o in report.outcomes)


def test_settings_change_remakes_translations(runner, site):
    write(site / "content" / "a.md", "Hugo text.\n")
    translate(runner, "--to", "es")
    write(site / "l10n.toml", '[markdown]\ndo_not_translate = ["Hugo"]\n')
    result = translate(runner, "--to", "es")
    assert "settings changed" in result.output
    assert (site / "content" / "a.es.md").read_text().startswith("Hugo ⟦")


def test_file_name_that_is_not_utf8(site):
    name = os.fsdecode(b"caf\xe9.md")
    with open(os.path.join(os.fsencode(site / "content"), b"caf\xe9.md"), "w") as handle:
        handle.write("Text.\n")
    write(site / "content" / "good.md", "Text.\n")
    report = run_translate(TranslateOptions((site / "content",), "es", jobs=1))
    assert [o.action for o in report.outcomes if name in o.path] == ["failed"]
    assert "content/good.es.md" in records(site)["targets"] and (site / "content" / "good.es.md").exists()
