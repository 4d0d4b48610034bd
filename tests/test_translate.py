"""Batched translation: engine contract, hostile engines, the built-in engines."""

from __future__ import annotations

import pytest
from conftest import hugodocs_files
from helpers import assert_same_structure, translate, translate_text, write

from l10n import engines, markdown
from l10n.markdown import plain
from l10n.engines.basic import PseudoEngine
from l10n.errors import ConfigError, EngineError
from l10n.translate import translate_documents


def test_hostile_engine_keeps_every_protected_span_and_creates_no_markup():
    """Invariant (1) and 'no engine output creates markup', over all of hugodocs."""
    hostile = engines.load("hostile")
    notices = 0
    for path in hugodocs_files():
        text = path.read_text(encoding="utf-8")
        doc = markdown.parse(text)
        forms = [(seg, plain.plain(seg)) for seg in doc.segments()]
        found = translate_documents([doc], hostile, "en", "es")
        out = doc.render()
        assert_same_structure(text, out, str(path))
        # no stand-in for code (X1) that the engine mangled, repeated or lost is left in
        # the text: the segment's capital is one that none of its own text uses so
        for seg, form in forms:
            left = [m.group(0) for name in form.names for m in form.found(name, seg.render())]
            assert not left, (str(path), seg.line, left, seg.render())
        notices += len(found)
    assert notices > 100  # the hostile engine really did misbehave, and it was reported


def test_pseudo_engine_output_keeps_structure_over_hugodocs():
    pseudo = PseudoEngine()
    for path in hugodocs_files()[::7]:
        text = path.read_text(encoding="utf-8")
        out, notices = translate_text(text, pseudo)
        assert_same_structure(text, out, str(path))
        assert notices == [], path


class Counting:
    def __init__(self):
        self.calls: list[list[str]] = []

    def translate_batch(self, texts, source, target):
        self.calls.append(list(texts))
        return [t.upper() for t in texts]


def test_one_engine_call_per_language_pair_and_each_text_once():
    docs = [markdown.parse("Same text.\n\nOther text.\n"), markdown.parse("Same text.\n")]
    engine = Counting()
    translate_documents(docs, engine, "en", "de")
    assert engine.calls == [["Same text.", "Other text."]]
    assert docs[1].render() == "SAME TEXT.\n"


def test_raising_engine_is_a_clear_error_and_changes_nothing():
    doc = markdown.parse("Some text.\n")
    with pytest.raises(EngineError, match="model exploded"):
        translate_documents([doc], engines.load("raising"), "en", "es")
    assert doc.render() == "Some text.\n"


def test_wrong_number_of_outputs_is_a_clear_error():
    with pytest.raises(EngineError, match="returned 1 translations for 2 texts"):
        translate_documents([markdown.parse("One.\n\nTwo.\n")], engines.load("short"), "en", "es")


def test_unknown_engine_lists_the_known_ones():
    with pytest.raises(ConfigError, match="unknown engine 'nope'.*copy.*pseudo"):
        engines.load("nope")


def test_engines_come_from_entry_points():
    found = engines.available()
    assert {"copy", "pseudo", "hostile"} <= set(found)
    assert found["hostile"] == "hostile_engines:HostileEngine"


def test_glossary_forces_term_translations_for_every_engine(runner, site):
    write(site / "l10n.toml", '[glossary.es]\n"pull request" = "solicitud de cambios"\n')
    write(site / "content" / "a.md", "---\ntitle: Open a pull request\n---\n\nOpen a pull request on **GitHub**.\n")
    for engine in ("pseudo", "copy"):
        result = translate(runner, "--to", "es,fr", "--engine", engine, "--force")
        assert result.exit_code == 0, result.output
        es = (site / "content" / "a.es.md").read_text(encoding="utf-8")
        fr = (site / "content" / "a.fr.md").read_text(encoding="utf-8")
        assert es.count("solicitud de cambios") == 2 and "pull request" not in es, es
        # no entry for French: ordinary words there, translated as the engine translates words
        assert fr.count("pull request") == (2 if engine == "copy" else 0), fr
    write(site / "l10n.toml", '[glossary.es]\n"pull request" = "petición de cambios"\n')
    result = translate(runner, "--to", "es", "--engine", "copy")
    assert "settings changed" in result.output
    assert "petición de cambios" in (site / "content" / "a.es.md").read_text(encoding="utf-8")


# -- sentences whole and plain; markup placed by alignment --------------------


def test_the_argos_fixture_reorders_with_a_known_attention(tmp_path):
    """A CTranslate2 model that exchanges its second and third token attends to them so:
    the emphasis on 'red' follows 'red' to its new place."""
    from argos_package import build_package

    from l10n.engines.argos import ArgosEngine
    from l10n.engines.packages import install_file

    packages = tmp_path / "packages"
    install_file(build_package(tmp_path, "en", "es", words=["The", "red", "car", "is", "here"], swap=(1, 2)), packages)
    engine = ArgosEngine(models_dir=packages, beam_size=2)
    assert engine.translate_aligned(["The red car is here."], "en", "es") == [
        ("The car red is here.", [(0, 0), (1, 2), (2, 1), (3, 3), (4, 4)])]
    doc = markdown.parse("The **red** car is here.\n\nThe [red car](/c) is here.\n")
    assert translate_documents([doc], engine, "en", "es") == []
    assert doc.render() == "The car **red** is here.\n\nThe [car red](/c) is here.\n"


