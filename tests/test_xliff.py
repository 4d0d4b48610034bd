"""XLIFF 1.2 written as OASIS's strict schema says, and read as a stream within bounds.

Every export of the test corpus is validated against the strict schema (with
lxml; the schema and its terms are in ``tests/data/xliff/``), as Trados,
memoQ and Okapi validate what they open. Hostile files (a document type,
entities, codes nested a thousand deep, a target of tens of megabytes, units
without ids or with the same id) are each a clear line, never a traceback,
and never cost the page's other units.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import CORPUS, copy_example_site
from helpers import invoke

from l10n.errors import ContentError
from l10n.xliff import read_xliff

etree = pytest.importorskip("lxml.etree")
SCHEMAS = Path(__file__).parent / "data" / "xliff"


@pytest.fixture(scope="module")
def strict():
    """The XLIFF 1.2 strict schema, its xml.xsd import read from the copy beside it."""
    text = (SCHEMAS / "xliff-core-1.2-strict.xsd").read_text(encoding="utf-8")
    text = text.replace('schemaLocation="http://www.w3.org/2001/xml.xsd"',
                        f'schemaLocation="{(SCHEMAS / "xml.xsd").as_uri()}"')
    parser = etree.XMLParser(no_network=True)
    return etree.XMLSchema(etree.fromstring(text.encode("utf-8"), parser, base_url=str(SCHEMAS) + "/"))


def _valid(schema, path: Path) -> list[str]:
    doc = etree.parse(str(path), etree.XMLParser(no_network=True, huge_tree=True))
    if schema.validate(doc):
        return []
    return sorted({f"{e.line}: {e.message}" for e in schema.error_log})[:5]


def test_every_export_of_the_corpus_validates_against_the_strict_schema(runner, site, strict):
    (site / "l10n.toml").write_text('source = "en"\ntargets = ["es"]\n', encoding="utf-8")
    for page in sorted((CORPUS / "hugodocs").rglob("*.md")) + sorted((CORPUS / "otel" / "en").rglob("*.md")):
        dest = site / "content" / page.relative_to(CORPUS)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(page, dest)
    (site / "content" / "inline.md").write_text("An ![alt text](a.png \"Its title\") in a sentence, **bold** "
                                                "and [a link](b.md).\n", encoding="utf-8")
    # half the pages translated (targets, states, notes), all of them exported one file each
    half = sorted(str(p.relative_to(site)) for p in (site / "content" / "hugodocs").rglob("*.md"))[::2]
    assert invoke(runner, "translate", *half).exit_code in (0, 1)
    result = invoke(runner, "export", "--per-article", "-o", "out")
    assert result.exit_code in (0, 1), result.output
    files = sorted((site / "out").rglob("*.xlf"))
    assert len(files) > 150
    invalid = {str(f.relative_to(site)): errors for f in files if (errors := _valid(strict, f))}
    assert not invalid, invalid
    text = "".join(f.read_text(encoding="utf-8") for f in files)
    assert 'ctype="x-md-image"' in text and 'ctype="bold"' in text and 'ctype="link"' in text


def test_the_example_sites_whole_export_validates(runner, tmp_path, monkeypatch, strict):
    site = copy_example_site(tmp_path / "site")
    monkeypatch.chdir(site)
    assert invoke(runner, "translate").exit_code == 0
    assert invoke(runner, "export", "-o", "es.xlf").exit_code == 0
    assert _valid(strict, site / "es.xlf") == []
    # the export says what it started from, in the attribute the format keeps for a tool's data
    assert re.search(r'extradata="l10n-exported:[0-9a-f]{16}:[0-9a-f]{16}"', (site / "es.xlf").read_text())


def test_the_engines_confidence_is_a_note_the_strict_schema_allows(runner, tmp_path, monkeypatch, strict):
    """Each machine target the engine was sure of to some degree says so, 0-1, in a note
    for the target; PO says it in a comment."""
    site = copy_example_site(tmp_path / "site")
    monkeypatch.chdir(site)
    assert invoke(runner, "translate", "--engine", "scoring").exit_code == 0
    assert invoke(runner, "export", "-o", "es.xlf").exit_code == 0
    assert _valid(strict, site / "es.xlf") == []
    notes = re.findall(r'<note from="l10n-confidence" annotates="target">(0\.\d\d|1\.00)</note>',
                       (site / "es.xlf").read_text(encoding="utf-8"))
    assert len(notes) > 10 and len(set(notes)) > 3
    assert invoke(runner, "export", "--format", "po", "-o", "es.po").exit_code == 0
    po = re.findall(r"^#\. l10n-confidence: ([01]\.\d\d)$", (site / "es.po").read_text(encoding="utf-8"), re.M)
    assert 10 < len(po) <= len(notes)  # a PO message holds its nested segments (link titles)


def test_per_article_files_never_share_a_name(runner, site):
    (site / "l10n.toml").write_text('source = "en"\ntargets = ["es"]\n', encoding="utf-8")
    (site / "content" / "a").mkdir()
    (site / "content" / "a" / "b.md").write_text("Words of b in a.\n", encoding="utf-8")
    (site / "content" / "a__b.md").write_text("Words of a__b.\n", encoding="utf-8")
    result = invoke(runner, "export", "--per-article", "-o", "out")
    assert result.exit_code == 0, result.output
    files = sorted(str(p.relative_to(site / "out")) for p in (site / "out").rglob("*.xlf"))
    assert files == ["content/a/b.md.es.xlf", "content/a__b.md.es.xlf"]


# --------------------------------------------------------------------------
# Reading hostile files

HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
        '<file original="content/post.md" source-language="en" target-language="es" datatype="x-markdown"><body>')
TAIL = "</body></file></xliff>"


def _file(units: str) -> bytes:
    return (HEAD + units + TAIL).encode("utf-8")


@pytest.mark.parametrize("doctype", [
    '<!DOCTYPE xliff [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',  # billion laughs
    '<!DOCTYPE xliff [<!ENTITY x SYSTEM "file:///etc/passwd">]>',  # an external entity
    '<!DOCTYPE xliff SYSTEM "http://example.org/xliff.dtd">',  # an external DTD
])
def test_a_document_type_or_entity_is_refused(doctype):
    data = _file('<trans-unit id="1"><source>a</source><target>&amp;</target></trans-unit>')
    data = data.replace(b"<xliff ", doctype.encode() + b"<xliff ", 1)
    with pytest.raises(ContentError, match="document type or entities"):
        read_xliff(data, "x.xlf")


def test_codes_nested_a_thousand_deep_fail_that_unit_alone():
    deep = '<g id="g1">' * 1000 + "x" + "</g>" * 1000
    exchange = read_xliff(_file(f'<trans-unit id="1"><source>a</source><target>{deep}</target></trans-unit>'
                                '<trans-unit id="2"><source>b</source><target>B</target></trans-unit>'), "x.xlf")
    first, second = exchange.files[0].units
    assert "nested more than" in first.error and second.target == "B" and not second.error


def test_units_without_an_id_or_with_the_same_id_are_named():
    exchange = read_xliff(_file('<trans-unit><source>a</source><target>A</target></trans-unit>'
                                '<trans-unit id="7"><source>b</source><target>B</target></trans-unit>'
                                '<trans-unit id="7"><source>c</source><target>C</target></trans-unit>'), "x.xlf")
    units = exchange.files[0].units
    assert units[0].error == "it has no id" and units[0].where == 2
    assert "given to two units" in units[1].error and units[1].error == units[2].error


def test_a_target_of_many_megabytes_is_refused_not_written(runner, blog):
    (blog / "content" / "other.md").unlink()
    assert invoke(runner, "export", "-o", "es.xlf").exit_code == 0
    text = (blog / "es.xlf").read_text(encoding="utf-8")
    huge = "palabra " * 700_000  # 5.6 MB: over what a page may be
    text = text.replace("<source>Configure</source>", f'<source>Configure</source><target state="translated">{huge}</target>')
    text = text.replace("<source>Getting started</source>",
                        '<source>Getting started</source><target state="translated">Primeros pasos</target>')
    (blog / "es.xlf").write_text(text, encoding="utf-8")
    result = invoke(runner, "import", "es.xlf")
    assert result.exit_code == 3, result.output
    assert "its text is over 4 MB" in result.output
    page = (blog / "content" / "post.es.md").read_text(encoding="utf-8")
    assert "Primeros pasos" in page and "palabra" not in page and len(page) < 2000
    # a long one within what a page may be, but many times its source: refused too
    text = text.replace(huge, "palabra " * 200)
    (blog / "es.xlf").write_text(text, encoding="utf-8")
    result = invoke(runner, "import", "es.xlf")
    assert result.exit_code == 3 and "a translation is at most 3 times as long as its source" in result.output


def test_a_file_for_another_language_is_refused_unless_forced(runner, blog):
    (blog / "hugo.toml").write_text('defaultContentLanguage = "en"\n[languages.en]\n[languages.es]\n[languages.fr]\n',
                                    encoding="utf-8")
    assert invoke(runner, "export", "--to", "es", "-o", "es.xlf").exit_code == 0
    text = (blog / "es.xlf").read_text(encoding="utf-8")
    (blog / "es.xlf").write_text(text.replace("<source>Configure</source>",
                                              '<source>Configure</source><target state="translated">Configurar</target>'),
                                 encoding="utf-8")
    result = invoke(runner, "import", "--to", "fr", "es.xlf")
    assert result.exit_code == 3 and "a translation into es, not fr" in result.output, result.output
    assert not (blog / "content" / "post.fr.md").exists()
    result = invoke(runner, "import", "--to", "fr", "--force", "es.xlf")
    assert "imported into fr as --force asks" in result.output, result.output
