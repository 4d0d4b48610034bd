"""The tagged form an engine sees (<g1>…</g1>, <x2/>) and its output read back (l10n/markdown/tags.py)."""

from __future__ import annotations

import pytest
from helpers import apply, segment

from l10n.markdown import tags


def test_aligned_translation_moves_markup_with_words():
    src = "The **red** car is [here](/x).\n"
    assert tags.engine_text(segment(src)[1]) == "The <g1>red</g1> car is <g2>here</g2>."
    assert apply(src, "El coche <g1>rojo</g1> está <g2>aquí</g2>.") == "El coche **rojo** está [aquí](/x).\n"


@pytest.mark.parametrize(
    "output",
    [
        "El coche rojo está aquí.",  # tags dropped
        "El <g1>coche</g1> <g1>rojo</g1> está <g2>aquí</g2>.",  # duplicated
        "El <g1>coche <g2>rojo</g1> está</g2> aquí.",  # crossed
        "El <grupo1>coche</grupo1> está <g2>aquí</g2>.",  # translated tag
        "El <g3>coche</g3> está <g2>aquí</g2>.",  # unknown tag
        "   ",  # empty
    ],
)
def test_misaligned_output_is_refused(output):
    assert apply("The **red** car is [here](/x).\n", output) is None


def test_spaces_inside_tags_move_outside():
    assert apply("A **bold** word.\n", "Una <g1> palabra </g1>audaz.") == "Una **palabra** audaz.\n"


def test_code_span_tag_is_tolerant_of_spacing():
    assert apply("Run `hugo` now.\n", "Ejecute < x1 / > ahora.") == "Ejecute `hugo` ahora.\n"


def test_unchanged_output_keeps_source_bytes():
    src = "Keep &amp; \\*this\\* exactly\nas   it is.\n"
    doc, seg = segment(src)
    assert tags.apply_translation(seg, tags.engine_text(seg), None)
    assert doc.render() == src
