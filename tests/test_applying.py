"""A unit's text into its segment, kind by kind, through the encoding engines' output takes.

Golden round trips per segment kind (headings, HTML-block text, table cells,
front-matter values, code blocks, link titles), in XLIFF and in PO, filled
through Translate Toolkit's readers as a translator's tool would; the units a
translator can write that break a page (a line that reads as a rule, a fence,
a heading's id, a shortcode in code) refused alone or written as text.
"""

from __future__ import annotations

import re

import pytest
from xml.sax.saxutils import escape
from helpers import assert_same_structure, invoke

translate_storage = pytest.importorskip("translate.storage")
from translate.storage import po, xliff  # noqa: E402

KINDS = """\
---
title: "The starter"
summary: |
  A jar of flour and water,
  on the back seat.
---

## The starter came too

Some text with a [link](https://example.org/a "The link's title").

| Thing | Note |
| ----- | ---- |
| Flour | Feed the starter |

<div class="note">
<p>Plain text <b>here</b> &amp; there.</p>
</div>

```sh
# feed the starter
echo flour
```

Last words.
"""

#: What a translator writes for each source, as their tool shows it (XLIFF: with its codes).
SPANISH = {
    "The starter": "La masa madre",
    "A jar of flour and water,\non the back seat.\n": "Un tarro de harina y agua,\nen el asiento de atrás.\n",
    "The starter came too": "La masa madre vino también",
    "The link's title": "El título del enlace",
    "Thing": "Cosa",
    "Note": "Nota",
    "Flour": "Harina",
    "Feed the starter": "Alimenta la masa madre",
    "Last words.": "Últimas palabras.",
}


@pytest.fixture
def kinds(site):
    (site / "l10n.toml").write_text('source = "en"\ntargets = ["es"]\n\n[front_matter]\nkeys = ["title", "summary"]\n',
                                    encoding="utf-8")
    (site / "hugo.toml").write_text('defaultContentLanguage = "en"\n[languages.en]\n[languages.es]\n', encoding="utf-8")
    (site / "content" / "post.md").write_text(KINDS, encoding="utf-8")
    return site


def _fill_xliff(path):
    store = xliff.xlifffile.parsefile(str(path))
    for unit in store.units:
        source = unit.source
        if source in SPANISH:
            unit.target = SPANISH[source]
        elif source.startswith("Some text with a"):
            unit.settarget(None)
        unit.markfuzzy(False)
    store.savefile(str(path))
    text = path.read_text(encoding="utf-8")
    # rich text the way a tool writes it: the paragraph with its link, the HTML text with its codes
    text = re.sub(r'(<source>Some text with a (<g id="g1"[^>]*>)link</g>\.</source>)',
                  r'\1<target state="translated">Algo de texto con un \2enlace</g>.</target>', text)
    text = re.sub(r'(<source>Plain text (<g id="g1"[^>]*>)here</g> (<x [^>]*/>) there\.</source>)',
                  r'\1<target state="translated">Texto sencillo \2aquí</g> \3 allá.</target>', text)
    path.write_text(text, encoding="utf-8")


def test_every_kind_of_segment_round_trips_through_xliff(runner, kinds):
    assert invoke(runner, "export", "-o", "es.xlf").exit_code == 0
    _fill_xliff(kinds / "es.xlf")
    result = invoke(runner, "import", "es.xlf")
    assert result.exit_code == 0, result.output
    page = (kinds / "content" / "post.es.md").read_text(encoding="utf-8")
    assert 'title: "La masa madre"' in page
    assert "summary: |\n  Un tarro de harina y agua,\n  en el asiento de atrás.\n" in page
    assert "## La masa madre vino también {#the-starter-came-too}" in page
    assert 'Algo de texto con un [enlace](https://example.org/a "El título del enlace").' in page
    assert "| Cosa | Nota |" in page and "| Harina | Alimenta la masa madre |" in page
    assert "<p>Texto sencillo <b>aquí</b> &amp; allá.</p>" in page  # no backslash before any letter
    assert "# feed the starter" in page  # code is code
    assert "Últimas palabras." in page
    assert_same_structure(KINDS.split("---", 2)[2], page.split("---", 2)[2])


