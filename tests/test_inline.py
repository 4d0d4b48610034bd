"""Putting translations back: tags checked, text escaped, lines rewrapped."""

from __future__ import annotations

import pytest

from l10n import markdown
from l10n.markdown import tags
from l10n.translate import make_verifier


def segment(text: str):
    doc = markdown.parse(text)
    segs = [s for s in doc.segments() if s.kind != "title"]
    assert len(segs) == 1
    return doc, segs[0]


def apply(text: str, output: str) -> str | None:
    doc, seg = segment(text)
    if not tags.apply_translation(seg, output, make_verifier(doc.env)):
        return None
    return doc.render()


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


def test_emphasis_that_would_not_parse_is_refused():
    # '**«hola»**mundo': the closing ** is not right-flanking, so no emphasis
    assert apply("The **big**word here.\n", "El <g1>«grande»</g1>mundo aquí.") is None


def test_engine_text_that_looks_like_markup_is_escaped():
    out = apply("Plain text here.\n", "# Not *a* heading_ [link](x) <b> `code` | 1. {{< sc >}} $a$ $b$ {#id}")
    assert out == "\\# Not \\*a\\* heading\\_ \\[link\\](x) \\<b> \\`code\\` | 1. {\\{< sc >}} \\$a\\$ \\$b\\$ \\{#id}\n"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1. item", "1\\. item"),
        ("- dash", "\\- dash"),
        ("+ plus", "\\+ plus"),
        ("> quote", "\\> quote"),
        ("# hash", "\\# hash"),
        (": colon", "\\: colon"),
        ("plain", "plain"),
    ],
)
def test_line_start_markers_are_escaped(text, expected):
    assert apply("Some text here.\n", text) == expected + "\n"


def test_cells_escape_pipes_and_keep_the_row():
    doc = markdown.parse("| a | b |\n|---|---|\n| one | two |\n")
    segs = list(doc.segments())
    for seg in segs:
        assert tags.apply_translation(seg, "x|y", None)
    assert doc.render() == "| x\\|y | x\\|y |\n|---|---|\n| x\\|y | x\\|y |\n"


def test_rewrap_keeps_line_count_and_prefixes():
    src = "> one two three\n> four five six\n> seven eight nine\n"
    out = apply(src, "uno dos tres cuatro cinco seis siete ocho nueve diez")
    lines = out.split("\n")
    assert len(lines) == 4 and lines[-1] == ""
    assert all(line.startswith("> ") for line in lines[:3])
    assert " ".join(line[2:] for line in lines[:3]) == "uno dos tres cuatro cinco seis siete ocho nueve diez"


def test_rewrap_escapes_markers_at_new_line_starts():
    out = apply("aaaa bbbb\ncccc dddd\n", "aaaa bbbb - cccc dddd")
    assert "\n\\- cccc" in out or "\n-" not in out


def test_collapsed_reference_link_keeps_its_label():
    src = "See [the guide][] now.\n\n[the guide]: https://example.com\n"
    assert apply(src, "Vea <g1>la guía</g1> ahora.").startswith("Vea [la guía][the guide] ahora.\n")


def test_fragments_fallback_keeps_markup_in_place():
    doc, seg = segment("The **red** car is [here](/x).\n")
    assert tags.fragments(seg) == ["The", "red", "car is", "here"]
    assert tags.apply_fragments(seg, ["El", "rojo", "coche es", "aquí"], make_verifier(doc.env))
    assert doc.render() == "El **rojo** coche es [aquí](/x).\n"


def test_unchanged_output_keeps_source_bytes():
    src = "Keep &amp; \\*this\\* exactly\nas   it is.\n"
    doc, seg = segment(src)
    assert tags.apply_translation(seg, tags.engine_text(seg), None)
    assert doc.render() == src
