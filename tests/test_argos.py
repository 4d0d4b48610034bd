"""The Argos engine, with real packages built offline (installing them: test_packages.py)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from argos_package import build_package
from conftest import EXAMPLE, ROOT
from helpers import install, records, use_models

from l10n.cli import cli


def test_translate_end_to_end_through_ctranslate2(runner, archives, packages, example_site, offline):
    use_models(example_site, packages)
    install(runner, archives[("en", "es")], packages)
    result = runner.invoke(cli, ["translate", "--engine", "argos", "--to", "es", "--beam-size", "4"])
    assert result.exit_code == 0, result.output
    source = EXAMPLE.read_text(encoding="utf-8")
    target = (example_site / "content" / f"{EXAMPLE.stem}.es.md").read_text(encoding="utf-8")
    # a copy model: every segment came back from CTranslate2 as it went in
    assert target.split("---", 2)[2] == source.split("---", 2)[2]
    assert 'lang:\n  - "es"' in target
    assert "translation memory: 0 found" in result.output
    again = runner.invoke(cli, ["translate", "--engine", "argos", "--to", "es", "--force", "--beam-size", "4"])
    assert "sent to the engine" in again.output and ", 0 sent to the engine" in again.output


def test_translation_really_goes_through_the_model(runner, archives, packages, site, offline):
    """Sentences are split, sent and put back with their spacing."""
    from l10n.engines.argos import ArgosEngine

    install(runner, archives[("en", "es")], packages)
    engine = ArgosEngine(models_dir=packages, beam_size=1)
    texts = ["First sentence here.  Second one, e.g. this!\nThird <g1>with</g1> tags <x1/>.", "Zürich café ÆØÅ…"]
    assert engine.translate_batch(texts, "en", "es") == texts
    assert engine.model_for("en", "es") == "en->es 1.0 beam1"


def test_bpe_packages_translate_without_argostranslate(runner, tmp_path, packages, site, offline):
    """Older packages tokenise with Moses and subword-nmt's BPE (bpe.model)."""
    from l10n.engines.argos import ArgosEngine

    install(runner, build_package(tmp_path, "en", "de", tokenizer="bpe"), packages)
    assert (packages / "translate-en_de-1_0" / "bpe.model").is_file()
    engine = ArgosEngine(models_dir=packages, beam_size=1)
    texts = ["Hello world, this is a test.", "Hugo is a fast static site generator. Numbers like 3.14 stay."]
    assert engine.translate_batch(texts, "en", "de") == texts
    assert "argostranslate" not in sys.modules


def test_pivot_through_english(runner, archives, packages, site, offline):
    from l10n.engines.argos import ArgosEngine

    install(runner, archives[("es", "en")], packages)
    engine = ArgosEngine(models_dir=packages)
    with pytest.raises(Exception, match="l10n models install es fr"):
        engine.translate_batch(["Hola."], "es", "fr")
    install(runner, archives[("en", "fr")], packages)
    assert [p.label for p in engine.route("es", "fr")] == ["es->en 1.0", "en->fr 1.0"]
    assert engine.translate_batch(["Hola mundo. Adiós."], "es", "fr") == ["Hola mundo. Adiós."]


def test_missing_model_is_one_clear_error_before_any_work(runner, packages, example_site, offline, monkeypatch):
    use_models(example_site, packages)
    import l10n.commands.build  # noqa: F401 - bound to the real find_articles before it is replaced
    from l10n import survey

    def no_work(*args, **kwargs):
        raise AssertionError("articles were looked for before the model was")

    monkeypatch.setattr(survey, "find_articles", no_work)
    for command in ("translate", "build"):
        result = runner.invoke(cli, [command, "--engine", "argos", "--to", "de"])
        assert result.exit_code == 2, result.output
        assert "no Argos model for en->de: install one with `l10n models install en de`" in result.output
        assert "--engine pseudo" in result.output and "--engine copy" in result.output
    assert not list((example_site / "content").glob("*.de.md"))


