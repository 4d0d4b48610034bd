"""A segment as plain text for an engine, and its markup put back on the translated words (l10n/markdown/plain.py)."""

from __future__ import annotations

import pytest
from helpers import translate_text

from l10n import engines, markdown
from l10n.translate import translate_documents


def plain_words(text: str) -> str:
    """A rendered segment's words with the markup taken out, as the benchmark compares them."""
    import re

    text = re.sub(r"\]\([^)]*\)|\]\[[^\]]*\]|<[^>]+>|\{\{<.*?>\}\}|\[\^[^\]]+\]", " ", text)
    return " ".join(re.sub(r"[*_`\[\]]", "", text).split())


def test_the_engine_sees_whole_plain_sentences_and_never_fragments():
    engine = engines.load("reversing")
    engine.sent.clear()
    doc = markdown.parse("Press the `Fork` button, then read the [manage module layouts](/x) screen.\n"
                         "We **are** interested in <b>your</b> work.[^1]\n\n[^1]: A note.\n")
    translate_documents([doc], engine, "en", "es")
    # the code span is a name to the engine: a stand-in it copies as it is
    assert engine.sent == ["Press the X1 button, then read the manage module layouts screen.",
                           "We are interested in your work.", "A note."]


def test_an_engines_own_alignment_puts_each_span_on_the_words_it_became():
    doc = markdown.parse("The **big** dog ate [the bone](/b) and `foo` today.\n")
    translate_documents([doc], engines.load("reversing"), "en", "es")
    out = doc.render()
    # the words are the engine's translation of the plain sentence, word for word
    assert plain_words(out) == "today. foo and bone the ate dog big The"
    assert out == "today. `foo` and [bone the](/b) ate dog **big** The\n"


@pytest.mark.parametrize("engine", ["reversing", "hostile", "pseudo"])
def test_markup_on_a_line_of_its_own_keeps_its_line(engine):
    """A shortcode, tag or link alone on its line stays alone on a line, however
    the engine reorders the words around it: a reviewer's diff shows words, not moved lines."""
    text = ("This is line one.\n{{< vs 4 >}}\nThis is line two, and a longer one.\n\n"
            "Words before the tag.\n<br>\nWords after the tag.\n\n"
            "Text before the link\n[a link on its own line](https://example.org/)\nand the rest of it.\n")
    out, _notices = translate_text(text, engines.load(engine))
    lines = out.splitlines()
    assert "{{< vs 4 >}}" in lines and "<br>" in lines
    assert any(line.startswith("[") and line.endswith("](https://example.org/)") for line in lines), out
    assert len(lines) == len(text.splitlines())


def test_urls_are_names_and_emoji_codes_are_never_translated():
    doc = markdown.parse("See https://gohugo.io/docs and <https://x.org> :tada: now.\n\n| a | :x: |\n|---|---|\n"
                         "| Front matter | :heavy_check_mark: |\n")
    engine = engines.load("reversing")
    engine.sent.clear()
    translate_documents([doc], engine, "en", "es")
    assert engine.sent == ["See X1 and X2 now.", "a", "Front matter"]
    out = doc.render()
    assert "https://gohugo.io/docs" in out and "<https://x.org>" in out and ":tada:" in out
    assert "| :x: |" in out and ":heavy_check_mark:" in out


def test_math_is_a_name_so_the_sentence_keeps_its_noun():
    engine = engines.load("reversing")
    engine.sent.clear()
    doc = markdown.parse("Every page keeps its math, such as $E = mc^2$, as it is.\n")
    translate_documents([doc], engine, "en", "es")
    assert engine.sent == ["Every page keeps its math, such as X1, as it is."]
    assert "$E = mc^2$" in doc.render()
