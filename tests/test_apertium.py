"""The Apertium engine: a real rule-based engine that reorders words and gives no alignment."""

from __future__ import annotations

import re

import pytest
from conftest import need
from helpers import assert_same_structure, translate_text

from l10n import markdown
from l10n.engines.apertium import ApertiumEngine
from l10n.errors import ConfigError, EngineError
from l10n.markdown import plain
from l10n.translate import translate_documents


@pytest.fixture(scope="module")
def apertium():
    need("apertium")
    engine = ApertiumEngine()
    if ("en", "es") not in engine.pairs():
        pytest.fail("no eng-spa pair (Debian: apt-get install apertium-eng-spa; .ci/run installs it)")
    return engine


def words_of(text: str) -> str:
    """Rendered Markdown's words, markup taken out."""
    text = re.sub(r"\]\([^)]*\)|<[^>]+>|\[\^\w+\]", "", text)
    return " ".join(re.sub(r"[*_`\[\]]", "", text).split())


def test_pairs_are_found_in_the_modes_folder(apertium):
    pairs = apertium.pairs()
    assert pairs[("en", "es")] == "eng-spa" and pairs[("es", "en")] == "spa-eng"
    assert apertium.translate_batch(["The big black dog.", "", "Fork"], "en", "es") == ["El perro negro grande.", "", "Tenedor"]
    assert apertium.model_for("en", "es").startswith("eng-spa ")


def test_a_missing_pair_names_the_debian_package(apertium, tmp_path):
    with pytest.raises(EngineError, match="apt-get install apertium-eng-deu"):
        apertium.check_pair("en", "de")
    empty = ApertiumEngine(modes_dir=tmp_path)
    with pytest.raises(EngineError, match="no Apertium pair for en->es"):
        empty.translate_batch(["Hello."], "en", "es")


def test_markup_follows_the_reordered_words(apertium):
    doc = markdown.parse("We have a *big black* dog and a **red** car.\n")
    notices = translate_documents([doc], apertium, "en", "es")
    out = doc.render()
    # adjectives move after the noun; the emphasis goes with them
    assert "perro *negro grande*" in out and "coche **rojo**" in out, out
    assert notices == []


def test_the_words_are_the_engines_translation_of_the_plain_sentence(apertium):
    """The markup tax is nil: strip the markup from the output and what is left is
    exactly what Apertium makes of the sentence sent without markup."""
    text = ("Press the `Fork` button, then open the [module layouts](/x) screen.\n\n"
            "The <b>big black</b> dog sleeps in the **old** house with a _small_ cat.\n")
    doc = markdown.parse(text)
    expected = [apertium.translate_batch([plain.plain(seg).text], "en", "es")[0] for seg in doc.segments()]
    translate_documents([doc], apertium, "en", "es")
    for seg, want in zip(doc.segments(), expected):
        got = words_of(seg.render())
        # a code span's stand-in is put back as the code itself: compare without it
        assert got.replace("Fork", "Tenedor") == want.replace("Fork", "Tenedor"), (got, want)
    out = doc.render()
    assert "`Fork`" in out and "](/x)" in out and "<b>" in out and "</b>" in out


def test_real_pages_keep_their_structure(apertium):
    from conftest import hugodocs_files

    for path in hugodocs_files()[:40:4]:
        text = path.read_text(encoding="utf-8")
        out, _notices = translate_text(text, apertium)
        assert_same_structure(text, out, str(path))


def test_the_engine_is_chosen_by_name(apertium, runner, site):
    from l10n.cli import cli

    (site / "content" / "post.md").write_text("---\ntitle: The black dog\n---\n\nThe **big** dog sleeps.\n", encoding="utf-8")
    result = runner.invoke(cli, ["translate", "--to", "es", "--engine", "apertium", "--from", "en"])
    assert result.exit_code == 0, result.output
    out = (site / "content" / "post.es.md").read_text(encoding="utf-8")
    assert "title: El perro negro" in out and "**" in out
    bad = runner.invoke(cli, ["translate", "--to", "de", "--engine", "apertium", "--from", "en"])
    assert bad.exit_code == ConfigError.exit_code and "apertium-eng-deu" in bad.output
