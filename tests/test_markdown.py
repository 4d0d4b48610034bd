"""Parsing and rendering: byte-exact round trips, what is and is not translatable."""

from __future__ import annotations

import pytest
from conftest import CORPUS, EXAMPLE, hugodocs_files
from helpers import translate_text

from l10n import markdown
from l10n.document import CLOSE, OPEN, TEXT, VOID, Segment
from l10n.engines.basic import CopyEngine, PseudoEngine
from l10n.errors import ContentError
from l10n.markdown.tags import engine_text


def texts(doc) -> list[str]:
    return [engine_text(s) for s in doc.segments()]


def test_round_trip_over_every_corpus_file():
    files = sorted(CORPUS.rglob("*.md"))
    assert len(files) > 300
    for path in files:
        text = path.read_text(encoding="utf-8")
        doc = markdown.parse(text, str(path))
        assert doc.render() == text, path
        assert not doc.skipped, (path, doc.skipped)


def test_copy_engine_reproduces_every_hugodocs_file():
    engine = CopyEngine()
    for path in hugodocs_files():
        text = path.read_text(encoding="utf-8")
        out, notices = translate_text(text, engine)
        assert out == text, path
        assert notices == []


def test_example_article_segments():
    doc = markdown.parse(EXAMPLE.read_text(encoding="utf-8"))
    found = texts(doc)
    assert found[0] == "Venezuela sends planes to US to return migrants, signalling improving ties"
    assert any(t.startswith("ALSO READ:") and "<g1>Trump admin" in t for t in found)
    assert "business-standard" in found  # link text is prose
    assert set(doc.fields) == {"lang", "translations"}
    assert doc.fields["lang"].value == ["en"]


@pytest.mark.parametrize(
    "source, expected",
    [
        ("Use `code` here.", "Use <x1/> here."),
        ("See [the docs](https://x.example/a.html \"Title\").", "See <g1>the docs</g1>."),
        ("An ![alt text](img.png) image.", "An <g1>alt text</g1> image."),
        ("Some **bold and *nested*** words.", "Some <g1>bold and <g2>nested</g2></g1> words."),
        ("Visit https://example.com/x.html today.", "Visit <x1/> today."),
        ("A <span class=\"x\">styled</span> word.", "A <g1>styled</g1> word."),
        ("Auto <https://example.com> link.", "Auto <x1/> link."),
        ("Math $x^2$ inline.", "Math <x1/> inline."),
        ("Note[^1] here.\n\n[^1]: Footnote.", "Note<x1/> here."),
        ("Call {{< ref \"a.md\" >}} now.", "Call <x1/> now."),
        ("Escaped \\*star\\* and &amp; entity.", "Escaped <x1/>star<x2/> and <x3/> entity."),
    ],
)
def test_engine_text(source, expected):
    doc = markdown.parse(source + "\n")
    assert [engine_text(s) for s in doc.segments() if s.kind != "title"][:1] == [expected]


def test_never_sent_blocks():
    text = (
        "```go\nfmt.Println(\"hi\")\n```\n\n    indented code\n\n<pre>\nraw html\n</pre>\n\n<div translate=\"no\">\nNot this\n</div>\n\n"
        "<!-- a comment -->\n\n[ref]: https://example.com \"Ref title\"\n\n---\n\n{{< highlight go >}}\nx := 1\n{{< /highlight >}}\n"
    )
    doc = markdown.parse(text)
    assert list(doc.segments()) == []
    assert doc.render() == text


def test_shortcode_parameters_and_inner_markdown():
    text = '{{< figure src="cat.png" alt="A cat" caption="The \\"best\\" cat" >}}\n\n{{% note %}}\nInner *markdown* text.\n{{% /note %}}\n'
    doc = markdown.parse(text)
    found = {(s.kind, s.key): engine_text(s) for s in doc.segments()}
    assert found[("param", "alt")] == "A cat"
    assert found[("param", "caption")] == 'The "best" cat'
    assert found[("paragraph", "")] == "Inner <g1>markdown</g1> text."


def test_heading_ids_alerts_and_tasks_are_protected():
    text = "## Install Hugo {#install}\n\n> [!NOTE]\n> Read this first.\n\n- [ ] Write tests\n- [x] Ship\n"
    doc = markdown.parse(text)
    assert texts(doc) == ["Install Hugo", "Read this first.", "Write tests", "Ship"]


def test_do_not_translate_terms():
    doc = markdown.parse("Hugo builds sites. HugoX is not Hugo.\n", options=markdown.Options(terms=("Hugo",)))
    # a term at the edge needs no tag: it stays where it is
    assert texts(doc) == ["builds sites. HugoX is not <x1/>."]


def test_tables_definition_lists_footnotes():
    text = (
        "| Name | Value |\n|:-----|------:|\n| One  | `1` |\n| Two \\| three | 2 |\n\n"
        "Term\n: Its definition.\n\nText[^n].\n\n[^n]: The footnote text.\n"
    )
    doc = markdown.parse(text)
    assert texts(doc) == ["Name", "Value", "One", "Two <x1/> three", "Term", "Its definition.", "Text<x1/>.", "The footnote text."]
    assert doc.render() == text


