"""Content discovery: sources, siblings, orphans and the two layouts, on real folders."""

from __future__ import annotations

import os

from helpers import invoke, translate, write


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


def test_links_within_the_content_are_aliases_and_stay_links(runner, site):
    real = write(site / "content" / "real" / "post.md", "---\ntitle: Hi\ntranslations: [en]\n---\nText.\n")
    os.symlink(real, site / "content" / "alias.md")
    result = translate(runner, "--to", "es")
    assert result.output.count(": created") == 1
    assert os.path.islink(site / "content" / "alias.md")
    assert "translations: [en, es]" in real.read_text()


def test_a_translation_spelt_with_capitals_is_the_one_for_its_key(runner, site):
    """A person's post.pt-BR.md is the pt-br translation Hugo reads: l10n makes no post.pt-br.md beside it."""
    (site / "hugo.toml").write_text('defaultContentLanguage = "en"\n[languages.en]\nweight = 1\n'
                                    '[languages.pt-br]\nweight = 2\n', encoding="utf-8")
    write(site / "content" / "post.md", "---\ntitle: A\n---\n\nWords here.\n")
    write(site / "content" / "post.pt-BR.md", "---\ntitle: A\n---\n\nPalavras aqui.\n")
    result = invoke(runner, "translate", "--engine", "pseudo")
    assert "content/post.pt-BR.md: skipped: not written by l10n" in result.output
    assert sorted(p.name for p in (site / "content").iterdir()) == ["post.md", "post.pt-BR.md"]
