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
    exactly what Apertium makes of the sentence sent without markup, each code span
    in it a name (its stand-in put back as the code)."""
    text = ("Press the `Fork` button, then open the [module layouts](/x) screen.\n\n"
            "The <b>big black</b> dog sleeps in the **old** house with a _small_ cat.\n\n"
            "Disable the transformation performed by the `strings.Title` function.\n\n"
            "Reports whether the given field value is equal to `VALUE`.\n\n"
            "In a `hugo_cache_$USER` directory, see <https://gohugo.io/x> and (`[]any`) maps.\n")
    doc = markdown.parse(text)
    expected = []
    for seg in doc.segments():
        form = plain.plain(seg)
        want = apertium.translate_batch([form.text], "en", "es")[0]
        for name, code in sorted(form.names.items(), key=lambda item: -len(item[0])):
            assert want.count(name) == 1, (name, want)  # the engine copies a name as it is
            want = want.replace(name, code)
        expected.append(want)
    translate_documents([doc], apertium, "en", "es")
    for seg, want in zip(doc.segments(), expected):
        got = re.sub(r"<(https?://[^>]+)>", r"\1", seg.render())  # an autolink's words are its URL
        assert words_of(got) == words_of(want), (got, want)
    out = doc.render()
    assert "`Fork`" in out and "](/x)" in out and "<b>" in out and "</b>" in out
    # the words around code stay: none is lost, no translation of the code is left
    assert "`strings.Title` función" in out and "igual a `VALUE`." in out and "VALORAR" not in out
    assert "`hugo_cache_$USER` directorio" in out and "<https://gohugo.io/x>" in out and "(`[]any`)" in out


def test_spans_apart_in_the_source_take_different_words(apertium):
    """Apertium translates "which" and "how" alone both as "Qué": the first takes the
    word "qué", the second is not put on it too. "Go" becomes "ir", which nothing
    finds: it goes between the words that came through as they are ("Git", "1.18")."""
    doc = markdown.parse("The key controls _which_ settings are merged and _how_ they are merged.\n\n"
                         "You must install [Git](/g) and [Go](/go) 1.18 or later.\n")
    notices = translate_documents([doc], apertium, "en", "es")
    out = doc.render()
    assert "_qué_ encuadres están fusionados y _cómo_ están" in out, out
    assert "[Git](/g) e [ir](/go) 1.18 o más tarde." in out, out
    assert len(notices) == 2 and all("placed by position" in n.message for n in notices)  # and said so


def test_code_is_a_name_to_the_engine(apertium):
    """What the engine is sent: code and URLs as stand-ins it copies, nothing it could
    translate or take apart; a sentence of nothing but code is not sent at all."""
    sent: list[str] = []

    class Recording:
        model = "recording"

        def translate_batch(self, texts, source, target):
            sent.extend(texts)
            return apertium.translate_batch(texts, source, target)

    doc = markdown.parse("Set `draft` to `true` in `hugo.toml`. `hugo server --force`.\n\n"
                         "The X1 model and `x`.\n")
    translate_documents([doc], Recording(), "en", "es")
    assert sent == ["Set X1 to X2 in X3.", "The X1 model and Z1."], sent
    out = doc.render()
    assert "`draft`" in out and "`true`" in out and "`hugo.toml`." in out and " `hugo server --force`." in out
    assert "X1" in out and "Z1" not in out, out


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


def test_warnings_name_the_file_as_the_user_would_type_it(apertium, runner, site):
    """A notice of the engine (markup placed by position) names the file relative to the
    working folder, like every other line l10n prints, never its absolute path."""
    from l10n.cli import cli

    (site / "content" / "post.md").write_text(
        "---\ntitle: Settings\n---\n\nThe key controls _which_ settings are merged and _how_ they are merged.\n",
        encoding="utf-8")
    result = runner.invoke(cli, ["translate", "--to", "es", "--engine", "apertium", "--from", "en"])
    assert result.exit_code == 0, result.output
    assert "content/post.md:5: warning: " in result.output and "placed by position" in result.output
    assert str(site) not in result.output