def test_engines_that_keep_tags_get_the_tagged_segment_and_are_verified():
    keeping, breaking = engines.load("tagkeeping"), engines.load("tagbreaking")
    keeping.sent.clear()
    doc = markdown.parse("A **bold** and `code` word.\n")
    assert translate_documents([doc], keeping, "en", "es") == []
    assert keeping.sent == ["A <g1>bold</g1> and <x1/> word."]
    assert doc.render() == "A **BOLD** AND `code` WORD.\n"
    # tags dropped: the plain way, never fragments
    keeping.sent.clear()
    doc = markdown.parse("A **bold** and `code` word.\n")
    translate_documents([doc], breaking, "en", "es")
    assert keeping.sent[0] == "A <g1>bold</g1> and <x1/> word." and "A bold and X1 word." in keeping.sent
    assert "**" in doc.render() and "`code`" in doc.render() and "BOLD" in doc.render()


def test_the_memory_is_keyed_by_the_plain_sentence(runner, site):
    import sqlite3

    from l10n.cli import cli

    write(site / "content" / "a.md", "One **sentence** here. And [another](/x) one.\n")
    write(site / "content" / "b.md", "One sentence here.\n")
    engine = engines.load("counting")
    engine.sent.clear()
    assert runner.invoke(cli, ["translate", "--to", "es", "--engine", "counting", "--from", "en"]).exit_code == 0
    rows = sorted(r[0] for r in sqlite3.connect(site / ".l10n" / "memory.sqlite").execute("SELECT text FROM memory"))
    # a sentence with markup and the same one without are one entry; no tag ever stored
    assert "One sentence here." in rows and not any("<" in r or "*" in r for r in rows)
    assert engine.sent.count("One sentence here.") == 1


def test_an_engine_that_keeps_tags_translates_titles_inside_a_paragraph():
    out, _notices = translate_text('See the [docs](https://example.org/ "The docs") and {{< figure '
                                   'src="a.png" alt="A cat" >}} here.\n', engines.load("tagkeeping"))
    assert '"THE DOCS"' in out and 'alt="A CAT"' in out and "SEE THE [DOCS](https://example.org/" in out


def test_markup_after_a_point_in_a_pair_stays_inside_the_pair():
    # the shortcode is a point where the pairs open; the inner *a* after it is still inside the outer one
    text = 'the {{< ref "a.md" >}} **the \\** *a*b*'
    out, notices = translate_text(text, PseudoEngine())
    assert notices == []
    assert_same_structure(text, out)


class Injecting:
    """Adds HTML, a shortcode and template syntax to what it translates."""

    def translate_batch(self, texts, source, target):
        return [f"<script>x</script>{{{{< p >}}}}{{{{ .S }}}} {t}" for t in texts]


def test_engine_markup_in_a_front_matter_value_is_refused_as_in_the_body():
    text = '---\ntitle: "Hello"\ndescription: Plain words\nsummary: "Uses <b>bold</b>"\n---\n\nSome words.\n'
    doc = markdown.parse(text, "post.md")
    notices = translate_documents([doc], Injecting(), "en", "es")
    assert not [n for n in notices if n.severity == "error"]
    out = doc.render()
    head, body = out.split("---\n", 2)[1:]
    assert head == text.split("---\n", 2)[1]  # every value kept as in the source
    assert "\\<script>" in body and "{\\{<" in body  # the body escapes the same output
    warned = sorted((n.line, n.message) for n in notices if "front-matter" in n.message or "added markup" in n.message)
    assert warned == [
        (2, "the engine added markup to title (HTML tag <script, HTML tag </script, shortcode {{<, template syntax {{); "
            "the value is kept in the source language"),
        (3, "the engine added markup to description (HTML tag <script, HTML tag </script, shortcode {{<, template "
            "syntax {{); the value is kept in the source language"),
        (4, "the engine added markup to summary (HTML tag <script, HTML tag </script, shortcode {{<, template "
            "syntax {{); the value is kept in the source language"),
    ]


class Growing:
    """Pads one text a thousand times; leaves the others as they are."""

    def translate_batch(self, texts, source, target):
        return [t * 1000 if "long" in t else t.upper() for t in texts]


def test_a_translation_over_its_size_limit_fails_its_document_alone(tmp_path):
    from l10n import limits
    from l10n.memory import Memory
    from l10n.calls import engine_call

    memory = Memory(tmp_path / "memory.sqlite", tmp_path)
    docs = [markdown.parse("A short text.\n\nAnother one.\n", "a.md"), markdown.parse("---\ntitle: The long title\n---\n\nFine.\n", "b.md")]
    pair = engine_call(Growing(), "growing", "en", "es", memory)
    notices = translate_documents(docs, pair)
    errors = [(n.path, n.line, n.severity) for n in notices if n.severity == "error"]
    assert errors == [("b.md", 2, "error")]
    limit = limits.longest_translation("The long title")
    assert [n.message for n in notices if n.path == "b.md"] == [
        f"the engine's translation of a text of 14 characters has 14,000, more than l10n takes (3 times the text plus "
        f"40: {limit})"]
    assert docs[0].render() == "A SHORT TEXT.\n\nANOTHER ONE.\n"
    # what was refused is kept nowhere; the rest is remembered
    assert memory.lookup(pair.key, ["The long title", "A short text."]) == {"A short text.": ("A SHORT TEXT.", None, None)}
    memory.close()


def test_the_size_limit_holds_for_what_a_memory_already_had(tmp_path):
    from l10n.memory import Memory
    from l10n.calls import engine_call

    memory = Memory(tmp_path / "memory.sqlite", tmp_path)
    pair = engine_call(Growing(), "growing", "en", "es", memory)
    memory.store(pair.key, [("Words.", "x" * 100_000, None, None)])  # made before there was a limit
    doc = markdown.parse("Words.\n", "c.md")
    assert [n.severity for n in translate_documents([doc], pair)] == ["error"]
    memory.close()
