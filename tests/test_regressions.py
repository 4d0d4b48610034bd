"""Cases a review found: each once lost or damaged data, or broke markup."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

from helpers import assert_same_structure, translate_text
from l10n import engines
from l10n.cli import cli
from l10n.engines.basic import PseudoEngine
from l10n.commands.translate import TranslateOptions, run_translate


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def translate(runner, *args):
    return runner.invoke(cli, ["translate", *args], catch_exceptions=False)


def test_translations_of_a_deleted_source_are_left_alone(runner, site):
    src = write(site / "content" / "post.md", "---\ntitle: Hello\ntranslations: [en]\n---\nText.\n")
    translate(runner, "--to", "es,fr")
    es, fr = (site / "content" / "post.es.md").read_bytes(), (site / "content" / "post.fr.md").read_bytes()
    src.unlink()
    result = translate(runner, "--to", "es,fr")
    assert result.exit_code == 0
    assert "which no longer exists" in result.output
    assert (site / "content" / "post.es.md").read_bytes() == es
    assert (site / "content" / "post.fr.md").read_bytes() == fr


def test_a_translation_without_original_is_a_source_and_its_outputs_stay_translations(runner, site):
    write(site / "content" / "solo.es.md", "---\nlang: es\n---\nHola.\n")
    translate(runner, "--to", "fr")
    made = (site / "content" / "solo.fr.md").read_bytes()
    result = translate(runner, "--to", "fr,es", "--force")
    assert result.exit_code == 0
    assert (site / "content" / "solo.es.md").read_text(encoding="utf-8") == "---\nlang: es\n---\nHola.\n"
    assert (site / "content" / "solo.fr.md").read_bytes().startswith(b"---\nlang: fr\n")
    assert made.startswith(b"---\nlang: fr\n")


def test_dir_layout_from_the_content_folder(runner, site):
    write(site / "l10n.toml", 'layout = "dir"\n')
    write(site / "content" / "en" / "post.md", "---\ntitle: Hello\ntranslations: [en]\n---\nText.\n")
    translate(runner, "--to", "es")
    translate(runner, "--to", "fr")
    found = sorted(str(p.relative_to(site)) for p in (site / "content").rglob("*.md"))
    assert found == ["content/en/post.md", "content/es/post.md", "content/fr/post.md"]
    for path in found:
        assert "translations: [en, es, fr]" in (site / path).read_text(encoding="utf-8")


def test_a_single_file_path_keeps_all_siblings(runner, site):
    write(site / "content" / "post.md", "---\ntitle: Hello\ntranslations: [en]\n---\nText.\n")
    translate(runner, "--to", "es,fr")
    fr = (site / "content" / "post.fr.md").read_bytes()
    assert translate(runner, "--to", "es", "content/post.md").exit_code == 0
    assert translate(runner, "--to", "fr", "content/post.es.md").exit_code == 0
    assert (site / "content" / "post.fr.md").read_bytes() == fr
    assert "translations: [en, es, fr]" in (site / "content" / "post.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "field, expected",
    [
        ("translations:\n", ["en", "es"]),
        ("translations: ~\n", ["en", "es"]),
        ('translations: ""\n', ["en", "es"]),
        ("translations: &t [en]\n", ["en", "es"]),
        ("translations: !!seq [en]\n", ["en", "es"]),
    ],
)
def test_odd_translations_values_become_valid_lists(runner, site, field, expected):
    src = write(site / "content" / "a.md", f"---\ntitle: A\n{field}---\nText.\n")
    assert translate(runner, "--to", "es").exit_code == 0
    for path in (src, site / "content" / "a.es.md"):
        data = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
        assert data["translations"] == expected, path.read_text()


def test_empty_lang_and_norwegian(runner, site):
    write(site / "content" / "a.md", "---\nlang:\n---\nText.\n")
    write(site / "content" / "b.md", "---\nlang: no\n---\nTekst.\n")
    assert translate(runner, "--to", "en,es").exit_code == 0
    assert yaml.safe_load((site / "content" / "a.es.md").read_text().split("---")[1])["lang"] == "es"
    assert (site / "content" / "b.en.md").exists()  # `no` is Norwegian, not false


def test_crlf_block_list_stays_crlf(runner, site):
    src = site / "content" / "a.md"
    src.write_bytes(b"---\r\ntitle: A\r\ntranslations:\r\n  - en\r\n---\r\nText.\r\n")
    translate(runner, "--to", "es,fr")
    for path in (src, site / "content" / "a.es.md"):
        data = path.read_bytes()
        assert b"\n" not in data.replace(b"\r\n", b""), data
        assert b"  - en\r\n  - es\r\n  - fr\r\n" in data


def test_alias_and_flow_mapping_values(runner, site):
    write(site / "content" / "a.md", "---\nbase: &b Hello\ntitle: *b\nparams: {description: Hello world}\n---\nText.\n")
    write(site / "l10n.toml", '[front_matter]\nkeys = ["title", "base", "params.description"]\n')
    assert translate(runner, "--to", "es").exit_code == 0
    data = yaml.safe_load((site / "content" / "a.es.md").read_text().split("---")[1])
    assert data["title"] == data["base"] != "Hello"
    assert set(data["params"]) == {"description"}


def test_interrupted_run_keeps_its_provenance(site):
    for i in range(3):
        write(site / "content" / f"p{i}.md", f"Text {i}.\n")
    import l10n.commands.translate as pipeline

    old = pipeline.CHUNK, pipeline.MIN_CHUNK
    pipeline.CHUNK = pipeline.MIN_CHUNK = 1
    try:
        with pytest.raises(KeyboardInterrupt):
            run_translate(TranslateOptions((site / "content",), "es", engine="interrupting", jobs=1))
    finally:
        pipeline.CHUNK, pipeline.MIN_CHUNK = old
    state = json.loads((site / ".l10n" / "state.json").read_text())
    assert list(state["targets"]) == ["content/p0.es.md"]
    report = run_translate(TranslateOptions((site / "content",), "es", engine="interrupting", jobs=1))
    assert not any(o.action == "skipped" for o in report.outcomes)


def test_source_edited_during_the_run_is_not_reverted(site, monkeypatch):
    src = write(site / "content" / "post.md", "---\ntitle: Hi\ntranslations: [en]\n---\nText.\n")
    original = PseudoEngine.translate_batch

    def slow_engine(self, texts, source, target):
        src.write_text(src.read_text() + "\nA paragraph written meanwhile.\n")
        return original(self, texts, source, target)

    monkeypatch.setattr(PseudoEngine, "translate_batch", slow_engine)
    report = run_translate(TranslateOptions((site / "content",), "es", jobs=1))
    assert "A paragraph written meanwhile." in src.read_text()
    assert any(o.reason == "changed during the run; run again" for o in report.outcomes)


def test_links_within_the_content_are_aliases_and_stay_links(runner, site):
    real = write(site / "content" / "real" / "post.md", "---\ntitle: Hi\ntranslations: [en]\n---\nText.\n")
    os.symlink(real, site / "content" / "alias.md")
    result = translate(runner, "--to", "es")
    assert result.output.count(": created") == 1
    assert os.path.islink(site / "content" / "alias.md")
    assert "translations: [en, es]" in real.read_text()


def test_writing_through_a_link_keeps_the_link(tmp_path):
    from l10n.write import write_atomic

    real = write(tmp_path / "real.md", "old")
    os.symlink(real, tmp_path / "link.md")
    assert write_atomic(tmp_path / "link.md", b"new")
    assert os.path.islink(tmp_path / "link.md") and real.read_text() == "new"


def test_settings_change_remakes_translations(runner, site):
    write(site / "content" / "a.md", "Hugo text.\n")
    translate(runner, "--to", "es")
    write(site / "l10n.toml", '[markdown]\ndo_not_translate = ["Hugo"]\n')
    result = translate(runner, "--to", "es")
    assert "settings changed" in result.output
    assert (site / "content" / "a.es.md").read_text().startswith("Hugo ⟦")


def test_state_lives_with_the_site_not_the_working_folder(runner, site, tmp_path_factory, monkeypatch):
    write(site / "content" / "a.md", "Text.\n")
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    monkeypatch.chdir(elsewhere)
    translate(runner, "--to", "es", str(site / "content"))
    assert (site / ".l10n" / "state.json").exists() and not (elsewhere / ".l10n").exists()


def test_damaged_state_file_is_one_line(runner, site):
    write(site / "content" / "a.md", "Text.\n")
    write(site / ".l10n" / "state.json", '{"version": 1, "sources": []}')
    result = translate(runner, "--to", "es")
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "state file is damaged" in result.output


def test_file_name_that_is_not_utf8(site):
    name = os.fsdecode(b"caf\xe9.md")
    with open(os.path.join(os.fsencode(site / "content"), b"caf\xe9.md"), "w") as handle:
        handle.write("Text.\n")
    write(site / "content" / "good.md", "Text.\n")
    report = run_translate(TranslateOptions((site / "content",), "es", jobs=1))
    assert [o.action for o in report.outcomes if name in o.path] == ["failed"]
    assert (site / ".l10n" / "state.json").exists() and (site / "content" / "good.es.md").exists()


@pytest.mark.parametrize(
    "text",
    [
        "1. Step one:\n\n   ```yaml\n   key: value {{%\n   param version %}}\n   other: thing\n   ```\n\n2. Step two.\n",
        "Wow\\![link](http://x.org) now.\n",
        "Clone <{{% param github_repo %}}>.\n",
    ],
)
def test_markup_cases(text):
    out, _ = translate_text(text, PseudoEngine())
    assert_same_structure(text, out)


def test_engine_dropping_spaces_does_not_fuse_code_spans():
    text = "Use `a` `b` now.\n"
    out, _ = translate_text(text, engines.load("spaceless"))
    assert_same_structure(text, out)


def test_overlapping_paths_name_an_article_once(runner, site):
    write(site / "content" / "post.md", "Some text here.\n")
    result = translate(runner, "--to", "es", "content", "content/post.md")
    assert result.exit_code == 0 and "changed during the run" not in result.output
    assert result.output.count("content/post.es.md: created") == 1


def test_two_originals_without_a_source_give_one_target(runner, site):
    write(site / "content" / "post.es.md", "---\nlang: es\n---\nHola.\n")
    write(site / "content" / "post.fr.md", "---\nlang: fr\n---\nBonjour.\n")
    first = translate(runner, "--to", "de")
    assert first.exit_code == 0 and "changed during the run" not in first.output
    assert translate(runner, "--to", "de").output.strip().endswith(")") and "skipped" not in translate(runner, "--to", "de").output


def test_dir_layout_refuses_a_path_inside_a_translation_folder(runner, site):
    write(site / "l10n.toml", 'layout = "dir"\n')
    write(site / "content" / "blog" / "post.md", "Text.\n")
    translate(runner, "--to", "es")
    result = translate(runner, "--to", "de", "content/es/blog/post.md")
    assert result.exit_code == 2 and "is in the es translations" in result.output
    assert not (site / "content" / "es" / "es").exists()


def test_glossary_forces_term_translations_for_every_engine(runner, site):
    write(site / "l10n.toml", '[glossary.es]\n"pull request" = "solicitud de cambios"\n')
    write(site / "content" / "a.md", "---\ntitle: Open a pull request\n---\n\nOpen a pull request on **GitHub**.\n")
    for engine in ("pseudo", "copy"):
        result = translate(runner, "--to", "es,fr", "--engine", engine, "--force")
        assert result.exit_code == 0, result.output
        es = (site / "content" / "a.es.md").read_text(encoding="utf-8")
        fr = (site / "content" / "a.fr.md").read_text(encoding="utf-8")
        assert es.count("solicitud de cambios") == 2 and "pull request" not in es, es
        assert fr.count("pull request") == 2  # no entry for French: the term stays as written
    write(site / "l10n.toml", '[glossary.es]\n"pull request" = "petición de cambios"\n')
    result = translate(runner, "--to", "es", "--engine", "copy")
    assert "settings changed" in result.output
    assert "petición de cambios" in (site / "content" / "a.es.md").read_text(encoding="utf-8")
