"""Batched translation: engine contract, hostile engines, the built-in engines."""

from __future__ import annotations

import pytest
from conftest import hugodocs_files
from helpers import assert_same_structure, translate, translate_text, write

from l10n import engines, markdown
from l10n.engines.basic import PseudoEngine
from l10n.errors import ConfigError, EngineError
from l10n.translate import translate_documents


def test_hostile_engine_keeps_every_protected_span_and_creates_no_markup():
    """Invariant (1) and 'no engine output creates markup', over all of hugodocs."""
    hostile = engines.load("hostile")
    notices = 0
    for path in hugodocs_files():
        text = path.read_text(encoding="utf-8")
        out, found = translate_text(text, hostile)
        assert_same_structure(text, out, str(path))
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


def test_pseudo_is_deterministic_expanded_and_keeps_tags():
    engine = PseudoEngine()
    text = "Read the <g1>manual</g1> before <x1/> you start."
    out = engine.translate_batch([text], "en", "xx")[0]
    assert out == engine.translate_batch([text], "en", "xx")[0]
    assert out.startswith("⟦") and out.endswith("⟧")
    assert "<g1>" in out and "</g1>" in out and "<x1/>" in out
    visible = len(text.replace("<g1>", "").replace("</g1>", "").replace("<x1/>", ""))
    shown = len(out.replace("<g1>", "").replace("</g1>", "").replace("<x1/>", ""))
    assert 1.3 <= shown / visible <= 1.45
    assert not any(c.isascii() and c.isalpha() for c in out.replace("<g1>", "").replace("</g1>", "").replace("<x1/>", ""))


def test_glossary_forces_term_translations_for_every_engine(runner, site):
    write(site / "l10n.toml", '[glossary.es]\n"pull request" = "solicitud de cambios"\n')
    write(site / "content" / "a.md", "---\ntitle: Open a pull request\n---\n\nOpen a pull request on **GitHub**.\n")
    for engine in ("pseudo", "copy"):
        result = translate(runner, "--to", "es,fr", "--engine", engine, "--force")
        assert result.exit_code == 0, result.output
        es = (site / "content" / "a.es.md").read_text(encoding="utf-8")
        fr = (site / "content" / "a.fr.md").read_text(encoding="utf-8")
        assert es.count("solicitud de cambios") == 2 and "pull request" not in es, es
        assert fr.count("pull request") == 2  # no entry for French: the term stays as written
    write(site / "l10n.toml", '[glossary.es]\n"pull request" = "petición de cambios"\n')
    result = translate(runner, "--to", "es", "--engine", "copy")
    assert "settings changed" in result.output
    assert "petición de cambios" in (site / "content" / "a.es.md").read_text(encoding="utf-8")
