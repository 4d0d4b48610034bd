"""Putting translations back: text escaped, lines rewrapped (the tags checked: test_tags.py)."""

from __future__ import annotations

import pytest
from helpers import apply

from l10n import markdown
from l10n.markdown import tags


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


def test_code_like_inline_html_is_a_name_never_translated():
    """<kbd>, <code>, <samp>, <var> and translate="no" in Markdown are shown to an engine
    as names, as inline code is (issue 24: <kbd>Ctrl</kbd> came out <kbd>Çţŕļ</kbd>)."""
    from helpers import segment, translate_text

    from l10n.engines.basic import PseudoEngine

    source = 'Press <kbd>Ctrl</kbd>+<kbd>C</kbd>, set <var>x</var> in <span translate="no">Hugo Site</span>.\n'
    _doc, seg = segment(source)
    assert [p.src for p in seg.pieces if p.markup == "html_code"] == [
        "<kbd>Ctrl</kbd>", "<kbd>C</kbd>", "<var>x</var>", '<span translate="no">Hugo Site</span>']
    out, notices = translate_text(source, PseudoEngine())
    assert notices == []
    for kept in ("<kbd>Ctrl</kbd>+<kbd>C</kbd>", "<var>x</var>", '<span translate="no">Hugo Site</span>'):
        assert kept in out
    assert "Press" not in out
    out, _ = translate_text("A <b>bold <kbd>Esc</kbd> key</b> here.\n", PseudoEngine())
    assert "<kbd>Esc</kbd>" in out and "<b>" in out and "bold" not in out


@pytest.mark.parametrize("text, url", [
    ("See https://en.wikipedia.org/wiki/Foo_(bar) now.", "https://en.wikipedia.org/wiki/Foo_(bar)"),
    ("(see www.example.org/a).", "www.example.org/a"),
    ("Search www.google.com/search?q=Markup+(business))).", "www.google.com/search?q=Markup+(business)"),
    ("Get it at ftp://foo.bar.baz.", "ftp://foo.bar.baz"),
    ("Mail support@example.com today.", "support@example.com"),
    ("Not a.b-c_d@a.b- this.", None),
])
def test_bare_urls_and_addresses_are_read_as_githubs_autolinks_read_them(text, url):
    from l10n.markdown.inline import URL

    assert [m.group(0) for m in URL.finditer(text)] == ([url] if url else [])


@pytest.mark.parametrize("source, title", [
    ('[a](/url "The title")', "The title"),
    ("[a](/url 'The title')", "The title"),
    ("[a](/url (The title))", "The title"),
    ('[a](</my url> "The title")', "The title"),
    ('[a](/url\u00a0"title")', None),  # a no-break space is no space: all of it is the destination
    ('[a](/url"title")', None),
    ('[a]("title")', None),
])
def test_a_link_title_is_read_by_the_specs_rules(source, title):
    doc = markdown.parse(source + "\n")
    titles = [s.text for s in doc.segments() if s.kind == "title"]
    assert titles == ([title] if title else [])


def test_a_title_is_written_back_in_its_quotes_with_its_entities():
    from helpers import translate_text

    from l10n.engines.basic import PseudoEngine

    out, _ = translate_text('[a](/u "say &quot;hi&quot; &copy;") and [b](/v (in \\(parens\\)))\n', PseudoEngine())
    assert '](/u "⟦šààý &quot;ĥîî⟧&quot; &copy;")' in out and "](/v (⟦îîñ \\(þààŕééñš⟧\\)))" in out
    out, _ = translate_text('[a](/u "a title")\n', type("E", (), {"translate_batch": lambda self, t, s, g: [
        x.replace("a title", '"&copy;" \\ it') for x in t]})())
    assert '[a](/u "\\"\\&copy;\\" \\\\ it")' in out  # quotes, references and backslashes stay text


def test_a_url_at_a_segments_edge_never_runs_on_into_the_translation():
    from helpers import translate_text

    from l10n.engines.basic import PseudoEngine

    out, _ = translate_text("www.example.org/he<lp\n", PseudoEngine())
    assert out.startswith("www.example.org/he ⟦")  # '⟦' glued to it would be read as part of the URL
