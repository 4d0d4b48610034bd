"""A segment as plain text for an engine, and its markup put back on the translated words (l10n/markdown/plain.py)."""

from __future__ import annotations

import re

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


class Scripted:
    """An engine that answers from a script, whatever it is sent otherwise as it is."""

    memory = False

    def __init__(self, script: dict[str, str]):
        self.script, self.sent = script, []

    def translate_batch(self, texts, source, target):
        self.sent.extend(texts)
        return [self.script.get(t, t) for t in texts]


@pytest.mark.parametrize("source, sent, returned, expected", [
    # a name glued to a word: the word stays
    ("This is`x` and ok.\n", "This isX1 and ok.", "Esto esX1 y ok.", "Esto es`x` y ok.\n"),
    ("Use `x`s here.\n", "Use X1s here.", "USE X1S HERE.", "USE `x`S HERE.\n"),
    # a name the engine changed or repeated: the code once, where the name went, nothing left over
    ("Use `foo` now.\n", "Use X1 now.", "Use X1 X1 now.", "Use `foo` now.\n"),
    ("Use `foo` now.\n", "Use X1 now.", "use x1 now.", "use `foo` now.\n"),
    ("Use `foo` now.\n", "Use X1 now.", "Use X 1 now.", "Use `foo` now.\n"),
    ("Using $x$ values here.\n", "Using X1 values here.", "using x1 values here.", "using $x$ values here.\n"),
    # code glued to a number: the name stays a name
    ("The `int`32 type.\n", "The X1 32 type.", "El tipo X1 32.", "El tipo `int` 32.\n"),
    # a name lost: the code goes back between spaces, as it stood
    ("Use `foo` now.\n", "Use X1 now.", "Usa ahora.", None),
])
def test_names_the_engine_changed_repeated_or_lost(source, sent, returned, expected):
    engine = Scripted({sent: returned})
    doc = markdown.parse(source)
    notices = translate_documents([doc], engine, "en", "es")
    assert engine.sent[0] == sent
    out = doc.render()
    if expected is not None:
        assert out == expected, (out, notices)
    else:
        assert "`foo`" in out and " `foo` " in out or out.endswith(" `foo`.\n"), out
    assert not re.search(r"(?i)x\s?1\b", out.replace("`x`", "")), out  # no stand-in is left in the text
    if "X1 X1" in returned:
        assert any("more often than it was sent" in n.message for n in notices)


def test_a_values_url_the_engine_lost_goes_back_with_spaces():
    doc = markdown.parse("---\ntitle: Read https://x.org today\n---\n\nText.\n")
    notices = translate_documents([doc], Scripted({"Read X1 today": "Lee hoy"}), "en", "es")
    assert [n.line for n in notices] == [2] and "placed by position" in notices[0].message
    assert "title: Lee https://x.org hoy" in doc.render() or "title: Lee hoy https://x.org" in doc.render(), doc.render()
