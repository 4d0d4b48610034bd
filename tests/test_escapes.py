"""Backslash escapes and character references as CommonMark reads them, and where a
reference is a letter of its word (translated with it) or markup kept as written."""

from __future__ import annotations

import pytest
from helpers import translate_text

from l10n import engines
from l10n.document import TEXT, VOID
from l10n.engines.basic import PseudoEngine
from l10n.markdown import escapes
from l10n.markdown.inline import plain_pieces, protect_pattern


@pytest.mark.parametrize("ref, real", [
    ("&copy;", True), ("&AElig;", True), ("&#35;", True), ("&#1234;", True), ("&#X22;", True), ("&#0;", True),
    ("&x;", False), ("&ThisIsNotDefined;", False), ("&#87654321;", False), ("&hi;", False), ("&nbsp", False),
])
def test_a_reference_is_a_number_of_7_digits_at_most_or_a_name_html5_defines(ref, real):
    assert [m.group(0) for m in escapes.references(ref)] == ([ref] if real else [])


@pytest.mark.parametrize("text, alone", [
    ("&AElig; &Dcaron;", True), ("(&frac34;)", True), ("caf&eacute;", False), ("&Eacute;cole", False),
    ("&#1234;&#1235;", True), ("x&#1234;&#1235;", False), ("&#1234;&#1235;y", False),
])
def test_a_reference_stands_alone_unless_a_letter_or_digit_touches_it(text, alone):
    first = next(escapes.references(text))
    assert escapes.stands_alone(text, first.start(), first.end()) is alone


def test_only_ampersands_that_would_read_as_references_are_escaped():
    assert escapes.escape_references("a &copy; b &x; c &#87654321; d &nbsp e &#35;") == \
        "a \\&copy; b &x; c &#87654321; d &nbsp e \\&#35;"
    assert escapes.decode_references("f&ouml;&ouml; &x;") == "föö &x;"


def test_a_title_keeps_its_references_and_escapes_as_written():
    plain = lambda text: plain_pieces(text, protect_pattern())  # noqa: E731
    pieces = escapes.value_pieces('say \\"hi\\" &copy; f&ouml;&ouml; \\&amp;', plain, title=True)
    assert [(p.kind, p.src) for p in pieces if p.kind == VOID] == [(VOID, '\\"'), (VOID, '\\"'), (VOID, "&copy;"),
                                                                   (VOID, "\\&")]
    assert "föö" in [p.text for p in pieces if p.kind == TEXT]  # a letter of its word: decoded
    attribute = escapes.value_pieces("Caf&eacute; &amp; more &mdash; &quot;x&quot;", plain, title=False)
    assert [p.src for p in attribute if p.kind == VOID] == ["&amp;", "&mdash;", "&quot;", "&quot;"]


# The rule the README states: a reference for a letter that touches its word is part of
# the word, and comes out as the character when the word is translated; every other one
# is kept exactly as written, whatever the engine does around it.
@pytest.mark.parametrize("engine", ["pseudo", "apertium"])
def test_an_entity_is_kept_as_written_unless_it_is_a_letter_of_a_translated_word(engine):
    if engine == "apertium":
        from conftest import need

        need("apertium")
    source = "The caf&eacute; sells &AElig; and &#1234; &mdash; at &copy; prices.\n"
    out, _notices = translate_text(source, engines.load(engine))
    assert "caf&eacute;" not in out  # its word was translated: the letter is a character now
    for ref in ("&AElig;", "&#1234;", "&mdash;", "&copy;"):
        assert out.count(ref) == 1, (ref, out)
    assert "—" not in out and "©" not in out and "Æ" not in out  # none doubled by the engine's own


def test_an_escape_is_kept_where_its_character_went():
    out, notices = translate_text("Use \\<br/> and snake\\_case, not \\*this\\*.\n", PseudoEngine())
    assert notices == []
    assert out.count("\\<") == 1 and out.count("\\_") == 1 and out.count("\\*") == 2, out