def test_default_engine_is_argos(runner, packages, example_site, monkeypatch):
    monkeypatch.delenv("L10N_ENGINE")
    use_models(example_site, packages)
    result = runner.invoke(cli, ["translate", "--to", "de"])
    assert "no Argos model for en->de" in result.output


def test_argos_path_imports_no_torch(archives, tmp_path):
    folder = tmp_path / "packages"
    code = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
from l10n.engines.packages import install_file
from l10n.engines.argos import ArgosEngine
from pathlib import Path
install_file(Path({str(archives[("en", "es")])!r}), Path({str(folder)!r}))
print(ArgosEngine(models_dir={str(folder)!r}).translate_batch(["Hello world."], "en", "es"))
print(sorted(m for m in ("torch", "stanza", "spacy", "onnxruntime", "argostranslate.translate") if m in sys.modules))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ})
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["['Hello world.']", "[]"]


def test_confidence_comes_from_the_model_and_stays_in_memory(runner, archives, packages, example_site, offline):
    """CTranslate2's hypothesis score is each segment's confidence, kept in provenance and
    in the translation memory (a rerun from the memory keeps it)."""
    from l10n.provenance import TargetRecord, confidences

    use_models(example_site, packages)
    install(runner, archives[("en", "es")], packages)
    assert runner.invoke(cli, ["translate", "--engine", "argos", "--to", "es"]).exit_code == 0
    key = f"content/{EXAMPLE.stem}.es.md"

    def recorded() -> list:
        record = records(example_site)["targets"][key]
        return confidences(TargetRecord(record["source"], record["lang"], confidence=record["confidence"]))

    first = recorded()
    assert len(first) == len(records(example_site)["targets"][key]["segments"])
    assert [v for v in first if v is not None] and all(v == 100 for v in first if v is not None)  # a copy model is sure
    again = runner.invoke(cli, ["translate", "--engine", "argos", "--to", "es", "--force"])
    assert ", 0 sent to the engine" in again.output
    assert recorded() == first


def test_scoring_a_translation_tells_right_from_wrong(runner, archives, packages, site, offline):
    """score_batch: the model's probability of a given translation (a person's, another engine's)."""
    from l10n.engines.argos import ArgosEngine
    from l10n.calls import confidence

    install(runner, archives[("en", "es")], packages)
    engine = ArgosEngine(models_dir=packages)
    source = ["The collector receives telemetry data from your services.", "Hello world, this is a test."]
    right = engine.score_batch(source, source, "en", "es")
    wrong = engine.score_batch(source, ["The collector data from your services.", "world Hello, this is test a."],
                               "en", "es")
    assert [confidence(v) for v in right] == [1.0, 1.0]
    assert all(confidence(v) < 0.01 for v in wrong)
    text, pairs, logprob = engine.translate_scored(source[:1], "en", "es")[0]
    assert text == source[0] and pairs and confidence(logprob) == 1.0


def test_an_argos_model_scores_what_another_engine_translated(runner, archives, packages, example_site, offline):
    """scorer = "argos": an engine that gives no confidence (here copy, whose stubs the copy
    model is sure of, and pseudo, whose accents it is not) gets the model's score; a pair
    the model cannot score is one warning, and the run goes on without confidence."""
    install(runner, archives[("en", "es")], packages)
    (example_site / "l10n.toml").write_text(f'scorer = "argos"\n\n[argos]\nmodels_dir = "{packages}"\n',
                                            encoding="utf-8")
    key = f"content/{EXAMPLE.stem}.es.md"

    def recorded() -> list[int]:
        return [int(v) for v in records(example_site)["targets"][key]["confidence"].split() if v != "-"]

    result = runner.invoke(cli, ["translate", "--engine", "copy", "--to", "es"])
    assert result.exit_code == 0, result.output
    assert recorded() and all(v == 100 for v in recorded()), result.output
    assert runner.invoke(cli, ["translate", "--engine", "pseudo", "--to", "es", "--force"]).exit_code == 0
    assert recorded() and max(recorded()) < 50
    result = runner.invoke(cli, ["translate", "--engine", "pseudo", "--to", "fr", "--force"])
    assert result.exit_code == 0 and "no confidence for en->fr" in result.output