def test_every_kind_of_segment_round_trips_through_po(runner, kinds):
    assert invoke(runner, "export", "--format", "po", "-o", "es.po").exit_code == 0
    catalog = po.pofile.parsefile(str(kinds / "es.po"))
    for unit in catalog.units:
        if unit.isheader():
            continue
        source = unit.source
        if source in SPANISH:
            unit.target = SPANISH[source]
        elif source.startswith("Some text with a"):
            unit.target = 'Algo de texto con un [enlace](https://example.org/a "El título del enlace").'
        elif source.startswith("Plain text"):
            unit.target = "Texto sencillo <b>aquí</b> &amp; allá."
    catalog.savefile(str(kinds / "es.po"))
    result = invoke(runner, "import", "es.po")
    assert result.exit_code == 0, result.output
    page = (kinds / "content" / "post.es.md").read_text(encoding="utf-8")
    assert "## La masa madre vino también {#the-starter-came-too}" in page
    assert 'Algo de texto con un [enlace](https://example.org/a "El título del enlace").' in page
    assert "| Harina | Alimenta la masa madre |" in page
    assert "<p>Texto sencillo <b>aquí</b> &amp; allá.</p>" in page
    assert_same_structure(KINDS.split("---", 2)[2], page.split("---", 2)[2])


def test_a_po_heading_keeps_its_id_as_exported_and_refuses_another(runner, kinds):
    assert invoke(runner, "translate").exit_code == 0  # pseudo: the heading gets {#the-starter-came-too}
    assert invoke(runner, "export", "--format", "po", "-o", "es.po").exit_code == 0
    text = (kinds / "es.po").read_text(encoding="utf-8")
    assert "{#the-starter-came-too}" in text  # the heading as the page writes it
    for msgstr, ok in (("La masa madre vino también {#the-starter-came-too}", True),
                       ("La masa vino también", True),  # left out: l10n writes it again
                       ("La masa madre vino también {#la-masa}", False)):
        assert invoke(runner, "export", "--format", "po", "-o", "es.po").exit_code == 0
        catalog = po.pofile.parsefile(str(kinds / "es.po"))
        for unit in catalog.units:
            if unit.source == "The starter came too":
                unit.target = msgstr
                unit.markfuzzy(False)
        catalog.savefile(str(kinds / "es.pox"))
        result = invoke(runner, "import", "es.pox")
        page = (kinds / "content" / "post.es.md").read_text(encoding="utf-8")
        if ok:
            assert result.exit_code == 0, result.output
            assert f"## {msgstr.split(' {')[0]} {{#the-starter-came-too}}\n" in page
        else:
            assert result.exit_code == 3 and "the links to it need {#the-starter-came-too}" in result.output
            assert "{#la-masa}" not in page


@pytest.mark.parametrize("line", ["# not a heading", "1. one", "+ one", "> quoted", "<div>x</div>"])
def test_a_unit_that_reads_as_markup_is_written_as_text_and_the_others_imported(runner, kinds, line):
    assert invoke(runner, "export", "-o", "es.xlf").exit_code == 0
    _fill_xliff(kinds / "es.xlf")
    text = (kinds / "es.xlf").read_text(encoding="utf-8")
    (kinds / "es.xlf").write_text(text.replace(">Últimas palabras.<", f">{escape(line)}<"), encoding="utf-8")
    result = invoke(runner, "import", "es.xlf")
    assert result.exit_code == 0, result.output
    page = (kinds / "content" / "post.es.md").read_text(encoding="utf-8")
    assert "La masa madre vino también" in page  # the page's other units
    assert_same_structure(KINDS.split("---", 2)[2], page.split("---", 2)[2])
    assert invoke(runner, "check", "--no-catalogs").exit_code == 0  # the page still pairs with its source


