"""An engine's calls for one language pair: confidences from the engine, the memory and a scorer."""

from __future__ import annotations

import math

import pytest

from l10n.calls import Pair, confidence
from l10n.errors import EngineError
from l10n.memory import Memory


def test_confidence_is_the_geometric_mean_of_token_probabilities():
    assert confidence(0.0) == 1.0
    assert confidence(math.log(0.5)) == pytest.approx(0.5)
    assert confidence(-50) == pytest.approx(0.0)
    assert confidence(1e-6) == 1.0  # a log-probability just above 0 is a rounding error, not more than sure
    assert confidence(0.3) is None  # a probability given where a log-probability belongs: not a confidence
    assert confidence(None) is None and confidence(float("nan")) is None


class Scored:
    """Upper-cases; as sure of a text as it is short."""

    calls = 0

    def translate_batch(self, texts, source, target):
        return [t.upper() for t in texts]

    def translate_scored(self, texts, source, target):
        Scored.calls += 1
        return [(t.upper(), None, -0.01 * len(t)) for t in texts]


class Plain:
    def translate_batch(self, texts, source, target):
        return [t[::-1] for t in texts]


class Scorer:
    """Sure of a translation that is its text reversed, unsure of anything else."""

    def score_batch(self, sources, translations, source, target):
        return [0.0 if b == a[::-1] else -3.0 for a, b in zip(sources, translations)]


def test_an_engine_s_confidence_is_kept_with_its_translation_in_memory(tmp_path):
    memory = Memory(tmp_path / "memory.sqlite", tmp_path)
    pair = Pair(Scored(), "en", "es", memory, "scored")
    assert pair.texts(["ab", "abcd", "ab"]) == ["AB", "ABCD", "AB"]
    assert pair.scores == {"ab": pytest.approx(math.exp(-0.02)), "abcd": pytest.approx(math.exp(-0.04))}
    calls = Scored.calls
    again = Pair(Scored(), "en", "es", memory, "scored")
    assert again.texts(["abcd"]) == ["ABCD"] and Scored.calls == calls  # from the memory, with its confidence
    assert again.scores == {"abcd": pytest.approx(math.exp(-0.04))}
    memory.close()


def test_a_scorer_scores_what_an_engine_gives_no_confidence_for(tmp_path):
    pair = Pair(Plain(), "en", "es", None, "plain", Scorer())
    assert pair.texts(["abc"]) == ["cba"]
    assert pair.scores == {"abc": 1.0}
    doubtful = Pair(Scored(), "en", "es", None, "scored", Scorer())  # an engine's own confidence comes first
    doubtful.texts(["abc"])
    assert doubtful.scores["abc"] == pytest.approx(math.exp(-0.03))


def test_a_scorer_that_fails_leaves_the_translation_unscored():
    class Broken:
        def score_batch(self, *args):
            raise RuntimeError("no model")

    pair = Pair(Plain(), "en", "es", None, "plain", Broken())
    assert pair.texts(["abc"]) == ["cba"] and pair.scores == {}


def test_a_scored_answer_of_the_wrong_shape_is_an_engine_error():
    class Wrong:
        def translate_batch(self, texts, source, target):
            return texts

        def translate_scored(self, texts, source, target):
            return [(t, None) for t in texts]

    with pytest.raises(EngineError, match="not \\(text, alignment, log-probability\\)"):
        Pair(Wrong(), "en", "es").texts(["a"])


def test_a_scorer_is_loaded_once_a_pair_and_a_wrong_one_is_said_once():
    from l10n.calls import Scorers

    scorers, notices = Scorers("pseudo", ()), []
    assert scorers.get(Plain(), "en", "es", notices) is None
    assert len(notices) == 1 and "cannot score translations (no score_batch)" in notices[0].message
    assert scorers.get(Plain(), "en", "es", notices) is None and len(notices) == 1  # said once
    assert Scorers("", ()).get(Plain(), "en", "es", notices) is None  # none asked for
    assert Scorers("pseudo", ()).get(Scored(), "en", "es", notices) is None  # the engine says how sure it is
    assert len(notices) == 1
