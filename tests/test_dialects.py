"""MDX's and Python-Markdown's constructs: kept as written, their titles translated, their prose read as the generator reads it."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import assert_same_structure, translate_text

from l10n import markdown
from l10n.engines.basic import CopyEngine, PseudoEngine
from l10n.errors import ContentError
from l10n.markdown import dialects

DATA = Path(__file__).parent / "data"
MDX = markdown.Options(dialect="mdx", id_syntax="mdx-comment", heading_ids="github-slugger", keep_ids=True,
                       html_attributes=("alt", "title", "aria-label", "placeholder", "label", "description"))
PYMD = markdown.Options(dialect="python-markdown", heading_ids="python-markdown", keep_ids=True)


def spans(text: str, dialect: str) -> list[str]:
    return [text[r.start:r.end] for r in dialects.regions(text, 0, dialect)]


def test_mdx_expressions_comments_and_esm_are_kept_whole():
    text = ("import A from '@site/a';\nexport const b = {c: '}'};\n\nText {a ? '}' : `x${y}`} and {/* a } comment */} "
            "and `{code}` and \\{escaped}.\n\n<A b={{c: 1}} d=\"{not an expression}\">Words</A>\n")
    found = spans(text, "mdx")
    assert found == ["import A from '@site/a';\nexport const b = {c: '}'};", "{a ? '}' : `x${y}`}",
                     "{/* a } comment */}", "{{c: 1}}"]


def test_mdx_admonitions_are_markers_with_their_titles_translated():
    for line, title in ((":::note[A *short* title]", "A *short* title"), (":::tip Old style title", "Old style title"),
                        (":::", None), ("::::danger", None)):
        regions = dialects.regions(line + "\n", 0, "mdx")
        assert [line[r.start:r.end] for r in regions] == [line]
        assert [line[s:e] for s, e, _name, _q in regions[0].params] == ([title] if title else [])


def test_mdx_code_is_no_expression_and_an_unclosed_brace_is_an_error_at_its_line():
    text = "```js\nconst a = {b: 1};\n```\n\nText with `{code}`.\n"
    assert spans(text, "mdx") == []
    assert markdown.parse(text, options=MDX).render() == text
    with pytest.raises(ContentError) as err:
        markdown.parse(text + "\nAn open { brace with no end.\n", "page.mdx", options=MDX)
    assert err.value.format() == ("page.mdx:7: MDX: an expression opened with { is never closed "
                                  "(write \\{ for a brace)")


def test_mdx_output_escapes_what_mdx_would_read():
    class Braces:
        def translate_batch(self, texts, source, target):
            return [t + " {x} <y" for t in texts]

    out, _notices = translate_text("# Title\n\nSome text.\n", Braces(), options=MDX)
    assert "Some text. \\{x\\} \\<y" in out
    assert "# Title \\{x\\} \\<y {/* #title */}" in out


def test_mdx_indentation_is_layout_not_code():
    doc = markdown.parse("<Tabs>\n  <TabItem value=\"a\">\n\n    Indented **prose**.\n\n  </TabItem>\n</Tabs>\n",
                         options=MDX)
    assert [s.text for s in doc.segments()] == ["Indented prose ."]


def test_python_markdown_blocks_read_their_indented_body_as_markdown():
    text = ('!!! note "A title"\n\n    A paragraph in it.\n\n    !!! tip\n        Nested *prose*.\n\n'
            '    ```python\n    print("kept")\n    ```\n\n=== "Tab one"\n\n    In the tab.\n\n--8<-- "file.md"\n\n'
            "*[HTML]: Hyper Text Markup Language\n\nThe HTML is plain.\n")
    doc = markdown.parse(text, options=PYMD)
    assert doc.render() == text
    assert [s.text for s in doc.segments()] == ["A title", "A paragraph in it.", "Nested prose .", "Tab one",
                                                "In the tab.", "Hyper Text Markup Language", "The is plain."]  # HTML: a term
    out, _notices = translate_text(text, PseudoEngine(), options=PYMD)
    assert 'print("kept")' in out and '--8<-- "file.md"' in out and "*[HTML]:" in out
    assert "The HTML" not in out and " HTML " in out  # the abbreviation is said as it is, for Python-Markdown to mark
    assert out.count("    ") == text.count("    ")


def test_md_in_html_content_is_markdown():
    text = '<div class="grid" markdown>\nSome **bold** text and a [link](x.md).\n</div>\n'
    out, _notices = translate_text(text, PseudoEngine(), options=PYMD)
    assert out.startswith('<div class="grid" markdown>\n⟦') and "](x.md)" in out and out.endswith("\n</div>\n")
    assert "**ƀööļđ**" in out


def test_python_markdown_constructs_only_of_enabled_extensions():
    assert spans("!!! note\n    Body.\n", "python-markdown") == ["!!! note"]
    assert dialects.regions("!!! note\n    Body.\n", 0, "python-markdown", ["attr_list"]) == []
    assert dialects.abbreviations("*[W3C]: World Wide Web Consortium\n", ["abbr"]) == ("W3C",)
    assert dialects.abbreviations("*[W3C]: x\n", ["admonition"]) == ()


@pytest.mark.parametrize("case, options", [("mdx", MDX), ("python-markdown", PYMD)])
def test_copy_gives_every_byte_back_and_pseudo_keeps_the_structure(case, options):
    source = (DATA / case / "source.md").read_text(encoding="utf-8")
    out, _notices = translate_text(source, CopyEngine(), options=options)
    assert out == source
    out, _notices = translate_text(source, PseudoEngine(), options=options)
    assert_same_structure(source, out, case, options=options)