def test_link_title_is_its_own_segment():
    doc = markdown.parse('A [link](/x "The title") here.\n')
    kinds = [(s.kind, engine_text(s)) for s in doc.segments()]
    assert ("title", "The title") in kinds


@pytest.mark.parametrize(
    "text",
    [
        "---\ntitle: Hello world\n---\n\nFirst paragraph\nwraps here.\n",
        "\ufeff---\r\ntitle: Hello world\r\n---\r\n\r\nFirst paragraph\r\nwraps here.\r\n",
        "+++\ntitle = 'Hello world'\n+++\nNo final newline",
        "No front matter at all.\n\n> quoted\n> text\n",
    ],
)
def test_line_endings_bom_and_final_newline_survive_translation(text):
    out, _ = translate_text(text, PseudoEngine())
    assert out.startswith("\ufeff") == text.startswith("\ufeff")
    assert out.endswith("\n") == text.endswith("\n")
    assert out.count("\r\n") == text.count("\r\n")
    assert out.count("\n") == text.count("\n")
    assert "⟦" in out


def test_container_prefixes_and_delimiter_rows_survive():
    text = (
        "> A quoted paragraph that\n> spans three lines of\n> source text.\n\n"
        "1. A list item whose text\n   wraps onto a second line.\n   - Nested item\n     also wrapped.\n\n"
        "| Left | Right |\n|:---- | ----:|\n| a b  | c d   |\n"
    )
    out, _ = translate_text(text, PseudoEngine())
    lines = out.split("\n")
    assert [l[:2] for l in lines[:3]] == ["> ", "> ", "> "]
    assert lines[4].startswith("1. ") and lines[5].startswith("   ") and not lines[5].startswith("    ")
    assert lines[6].startswith("   - ") and lines[7].startswith("     ")
    assert "|:---- | ----:|" in out


def test_front_matter_only_changes_translated_values():
    text = (
        "---\n# a comment\ntitle: 'It''s here'   # trailing comment\ndate: 2024-01-01\n"
        "params:\n  description: Nested value\ntags: [a, b]\nsummary: |\n  Block one.\n  Block two.\n---\nBody.\n"
    )
    options = markdown.Options(keys=("title", "params.description", "summary"))
    doc = markdown.parse(text, options=options)
    assert texts(doc)[:3] == ["It's here", "Nested value", "Block one.\nBlock two."]
    out, _ = translate_text(text, PseudoEngine(), options=options)
    assert out.startswith("---\n# a comment\ntitle: '⟦")
    assert "summary: |\n  ⟦" in out
    assert "'   # trailing comment\ndate: 2024-01-01\n" in out
    assert "tags: [a, b]\n" in out


def test_toml_front_matter():
    text = '+++\ntitle = "Hello \\"you\\""\ndraft = true\n[params]\ndescription = \'Plain\'\n+++\nBody.\n'
    doc = markdown.parse(text, options=markdown.Options(keys=("title", "params.description")))
    assert texts(doc)[:2] == ['Hello "you"', "Plain"]
    out, _ = translate_text(text, PseudoEngine(), options=markdown.Options(keys=("title", "params.description")))
    assert "draft = true\n[params]\ndescription = '⟦" in out
    assert doc.render() == text


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("---\ntitle: [unclosed\n---\nBody\n", 3, "invalid YAML front matter"),
        ("---\ntitle: x\nBody without closing\n", 1, "never closed"),
        ('+++\ntitle = "x\n+++\n', 2, "invalid TOML front matter"),
        ("---\n- a list\n---\n", 2, "not a mapping"),
    ],
)
def test_malformed_front_matter_is_located(text, line, message):
    with pytest.raises(ContentError) as info:
        markdown.parse(text, "post.md")
    assert info.value.line == line
    assert message in info.value.format()
    assert info.value.format().startswith(f"post.md:{line}: ")


def test_pieces_cover_the_segment_source():
    text = "Some **bold** and [a *link*](/u) with `code`\nand a second line.\n"
    doc = markdown.parse(text)
    seg = next(doc.segments())
    assert isinstance(seg, Segment)
    assert "".join(p.src for p in seg.pieces) == text.rstrip("\n")
    kinds = [p.kind for p in seg.pieces]
    assert kinds.count(OPEN) == kinds.count(CLOSE) == 3
    assert VOID in kinds and TEXT in kinds


def test_a_self_closing_verbatim_shortcode_hides_nothing_after_it():
    text = ("{{< code-toggle config=languages />}}\n\nIn the above, en is the key.\n\n"
            "{{< code-toggle file=hugo >}}\nname = 'Home'\n{{< /code-toggle >}}\n")
    doc = markdown.parse(text)
    assert [s.original for s in doc.segments()] == ["In the above, en is the key."]
    assert doc.render() == text
