"""HTML blocks: their prose translated, every tag and other attribute as written."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import assert_same_structure, html_skeleton, invoke, translate_text

from l10n import checks, engines, markdown
from l10n.engines.basic import CopyEngine, PseudoEngine

DONATION = (
    '<div class="container"><p><strong>Thank you for your donation</strong></p>'
    "<p>On behalf of everyone at the project, thank you.</p></div>\n"
)
GOLDEN = Path(__file__).parent / "data" / "html-blocks" / "source.md"


def texts(text: str, options=None) -> list[tuple[str, str]]:
    return [(s.kind, s.text) for s in markdown.parse(text, options=options).segments()]


def test_the_prose_of_an_html_block_is_translated_and_its_tags_are_not():
    out, notices = translate_text(DONATION, PseudoEngine())
    assert notices == []
    assert "Thank you" not in out and out.startswith('<div class="container"><p><strong>⟦Ţĥààñķ')
    assert html_skeleton(out) == html_skeleton(DONATION)
    assert texts(DONATION) == [("html", "Thank you for your donation"),
                               ("html", "On behalf of everyone at the project, thank you.")]


def test_what_is_never_translated():
    text = (
        "<div>\n<pre>Preformatted words</pre>\n<script>var a = 'script words';</script>\n"
        "<style>p::before { content: 'style words'; }</style>\n<!-- comment words -->\n"
        '<p translate="no">Brand words</p>\n<p class="x notranslate">Other brand</p>\n'
        '<textarea>Typed words</textarea>\n<p>Only <code>code words</code> this.</p>\n</div>\n'
    )
    assert texts(text) == [("html", "Only this.")]
    out, _ = translate_text(text, PseudoEngine())
    for kept in ("Preformatted words", "script words", "style words", "comment words", "Brand words",
                 "Other brand", "Typed words", "<code>code words</code>"):
        assert kept in out
    assert "Only" not in out


def test_readable_attributes_are_segments_and_the_others_stay():
    text = ('<figure><img src="cat.png" alt="A cat asleep" class="wide" data-x="Not this">\n'
            '<figcaption title="The caption">Our cat</figcaption></figure>\n'
            '<div aria-label="Site menu"><input placeholder="Search the site" value="Keep me"></div>\n')
    assert sorted(texts(text)) == [("attr", "A cat asleep"), ("attr", "Search the site"), ("attr", "Site menu"),
                                   ("attr", "The caption"), ("html", "Our cat")]
    out, _ = translate_text(text, PseudoEngine())
    assert 'data-x="Not this"' in out and 'value="Keep me"' in out and 'src="cat.png"' in out
    assert html_skeleton(out) == html_skeleton(text)
    only_alt = markdown.Options(html_attributes=("alt",))
    assert sorted(texts(text, only_alt)) == [("attr", "A cat asleep"), ("html", "Our cat")]


def test_inline_html_in_markdown_has_its_attributes_translated_too():
    out, _ = translate_text('Text with <abbr title="HyperText Markup">HTML</abbr> in it.\n', PseudoEngine())
    assert '<abbr title="⟦' in out


def test_engine_output_is_escaped_as_html():
    class Angled:
        def translate_batch(self, texts, source, target):
            return [f"<b>{t}</b> & {{{{< x >}}}} \"q\"" for t in texts]

    out, _ = translate_text('<div><p>Some words.</p><img src="a.png" alt="An image"></div>\n', Angled())
    assert "<p>&lt;b&gt;Some words.&lt;/b&gt; &amp; {{&lt; x &gt;}} \"q\"</p>" in out  # no tag, no shortcode
    assert 'alt="&lt;b&gt;An image&lt;/b&gt; &amp; {{&lt; x &gt;}} &quot;q&quot;"' in out


def test_entities_and_layout_are_kept():
    text = ("> <div>\n>   Ten&nbsp;km &mdash; far,\n>   and back.\n> </div>\n\n"
            '<nav>\n  <a href="/a">\n    Read the docs\n  </a>\n  <a href="/b">\n    Download now\n  </a>\n</nav>\n')
    out, _ = translate_text(text, PseudoEngine())
    lines = out.splitlines()
    assert len(lines) == len(text.splitlines())
    assert all(a[:4] == b[:4] for a, b in zip(text.splitlines(), lines) if a.startswith(">"))
    assert "&nbsp;" in out and "&mdash;" in out
    assert '  <a href="/a">' in lines and "  </a>" in lines
    # buttons side by side are texts of their own
    assert ("html", "Read the docs") in texts(text) and ("html", "Download now") in texts(text)


@pytest.mark.parametrize("engine", ["pseudo", "hostile", "reversing", "copy"])
def test_every_engine_keeps_every_tag(engine):
    source = GOLDEN.read_text(encoding="utf-8")
    out, _ = translate_text(source, engines.load(engine))
    assert_same_structure(source, out, engine)
    if engine == "copy":
        assert out == source


def test_check_reports_a_tag_lost_from_html_text():
    src = markdown.parse('<div><p>Read the <a href="/x">guide</a> now.</p></div>\n', "s.md")
    tgt = markdown.parse("<div><p>Lea la guía ahora.</p></div>\n", "t.md")
    findings = checks.examine(src, tgt, checks.Context("en", "es"), "t.md").all()
    assert {(f.check, f.severity) for f in findings} == {("markup", "error")}


def test_html_pages_through_the_command(runner, site):
    (site / "content" / "thanks.md").write_text("---\ntitle: Thanks\n---\n\n" + DONATION, encoding="utf-8")
    invoke(runner, "translate", "--to", "es", "--engine", "pseudo")
    out = (site / "content" / "thanks.es.md").read_text(encoding="utf-8")
    assert "<strong>⟦" in out
    assert "[markup]" not in invoke(runner, "check", "--to", "es").output


def test_copy_engine_reproduces_html_exactly():
    text = GOLDEN.read_text(encoding="utf-8") + DONATION
    assert translate_text(text, CopyEngine())[0] == text


@pytest.mark.parametrize("block", ['<div id="foo"\n*hi*\n', "<div class\nfoo\n", "<div *???-&&&-<---\n*foo*\n",
                                   "<div>\n<!-- never\nclosed\n"])
def test_a_tag_or_comment_the_block_never_finishes_is_markup_to_its_end(block):
    """Kinds 6 and 7 of the spec start an HTML block with a tag left open (``<div id="foo"``):
    what follows is inside that tag, not text to translate (it was: the ``<`` came out
    ``&lt;`` and the block a paragraph)."""
    out, notices = translate_text(block, PseudoEngine())
    assert out == block and notices == []


def test_html_block_entities_stand_alone_or_go_with_their_word():
    source = "<p>Caf&eacute; &AElig; &Eacute;cole &#1234; &mdash; &x; &nbsp</p>\n"
    assert texts(source) == [("html", "Café Æ École Ӓ — &x;")]
    out, _ = translate_text(source, PseudoEngine())
    assert "Caf&eacute;" not in out and "&Eacute;cole" not in out  # letters of translated words
    for ref in ("&AElig;", "&#1234;", "&mdash;", "&x;", "&nbsp"):
        assert ref in out, (ref, out)


def test_kbd_in_an_html_block_is_never_translated():
    out, _ = translate_text("<ul>\n<li>Press <kbd>Ctrl</kbd> + <kbd>C</kbd> to copy</li>\n</ul>\n", PseudoEngine())
    assert "<kbd>Ctrl</kbd> + <kbd>C</kbd>" in out and "Press" not in out


def test_attribute_entities_are_kept_as_written():
    out, _ = translate_text('<img src="a.png" alt="&copy; the caf&eacute; &mdash; 2024">\n', PseudoEngine())
    assert 'alt="&copy; ⟦ţĥéé çààƒé &mdash; 2024' in out
