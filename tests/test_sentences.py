"""Sentence splitting: abbreviations, numbers, quotes, and the corpus languages."""

from __future__ import annotations

import pytest

from l10n.sentences import join, split


@pytest.mark.parametrize(
    "text, sentences",
    [
        ("One. Two! Three? Four…", ["One.", "Two!", "Three?", "Four…"]),
        ("Use tools, e.g. Hugo. Then deploy.", ["Use tools, e.g. Hugo.", "Then deploy."]),
        ("Dr. Smith and Mr. Jones met J. R. R. Tolkien. They talked.", ["Dr. Smith and Mr. Jones met J. R. R. Tolkien.", "They talked."]),
        ("Pi is 3.14 and version 1.2.3 shipped. Good.", ["Pi is 3.14 and version 1.2.3 shipped.", "Good."]),
        ("The U.S. Army arrived. It left.", ["The U.S. Army arrived.", "It left."]),
        ('He said "Stop." Then he left. (Quietly.) Done.', ['He said "Stop."', "Then he left.", "(Quietly.)", "Done."]),
        ("It costs $5. 20 people came.", ["It costs $5.", "20 people came."]),
        ("lower case follows. no split here.", ["lower case follows. no split here."]),
        ("See <g1>the docs</g1>. <x1/> is next.", ["See <g1>the docs</g1>.", "<x1/> is next."]),
        ("Hola. ¿Qué tal? ¡Bien!", ["Hola.", "¿Qué tal?", "¡Bien!"]),
        ("Voir p. ex. la page. Ensuite, M. Dupont.", ["Voir p. ex. la page.", "Ensuite, M. Dupont."]),
        ("Das ist z.B. gut. Ja.", ["Das ist z.B. gut.", "Ja."]),
        ("Привет. Как дела? Хорошо.", ["Привет.", "Как дела?", "Хорошо."]),
        ("これはペンです。あれは本です。", ["これはペンです。", "あれは本です。"]),
        ("这是第一句。这是第二句！", ["这是第一句。", "这是第二句！"]),
        ("এটি একটি বাক্য। আরেকটি বাক্য।", ["এটি একটি বাক্য।", "আরেকটি বাক্য।"]),
        ("No full stop at the end", ["No full stop at the end"]),
    ],
)
def test_split(text, sentences):
    pieces = split(text)
    assert [s for s, _ in pieces] == sentences
    assert join(pieces) == text


def test_spacing_is_kept():
    text = "First.  Second.\nThird.   "
    assert split(text) == [("First.", "  "), ("Second.", "\n"), ("Third.", "   ")]
    assert join(split(text)) == text
