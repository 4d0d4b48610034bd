"""The engines every install has: copy and pseudo (l10n/engines/basic.py)."""

from __future__ import annotations

from l10n.engines.basic import CopyEngine, PseudoEngine


def test_pseudo_is_deterministic_expanded_and_keeps_tags():
    engine = PseudoEngine()
    text = "Read the <g1>manual</g1> before <x1/> you start."
    out = engine.translate_batch([text], "en", "xx")[0]
    assert out == engine.translate_batch([text], "en", "xx")[0]
    assert out.startswith("⟦") and out.endswith("⟧")
    assert "<g1>" in out and "</g1>" in out and "<x1/>" in out
    visible = len(text.replace("<g1>", "").replace("</g1>", "").replace("<x1/>", ""))
    shown = len(out.replace("<g1>", "").replace("</g1>", "").replace("<x1/>", ""))
    assert 1.3 <= shown / visible <= 1.45
    assert not any(c.isascii() and c.isalpha() for c in out.replace("<g1>", "").replace("</g1>", "").replace("<x1/>", ""))


def test_copy_gives_the_source_text_each_word_to_itself():
    engine = CopyEngine()
    texts = ["Read the manual.", ""]
    assert engine.translate_batch(texts, "en", "es") == texts
    assert engine.translate_aligned(["Read the manual."], "en", "es") == [("Read the manual.", [(0, 0), (1, 1), (2, 2)])]


def test_pseudo_leaves_blank_text_and_aligns_word_for_word():
    engine = PseudoEngine()
    assert engine.pseudo("  \n") == "  \n"
    assert engine.pseudo("Hi") == "⟦Ĥîî⟧"  # already 35% longer: no padding
    [(out, pairs)] = engine.translate_aligned(["Read the manual."], "en", "xx")
    assert out == engine.pseudo("Read the manual.") and pairs == [(0, 0), (1, 1), (2, 2)]
