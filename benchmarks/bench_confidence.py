"""Does a segment's confidence mean something? Correct translations against damaged ones.

Two engines, each scored as l10n scores them:

- **Argos** (the copy-model fixture of Argos's real size, ``tests/argos_package.py``):
  its translations' confidence as the engine returns it (CTranslate2's
  hypothesis score, ``translate_scored``), and damaged ones scored by the same
  model (``score_batch``, as ``scorer = "argos"`` scores another engine's);
- **Apertium** eng->spa output, scored by a fixture model of the pair: a
  CTranslate2 Transformer built from numpy (``lexical_model_spec`` below)
  whose cross-attention looks near the source position its target position
  corresponds to, and whose output layer holds an IBM Model 1 lexical table
  learnt from Apertium's translations of *other* sentences of the corpus (a
  model trained on the engine's output, then asked about held-out sentences).

Damage, per sentence (seeded): a third of its words dropped, its words
shuffled, another sentence of the corpus in its place, and left in the source
language (the English sentence as its own "translation"; for the copy model,
whose translation *is* its input, that is no damage and is left out).

Prints, per engine and damage, the AUC of confidence separating correct from
damaged (1.0: every correct translation scored above every damaged one;
target 0.9 or more), and the cost of computing confidence in the Argos
engine: the same translations with and without scores (median of interleaved
rounds; target under 10%).

    python benchmarks/bench_confidence.py [--sentences 300] [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def corpus(count: int) -> list[str]:
    """Sentences of real English prose (6 to 40 words, no markup), from the corpus the tests
    carry, then the shared corpus's Hugo documentation (``../shared/corpus``) where it is."""
    from l10n import markdown, sentences

    found: list[str] = []
    files = sorted((ROOT / "tests" / "corpus" / "hugodocs").rglob("*.md")) + \
        sorted((ROOT / "tests" / "corpus" / "otel" / "en").rglob("*.md")) + \
        sorted((ROOT.parent / "shared" / "corpus" / "hugodocs").rglob("*.md"))
    for path in files:
        try:
            doc = markdown.parse(path.read_text(encoding="utf-8"))
        except Exception:  # noqa: BLE001 - a page the parser refuses is simply not used
            continue
        for seg in doc.segments():
            if seg.kind != "paragraph":
                continue
            for sentence, _space in sentences.split(seg.text):
                words = sentence.split()
                if 6 <= len(words) <= 40 and not any(ch in sentence for ch in "<>{}|`$\\") and sentence not in found:
                    found.append(sentence)
                    if len(found) >= count:
                        return found
    return found


