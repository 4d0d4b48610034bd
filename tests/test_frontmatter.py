"""Front matter written back: lists, odd values, line endings, aliases."""

from __future__ import annotations

import pytest
import yaml
from helpers import translate, write

from l10n.markdown.frontmatter import markup_added


@pytest.mark.parametrize(
    "field, expected",
    [
        ("translations:\n", ["en", "es"]),
        ("translations: ~\n", ["en", "es"]),
        ('translations: ""\n', ["en", "es"]),
        ("translations: &t [en]\n", ["en", "es"]),
        ("translations: !!seq [en]\n", ["en", "es"]),
    ],
)
def test_odd_translations_values_become_valid_lists(runner, site, field, expected):
    src = write(site / "content" / "a.md", f"---\ntitle: A\n{field}---\nText.\n")
    assert translate(runner, "--to", "es").exit_code == 0
    for path in (src, site / "content" / "a.es.md"):
        data = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
        assert data["translations"] == expected, path.read_text()


def test_empty_lang_and_norwegian(runner, site):
    write(site / "content" / "a.md", "---\nlang:\n---\nText.\n")
    write(site / "content" / "b.md", "---\nlang: no\n---\nTekst.\n")
    assert translate(runner, "--to", "en,es").exit_code == 0
    assert yaml.safe_load((site / "content" / "a.es.md").read_text().split("---")[1])["lang"] == "es"
    assert (site / "content" / "b.en.md").exists()  # `no` is Norwegian, not false


def test_crlf_block_list_stays_crlf(runner, site):
    src = site / "content" / "a.md"
    src.write_bytes(b"---\r\ntitle: A\r\ntranslations:\r\n  - en\r\n---\r\nText.\r\n")
    translate(runner, "--to", "es,fr")
    for path in (src, site / "content" / "a.es.md"):
        data = path.read_bytes()
        assert b"\n" not in data.replace(b"\r\n", b""), data
        assert b"  - en\r\n  - es\r\n  - fr\r\n" in data


def test_alias_and_flow_mapping_values(runner, site):
    write(site / "content" / "a.md", "---\nbase: &b Hello\ntitle: *b\nparams: {description: Hello world}\n---\nText.\n")
    write(site / "l10n.toml", '[front_matter]\nkeys = ["title", "base", "params.description"]\n')
    assert translate(runner, "--to", "es").exit_code == 0
    data = yaml.safe_load((site / "content" / "a.es.md").read_text().split("---")[1])
    assert data["title"] == data["base"] != "Hello"
    assert set(data["params"]) == {"description"}


def test_a_block_list_keeps_its_comments_when_languages_are_added(runner, site):
    src = write(site / "content" / "a.md", "---\ntitle: A\ntranslations:\n  - en # the source\nlang: en\n---\nText.\n")
    assert translate(runner, "--to", "es,fr").exit_code == 0
    assert "translations:\n  - en # the source\n  - es\n  - fr\nlang: en\n" in src.read_text(encoding="utf-8")


def test_a_list_another_key_aliases_is_left_alone_and_said_so(runner, site):
    text = "---\ntitle: B\ntranslations: &langs [en]\nother: *langs\n---\nText.\n"
    src = write(site / "content" / "b.md", text)
    result = translate(runner, "--to", "es")
    assert result.exit_code == 0 and src.read_text(encoding="utf-8") == text
    assert "content/b.md:3: warning: translations has the YAML anchor &langs, which another key uses" in result.output


def test_a_yaml_error_names_the_line_where_what_never_closed_opened(runner, site):
    write(site / "content" / "quote.md", '---\ntitle: "Hello\nauthor: x\ndate: 2020\n---\n\nHello world.\n')
    write(site / "content" / "flow.md", "---\ntitle: x\ntags: [a, b\nc: 3\n---\n\nHello world.\n")
    write(site / "content" / "good.md", "---\ntitle: Fine\n---\n\nHello world.\n")
    result = translate(runner, "--to", "es", "--engine", "pseudo", "--from", "en")
    assert result.exit_code == 1
    assert ("content/quote.md:2: failed: invalid YAML front matter: found unexpected end of stream "
            "(scanning a quoted scalar from line 2)") in result.output
    assert ("content/flow.md:4: failed: invalid YAML front matter: did not find expected ',' or ']' "
            "(parsing a flow sequence from line 3)") in result.output
    assert (site / "content" / "good.es.md").exists()


@pytest.mark.parametrize("source, translation, added", [
    ("Hello", "Hola", []),
    ("a < b and 3<4", "a < b y 3<4", []),  # a comparison is no tag
    ("Uses <b>bold</b>", "Usa <b>negrita</b>", []),  # the source's own markup
    ("Hello", "Hola <SCRIPT src=x>", [("HTML tag", "<script")]),
    ("Hello", "Hola <img onerror=alert(1)", [("HTML tag", "<img")]),  # never closed: still a tag
    ("Hello", "Hola <!-- x --> <?php", [("HTML", "<!"), ("HTML", "<?")]),
    ("Hello", "Hola {{< param secret >}} {{% x %}} {{ .Site.Title }}",
     [("shortcode", "{{<"), ("shortcode", "{{%"), ("template syntax", "{{")]),
    ("One <b>", "Uno <b> <b>", [("HTML tag", "<b")]),  # counted: one more than the source had
])
def test_markup_added_to_a_value(source, translation, added):
    assert markup_added(source, translation) == added
