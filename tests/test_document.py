"""The document model: segments, pieces and fields, rendered back to text (l10n/document.py)."""

from __future__ import annotations

import hashlib

from l10n import markdown
from l10n.document import CLOSE, OPEN, TEXT, VOID, Document, Piece, Segment


def bold_segment() -> Segment:
    """``Read **this**  `now`.`` as pieces: prose, a strong pair, a code span."""
    return Segment("paragraph", 1, [
        Piece(TEXT, "Read ", text="Read "), Piece(OPEN, "**", pair=1, markup="strong"),
        Piece(TEXT, "this", text="this"), Piece(CLOSE, "**", pair=1, markup="strong"),
        Piece(TEXT, "  ", text="  "), Piece(VOID, "`now`", markup="code_inline"), Piece(TEXT, ".", text="."),
    ])


def test_a_segment_is_its_pieces_joined_and_its_prose_without_markup():
    seg = bold_segment()
    assert seg.source == seg.original == seg.render() == "Read **this**  `now`."
    assert seg.text == "Read this ."


def test_a_translation_changes_what_renders_but_not_the_original_or_its_digest():
    seg = bold_segment()
    digest = seg.digest()
    seg.rendered = "Lee **esto** `now`."
    assert seg.render() == "Lee **esto** `now`."
    assert seg.original == seg.source == "Read **this**  `now`."
    assert seg.digest() == digest == hashlib.sha1("Read **this**  `now`.".encode()).hexdigest()[:10]


def test_nested_segments_come_first_and_render_inside_the_piece_holding_them():
    title = Segment("title", 1, [Piece(TEXT, "The docs", text="The docs")], codec="quoted", src="The docs")
    close = Piece(CLOSE, '](/x "The docs")', pair=1, markup="link", parts=['](/x "', title, '")'])
    link = Segment("paragraph", 3, [Piece(OPEN, "[", pair=1, markup="link"), Piece(TEXT, "docs", text="docs"), close])
    doc = Document(["Intro.\n\n", link, "\n"])
    assert [s.kind for s in doc.segments()] == ["title", "paragraph"]
    title.rendered = "Los documentos"
    assert link.source == '[docs](/x "Los documentos")'
    assert link.original == '[docs](/x "The docs")'  # what the digest is of: the source's own text
    assert doc.render() == 'Intro.\n\n[docs](/x "Los documentos")\n'


def test_a_maintained_field_has_a_line_renders_its_replacement_and_can_be_left_out():
    doc = markdown.parse("---\ntitle: Hello\nlang: en\n---\n\nText.\n")
    field = doc.fields["lang"]
    assert doc.field_line(field) == 3
    assert doc.render() == "---\ntitle: Hello\nlang: en\n---\n\nText.\n"  # parts joined: the input back
    field.replacement = "es"
    assert doc.render() == "---\ntitle: Hello\nlang: es\n---\n\nText.\n"
    assert doc.render_without_fields() == "---\ntitle: Hello\nlang: \n---\n\nText.\n"