def damaged(sentences: list[str], seed: int = 7) -> dict[str, list[str]]:
    """Each sentence damaged four ways (the index of a sentence is kept)."""
    rng = random.Random(seed)
    out: dict[str, list[str]] = {"dropped": [], "shuffled": [], "wrong": [], "source": []}
    for i, sentence in enumerate(sentences):
        words = sentence.split()
        drop = set(rng.sample(range(len(words)), max(1, len(words) // 3)))
        out["dropped"].append(" ".join(w for k, w in enumerate(words) if k not in drop))
        shuffled = words[:]
        while shuffled == words:
            rng.shuffle(shuffled)
        out["shuffled"].append(" ".join(shuffled))
        out["wrong"].append(sentences[(i + 1 + rng.randrange(len(sentences) - 1)) % len(sentences)])
    return out


def auc(good: list[float], bad: list[float]) -> float:
    """The probability that a correct translation scores above a damaged one (ties count half)."""
    wins = sum((g > b) + 0.5 * (g == b) for g in good for b in bad)
    return wins / (len(good) * len(bad))


def confidence(values) -> list[float]:
    from l10n.calls import confidence as mapped

    return [mapped(v) if v is not None else 0.0 for v in values]


# --------------------------------------------------------------------------
# Argos


def argos(sentences: list[str], rounds: int) -> None:
    from argos_package import build_package, install_copy

    from l10n.engines.argos import ArgosEngine

    work = Path(tempfile.mkdtemp(prefix="l10n-bench-confidence-"))
    print("building a copy model of Argos's size ...", flush=True)
    install_copy(build_package(work / "archives", "en", "es", size="argos"), work / "packages")
    engine = ArgosEngine(models_dir=work / "packages")
    scored = engine.translate_scored(sentences, "en", "es")
    correct = [text for text, _pairs, _logprob in scored]
    good = confidence([logprob for _text, _pairs, logprob in scored])
    print(f"\nArgos (copy model, beam {engine.beam_size}): {len(sentences)} sentences, "
          f"correct translations' confidence: median {statistics.median(good):.2f}, min {min(good):.2f}")
    for kind, texts in damaged(correct).items():
        if kind == "source":
            print("  source    (a copy model's translation is its input: no damage here)")
            continue
        bad = confidence(engine.score_batch(sentences, texts, "en", "es"))
        print(f"  {kind:<9} AUC {auc(good, bad):.3f}   damaged median {statistics.median(bad):.2f}")
    # the cost: the same sentences translated as l10n did before (attention, no scores), and with scores
    package = engine.route("en", "es")[0]
    plain, with_scores = [], []
    for _ in range(rounds):
        started = time.perf_counter()
        engine._sentences(package, sentences, attention=True, scores=False)  # noqa: SLF001 - the bare call measured
        plain.append(time.perf_counter() - started)
        started = time.perf_counter()
        engine._sentences(package, sentences, attention=True, scores=True)  # noqa: SLF001
        with_scores.append(time.perf_counter() - started)
    a, b = statistics.median(plain), statistics.median(with_scores)
    print(f"  cost: {a:.2f} s without scores, {b:.2f} s with them (median of {rounds} interleaved rounds): "
          f"{100 * (b - a) / a:+.1f}% (target under 10%)")
    started = time.perf_counter()
    engine.score_batch(sentences, correct, "en", "es")
    print(f"  scoring given translations (score_batch, for other engines): {time.perf_counter() - started:.2f} s, "
          f"{100 * (time.perf_counter() - started) / b:.0f}% of translating them")


# --------------------------------------------------------------------------
# Apertium, scored by a lexical fixture model


def apertium_translate(sentences: list[str]) -> list[str]:
    from l10n.engines.apertium import ApertiumEngine

    return ApertiumEngine().translate_batch(sentences, "en", "es")


def ibm1(pairs: list[tuple[list[int], list[int]]], size: int, iterations: int = 6):
    """IBM Model 1: t[f, e], the probability of target piece f given source piece e
    (piece 0 of the source side stands for NULL)."""
    import numpy as np

    t = np.full((size, size), 1.0 / size)
    for _ in range(iterations):
        counts = np.zeros((size, size))
        for source, target in pairs:
            e = np.array([0, *source])
            f = np.array(target)
            block = t[np.ix_(f, e)]
            block /= block.sum(axis=1, keepdims=True)
            np.add.at(counts, (f[:, None], e[None, :]), block)
        t = counts / np.maximum(counts.sum(axis=0, keepdims=True), 1e-12)
    return t


def lexical_model_spec(vocab: list[str], table, prior, ratio: float, bigram, d_pos: int = 256,
                       width: float = 5.0, sharpness: float = 0.15, gain: float = 0.1, follow: float = 0.1,
                       seed: int = 0):
    """A one-layer Transformer built from the parts of a classical translation model:
    target position t looks at the source around t / ``ratio`` (random Fourier features
    of positions make the dot product a Gaussian of the distance, about ``width``
    pieces: a diagonal alignment prior), and the output layer gives each target piece
    its prior (``prior``: log p(f)), plus ``gain`` times its association with the
    source pieces found there (``table``: positive pointwise mutual information from
    IBM Model 1, log t(f|e) - log p(f), or 0), plus ``follow`` times how well it
    follows the piece before it (``bigram``: the same for the target language's
    pairs of pieces). The gains are small because each layer normalisation scales
    the one-hot slots up by about the square root of the model's width."""
    import numpy as np
    from ctranslate2 import specs

    rng = np.random.default_rng(seed)
    size = len(vocab)
    d = 2 * size + d_pos  # [source pieces carried | the piece before | position]
    tok, before, pos = slice(0, size), slice(size, 2 * size), slice(2 * size, d)
    omega = rng.standard_normal(d_pos) / width
    phase = rng.uniform(0, 2 * np.pi, d_pos)

    def features(places) -> np.ndarray:
        return (np.sqrt(2.0 / d_pos) * np.cos(np.outer(places, omega) + phase)).astype(np.float32)

    max_len = 1024
    spec = specs.TransformerSpec.from_config(1, 1)
    enc, dec = spec.encoder, spec.decoder
    source = np.zeros((size, d), np.float32)
    source[:, tok] = np.eye(size, dtype=np.float32)
    enc.embeddings[0].weight = source
    previous = np.zeros((size, d), np.float32)  # the decoder's input: the piece before, in its own slot
    previous[:, before] = np.eye(size, dtype=np.float32)
    dec.embeddings.weight = previous
    encodings = np.zeros((max_len, d), np.float32)
    encodings[:, pos] = features(np.arange(max_len))
    looked_up = np.zeros((max_len, d), np.float32)
    looked_up[:, pos] = features(np.arange(max_len) / ratio)
    ones, zeros = np.ones(d, np.float32), np.zeros(d, np.float32)
    for side, positions in ((enc, encodings), (dec, looked_up)):
        side.scale_embeddings = False
        side.position_encodings.encodings = positions
        side.layer_norm.gamma, side.layer_norm.beta = ones, zeros
    for layer in (*enc.layer, *dec.layer):  # the cross-attention alone does the work
        layer.self_attention.layer_norm.gamma, layer.self_attention.layer_norm.beta = ones, zeros
        layer.self_attention.linear[0].weight = np.zeros((3 * d, d), np.float32)
        layer.self_attention.linear[1].weight = np.zeros((d, d), np.float32)
        layer.ffn.layer_norm.gamma, layer.ffn.layer_norm.beta = ones, zeros
        layer.ffn.linear_0.weight = np.zeros((8, d), np.float32)
        layer.ffn.linear_1.weight = np.zeros((d, 8), np.float32)
    cross = dec.layer[0].attention
    cross.layer_norm.gamma, cross.layer_norm.beta = ones, zeros
    query = np.zeros((d, d), np.float32)
    query[pos, pos] = sharpness * np.eye(d_pos)  # where the target position is...
    keys_values = np.zeros((2 * d, d), np.float32)
    keys_values[:d][pos, pos] = np.eye(d_pos)  # ...against where each source piece is
    keys_values[d:][tok, tok] = np.eye(size)  # carrying the source pieces found there
    output = np.zeros((d, d), np.float32)
    output[tok, tok] = np.eye(size)
    cross.linear[0].weight, cross.linear[1].weight, cross.linear[2].weight = query, keys_values, output
    projection = np.zeros((size, d), np.float32)
    projection[:, tok] = gain * table
    projection[:, before] = follow * bigram
    dec.projection.weight = projection
    dec.projection.bias = prior.astype(np.float32)
    spec.config.add_source_eos = True
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.validate()
    return spec


def apertium(sentences: list[str], train: list[str]) -> None:
    import numpy as np
    import sentencepiece as spm
    from argos_package import sentencepiece_model

    from l10n.engines.argos import ArgosEngine

    started = time.perf_counter()
    train_out = apertium_translate(train)
    test_out = apertium_translate(sentences)
    print(f"\nApertium eng->spa: {len(train)} sentences to learn from, {len(sentences)} held out "
          f"({time.perf_counter() - started:.1f} s of Apertium)", flush=True)
    proto = sentencepiece_model(1000, train + train_out)
    processor = spm.SentencePieceProcessor(model_proto=proto)
    vocab = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    pairs = [(processor.encode(a), processor.encode(b) + [2]) for a, b in zip(train, train_out)]
    t = ibm1([([*s, 2], f) for s, f in pairs], len(vocab))
    ratio = sum(len(f) for _s, f in pairs) / sum(len(s) + 1 for s, _f in pairs)
    counts = np.ones(len(vocab))  # the target pieces' frequencies, and those of their pairs (add-one, add-0.1)
    pair_counts = np.full((len(vocab), len(vocab)), 0.1)
    for _s, f in pairs:
        np.add.at(counts, f, 1)
        np.add.at(pair_counts, (f, [1, *f[:-1]]), 1)
    prior = np.log(counts / counts.sum())
    table = np.maximum(0, np.log(np.maximum(t, 1e-9)) - prior[:, None]).astype(np.float32)
    follows = np.log(pair_counts / pair_counts.sum(axis=0, keepdims=True))
    bigram = np.maximum(0, follows - prior[:, None]).astype(np.float32)
    work = Path(tempfile.mkdtemp(prefix="l10n-bench-lexical-"))
    root = work / "translate-en_es-lexical"
    (root / "model").mkdir(parents=True)
    spec = lexical_model_spec(vocab, table, prior, ratio, bigram)
    spec.save(str(root / "model"))
    (root / "sentencepiece.model").write_bytes(proto)
    (root / "metadata.json").write_text(json.dumps({"package_version": "1.0", "argos_version": "1.9",
                                                    "from_code": "en", "to_code": "es", "type": "translate"}))
    scorer = ArgosEngine(models_dir=work)
    good = confidence(scorer.score_batch(sentences, test_out, "en", "es"))
    print(f"  fixture model: {len(vocab)} pieces; IBM Model 1, a diagonal alignment prior (length ratio {ratio:.2f}) "
          f"and a bigram model, learnt from Apertium's output; correct translations' confidence: "
          f"median {statistics.median(good):.4f}")
    for kind, texts in damaged(test_out).items():
        if kind == "source":
            texts = sentences
        bad = confidence(scorer.score_batch(sentences, texts, "en", "es"))
        print(f"  {kind:<9} AUC {auc(good, bad):.3f}   damaged median {statistics.median(bad):.4f}")
    started = time.perf_counter()
    scorer.score_batch(sentences, test_out, "en", "es")
    print(f"  scoring {len(sentences)} translations: {time.perf_counter() - started:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sentences", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--train", type=int, default=6000, help="sentences the Apertium fixture model learns from")
    parser.add_argument("--apertium-only", action="store_true", help="leave the Argos part out")
    args = parser.parse_args()
    everything = corpus(args.sentences + args.train)
    held_out, train = everything[: args.sentences], everything[args.sentences :]
    if not args.apertium_only:
        argos(held_out, args.rounds)
    apertium(held_out, train)


if __name__ == "__main__":
    main()