@pytest.mark.parametrize("line", ["---", "```", "===", "***", "\\", "- - -", "+++", "...", "—"])
def test_a_unit_with_no_words_is_refused_alone(runner, kinds, line):
    """A rule or a fence written as text would be a block with no words: no segment, and
    every later check, export and review would pair the page's other blocks wrongly."""
    assert invoke(runner, "export", "-o", "es.xlf").exit_code == 0
    _fill_xliff(kinds / "es.xlf")
    text = (kinds / "es.xlf").read_text(encoding="utf-8")
    (kinds / "es.xlf").write_text(text.replace(">Últimas palabras.<", f">{escape(line)}<"), encoding="utf-8")
    result = invoke(runner, "import", "es.xlf")
    assert result.exit_code == 3 and "1 refused" in result.output and "holds no words" in result.output, result.output
    page = (kinds / "content" / "post.es.md").read_text(encoding="utf-8")
    assert "La masa madre vino también" in page  # the page's other units
    assert_same_structure(KINDS.split("---", 2)[2], page.split("---", 2)[2])
    assert invoke(runner, "check", "--no-catalogs").exit_code == 0


def test_a_po_message_that_changes_the_blocks_is_refused_alone(runner, kinds):
    assert invoke(runner, "export", "--format", "po", "-o", "es.po").exit_code == 0
    catalog = po.pofile.parsefile(str(kinds / "es.po"))
    for unit in catalog.units:
        if unit.source in SPANISH:
            unit.target = SPANISH[unit.source]
        if unit.source == "Last words.":
            unit.target = "# Últimas palabras"  # a heading, not a paragraph
    catalog.savefile(str(kinds / "es.po"))
    result = invoke(runner, "import", "es.po")
    assert result.exit_code == 3 and "1 refused" in result.output, result.output
    assert "would change the page's block structure" in result.output
    page = (kinds / "content" / "post.es.md").read_text(encoding="utf-8")
    assert "La masa madre vino también" in page and "\nLast words.\n" in page


def test_code_blocks_stay_code(runner, site):
    (site / "l10n.toml").write_text('source = "fr"\ntargets = ["en"]\n', encoding="utf-8")
    (site / "content" / "a.md").write_text("Lancez-le :\n\n```sh\n# construire le site\nhugo build\n```\n\n"
                                           "Puis :\n\n```html\n<p>Bonjour</p>\n```\n", encoding="utf-8")
    header = 'msgid ""\nmsgstr ""\n"Language: en\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    for added in ('{{< param \\"secret\\" >}}', "{{% include \\\"x\\\" %}}", "<script>alert(1)</script>"):
        (site / "en.po").write_text(header + 'msgid "Lancez-le :"\nmsgstr "Run it:"\n\n'
                                    'msgid "# construire le site\\nhugo build\\n"\n'
                                    f'msgstr "# build the site {added}\\nhugo build\\n"\n\n'
                                    'msgid "<p>Bonjour</p>\\n"\nmsgstr "<p>Hello</p>\\n"\n', encoding="utf-8")
        result = invoke(runner, "import", "--force", "en.po")
        assert result.exit_code == 3 and "a code block's translation changes words only" in result.output, result.output
        page = (site / "content" / "a.en.md").read_text(encoding="utf-8")
        assert "secret" not in page and "include" not in page and "script" not in page
        assert "<p>Hello</p>" in page  # words changed in HTML code: taken


@pytest.mark.parametrize("character", ["\t", "\u2028", "\u0085"])
def test_a_value_with_a_character_a_block_cannot_hold_is_quoted(runner, kinds, character):
    assert invoke(runner, "export", "-o", "es.xlf").exit_code == 0
    text = (kinds / "es.xlf").read_text(encoding="utf-8")
    source = "A jar of flour and water,\non the back seat.\n"
    text = text.replace(f"<source>{source}</source>",
                        f'<source>{source}</source><target state="translated">Un tarro{character}de harina\n</target>')
    (kinds / "es.xlf").write_text(text, encoding="utf-8")
    result = invoke(runner, "import", "es.xlf")
    assert result.exit_code == 0, result.output
    from l10n import markdown

    doc = markdown.load(kinds / "content" / "post.es.md")
    assert doc.meta["summary"] == f"Un tarro{character}de harina\n"
