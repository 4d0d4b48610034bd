"""Offline neural translation with Argos Translate models, at CTranslate2's speed.

argostranslate's own ``translate()`` imports torch, stanza and spacy, splits
sentences with models it may try to download, and calls CTranslate2 once per
paragraph with small batches. This engine reads the same packages and calls
CTranslate2 and SentencePiece itself: every sentence of a run in one batched
call per language pair (batches by tokens), each model loaded once, sentences
split by rules (``l10n.sentences``). Nothing here touches the network.

No package for a pair (say es -> fr): translated through English when both
halves are installed, as Argos does.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path
from typing import Sequence

from .. import langs, sentences
from ..errors import ConfigError
from . import packages
from .packages import ModelError, Package

#: Measured on 2 cores with a model of Argos's size (benchmarks/bench_argos.py):
#: beam 2 runs about twice as fast as beam 4 and greedy three times; beam 2
#: keeps most of what beam search gains over greedy. See the README.
DEFAULT_BEAM = 2


class ArgosEngine:
    """Offline neural translation: Argos Translate models through CTranslate2."""

    parallel = False  # CTranslate2 uses every core itself
    memory = True

    def __init__(
        self,
        beam_size: int = DEFAULT_BEAM,
        device: str = "cpu",
        compute_type: str = "auto",
        inter_threads: int = 0,
        intra_threads: int = 1,
        max_batch_tokens: int = 2048,
        models_dir: str | Path | None = None,
    ):
        if beam_size < 1:
            raise ConfigError("beam size must be 1 or more")
        self.beam_size = beam_size
        self.device = device
        self.compute_type = compute_type
        # measured (benchmarks/bench_argos.py): batches in parallel, one core each,
        # beat one batch on all cores by 1.3x at beam 4 and 2x greedy on 2 cores
        self.inter_threads = inter_threads or (os.cpu_count() or 1)
        self.intra_threads = intra_threads or 1
        self.max_batch_tokens = max_batch_tokens
        self.dirs = packages.package_dirs([Path(models_dir)] if models_dir else [])
        self.model = f"beam{beam_size}"
        self._translators: dict[Path, object] = {}
        self._tokenizers: dict[Path, object] = {}
        if device not in ("cpu", "cuda", "auto"):
            raise ConfigError(f"device must be cpu, cuda or auto, not {device!r}")
        if device == "cuda":
            import ctranslate2

            if ctranslate2.get_cuda_device_count() == 0:
                raise ConfigError("--device cuda: CTranslate2 sees no GPU on this machine")

    # -- the engine protocol -----------------------------------------------------------

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        out = list(texts)
        for package in self.route(source, target):
            out = self._translate(package, out)
        return out

    def translate_aligned(self, texts: Sequence[str], source: str, target: str) -> list[tuple[str, list]]:
        """Translations with their word alignment, from CTranslate2's attention: each
        target token goes with the source token it attends to most (when that stands
        out of the rest), tokens to the whitespace-separated words they belong to.
        Through a pivot, the two alignments are composed."""
        current = [(text, None) for text in texts]
        for package in self.route(source, target):
            step = self._translate_aligned(package, [text for text, _ in current])
            current = [(out, pairs if before is None else _compose(before, pairs))
                       for (_text, before), (out, pairs) in zip(current, step)]
        return [(text, sorted(pairs or [])) for text, pairs in current]

    def translate_scored(self, texts: Sequence[str], source: str, target: str) -> list[tuple[str, list, float]]:
        """Translations with their word alignment and the model's mean token log-probability
        (CTranslate2's hypothesis score, which beam search computes anyway): a text of several
        sentences takes its weakest's; through a pivot, the two steps' add up."""
        current = [(text, None, 0.0) for text in texts]
        for package in self.route(source, target):
            step = self._translate_aligned(package, [text for text, _, _ in current], scored=True)
            current = [(out, pairs if before is None else _compose(before, pairs), score + added)
                       for (_text, before, score), (out, pairs, added) in zip(current, step)]
        return [(text, sorted(pairs or []), score) for text, pairs, score in current]

    def score_batch(self, sources: Sequence[str], translations: Sequence[str], source: str,
                    target: str) -> list[float | None]:
        """The model's mean token log-probability of given translations (a person's, another
        engine's), by CTranslate2's ``score_batch``; None through a pivot (there is no
        English text to score the two halves by)."""
        route = self.route(source, target)
        if len(route) != 1:
            return [None] * len(sources)
        package = route[0]
        tokenizer, translator = self._tokenizer(package), self._translator(package)
        # sentence by sentence where both sides have as many, else the whole text
        items: list[tuple[int, str, str]] = []
        for i, (text, translation) in enumerate(zip(sources, translations)):
            ours, theirs = [s for s, _ in sentences.split(text)], [s for s, _ in sentences.split(translation)]
            if ours and theirs:
                items += list(zip([i] * len(ours), ours, theirs)) if len(ours) == len(theirs) else [(i, text, translation)]
        out: list[float | None] = [None] * len(sources)
        if not items:
            return out
        prefix = [package.target_prefix] if package.target_prefix else []
        sources_ = [tokenizer.encode(a, out_type=str) for _i, a, _b in items]
        targets_ = [prefix + tokenizer.encode(b, out_type=str) for _i, _a, b in items]
        try:
            results = translator.score_batch(sources_, targets_, max_batch_size=self.max_batch_tokens,
                                             batch_type="tokens")
        except RuntimeError:  # one too long for the model's positions: the others are scored alone
            results = [_scored_alone(translator, a, b) for a, b in zip(sources_, targets_)]
        for (i, _a, _b), result in zip(items, results):
            if result is None:
                continue
            probs = list(result.log_probs)[len(prefix):]
            if probs:  # the weakest sentence's mean
                mean = min(0.0, sum(probs) / len(probs))
                out[i] = mean if out[i] is None else min(out[i], mean)  # type: ignore[type-var]
        return out

    def check_pair(self, source: str, target: str) -> None:
        """Raises ModelError naming the install command when no model translates the pair."""
        self.route(source, target)

    def model_for(self, source: str, target: str) -> str:
        """What translates this pair: the package versions, for the translation memory."""
        return "+".join(p.label for p in self.route(source, target)) + f" beam{self.beam_size}"

    def route(self, source: str, target: str) -> list[Package]:
        src, tgt = langs.to_argos(source), langs.to_argos(target)
        direct = packages.find(src, tgt, self.dirs)
        if direct is not None:
            return [direct]
        first, second = packages.find(src, "en", self.dirs), packages.find("en", tgt, self.dirs)
        if src != "en" and tgt != "en" and first is not None and second is not None:
            return [first, second]
        raise ModelError(
            f"no Argos model for {source}->{target}: install one with `l10n models install {src} {tgt}` "
            f"(online) or `l10n models install FILE.argosmodel`"
            + ("" if src == "en" or tgt == "en" else f", or both {src}->en and en->{tgt}")
        )

    # -- translation -------------------------------------------------------------------

    def _translate(self, package: Package, texts: list[str]) -> list[str]:
        split = [sentences.split(text) for text in texts]
        unique = list(dict.fromkeys(s for parts in split for s, _space in parts if _worth(s)))
        done = dict(zip(unique, self._sentences(package, unique))) if unique else {}
        return [sentences.join([(done.get(s, s), space) for s, space in parts]) for parts in split]

    def _translate_aligned(self, package: Package, texts: list[str], scored: bool = False) -> list[tuple]:
        """(text, word links) of each text; ``scored``: (text, word links, mean log-probability)."""
        split = [sentences.split(text) for text in texts]
        unique = list(dict.fromkeys(s for parts in split for s, _space in parts if _worth(s)))
        done = dict(zip(unique, self._sentences(package, unique, attention=True, scores=scored))) if unique else {}
        out = []
        for parts in split:
            pairs: set[tuple[int, int]] = set()
            texts_out = []
            src_words = tgt_words = 0
            weakest = 0.0  # a sentence with no letters is copied: the model is not asked
            for sentence, space in parts:
                found = done.get(sentence, (sentence, {(i, i) for i in range(len(sentence.split()))}, 0.0))
                translated, links = found[0], found[1]
                if scored:
                    weakest = min(weakest, found[2])
                pairs |= {(i + src_words, j + tgt_words) for i, j in links}
                src_words += len(sentence.split())
                tgt_words += len(translated.split())
                texts_out.append((translated, space))
            out.append((sentences.join(texts_out), pairs, weakest) if scored else (sentences.join(texts_out), pairs))
        return out

    def _sentences(self, package: Package, items: list[str], attention: bool = False, scores: bool = False) -> list:
        """Translations of sentences; with ``attention``, each with its word links; with
        ``scores``, each with the model's mean token log-probability too."""
        tokenizer = self._tokenizer(package)
        translator = self._translator(package)
        tokens = [tokenizer.encode(s, out_type=str) for s in items]
        longest = max(len(t) for t in tokens)
        prefix = [[package.target_prefix]] * len(tokens) if package.target_prefix else None
        results = translator.translate_batch(
            tokens,
            target_prefix=prefix,
            beam_size=self.beam_size,
            max_batch_size=self.max_batch_tokens,
            batch_type="tokens",
            max_decoding_length=min(1024, 2 * longest + 16),
            return_scores=scores,
            return_attention=attention,
        )
        out = []
        for sentence, source_tokens, result in zip(items, tokens, results):
            hypothesis = result.hypotheses[0]
            weights = result.attention[0] if attention else None
            if package.target_prefix and hypothesis[:1] == [package.target_prefix]:
                hypothesis = hypothesis[1:]
                weights = weights[1:] if weights is not None else None
            text = tokenizer.decode(hypothesis)
            if weights is None:
                out.append(text)
                continue
            links = _links(weights, tokenizer.words_of(source_tokens, sentence), tokenizer.words_of(hypothesis, text))
            # the hypothesis score: its tokens' log-probabilities summed and divided by their
            # number (CTranslate2's length normalisation, length_penalty 1)
            out.append((text, links, min(0.0, float(result.scores[0]))) if scores else (text, links))
        return out

    def _translator(self, package: Package):
        translator = self._translators.get(package.path)
        if translator is None:
            import ctranslate2

            try:
                translator = ctranslate2.Translator(
                    str(package.model), device=self.device, compute_type=self.compute_type,
                    inter_threads=self.inter_threads, intra_threads=self.intra_threads,
                )
            except (RuntimeError, ValueError) as exc:
                raise ModelError(f"{package.path}: the model cannot be loaded: {exc}") from None
            self._translators[package.path] = translator
        return translator

    def _tokenizer(self, package: Package):
        tokenizer = self._tokenizers.get(package.path)
        if tokenizer is None:
            path = package.tokenizer
            if path.name == "sentencepiece.model":
                import sentencepiece

                tokenizer = _SentencePiece(sentencepiece.SentencePieceProcessor(model_file=str(path)))
            elif path.is_file():
                tokenizer = _BPE(path, package)
            else:
                raise ModelError(f"{package.path}: no tokenizer (sentencepiece.model or bpe.model)")
            self._tokenizers[package.path] = tokenizer
        return tokenizer


def _scored_alone(translator, source: list[str], target: list[str]):
    """One pair scored on its own; None when the model cannot (longer than its positions)."""
    try:
        return translator.score_batch([source], [target])[0]
    except RuntimeError:
        return None


def _worth(sentence: str) -> bool:
    return any(ch.isalpha() for ch in sentence)


def _links(weights, source_words: list[int], target_words: list[int]) -> set[tuple[int, int]]:
    """(source word, target word) from attention: each target token goes with the source
    token it attends to most, when that weight stands out (1.5 times an even share, and
    0.15 at least); tokens are counted as the words they belong to."""
    pairs = set()
    for t, row in enumerate(weights):
        if t >= len(target_words) or not len(row):
            continue
        row = list(row)[: len(source_words)]
        best = max(range(len(row)), key=row.__getitem__)
        if row[best] >= max(0.15, 1.5 / len(row)) and source_words[best] >= 0 and target_words[t] >= 0:
            pairs.add((source_words[best], target_words[t]))
    return pairs


def _compose(first: set[tuple[int, int]], second: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """Source to target through a pivot's words."""
    onward: dict[int, set[int]] = {}
    for j, k in second:
        onward.setdefault(j, set()).add(k)
    return {(i, k) for i, j in first for k in onward.get(j, ())}


class _SentencePiece:
    def __init__(self, processor):
        self.processor = processor

    def encode(self, text: str, out_type=str) -> list[str]:
        return self.processor.encode(text, out_type=str)

    def decode(self, tokens: list[str]) -> str:
        return self.processor.decode(tokens)

    def words_of(self, tokens: list[str], text: str) -> list[int]:
        """The whitespace-separated word of ``text`` each token belongs to: a piece that
        starts with ▁ starts the next word."""
        word, out = -1, []
        for token in tokens:
            if token.startswith("\u2581"):
                word += 1
            out.append(max(word, 0))
        count = len(text.split())
        return [w if w < count else count - 1 for w in out]


class _BPE:
    """Packages with a BPE model (older Argos packages): Moses punctuation
    normalisation and tokenisation, then subword-nmt's BPE, as argostranslate's
    BPETokenizer does it, without argostranslate."""

    def __init__(self, path: Path, package: Package):
        from sacremoses import MosesDetokenizer, MosesPunctNormalizer, MosesTokenizer
        from subword_nmt.apply_bpe import BPE

        self.normalizer = MosesPunctNormalizer(package.from_code)
        self.tokenizer = MosesTokenizer(package.from_code)
        self.detokenizer = MosesDetokenizer(package.to_code)
        with open(path, encoding="utf-8") as codes:
            self.bpe = BPE(codes)

    def encode(self, text: str, out_type=str) -> list[str]:
        words = self.tokenizer.tokenize(self.normalizer.normalize(text))
        return self.bpe.segment_tokens(words)

    def decode(self, tokens: list[str]) -> str:
        return self.detokenizer.detokenize(" ".join(tokens).replace("@@ ", "").split(" "))

    def words_of(self, tokens: list[str], text: str) -> list[int]:
        """The whitespace-separated word of ``text`` each token belongs to: found in order."""
        spans = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
        out, pos = [], 0
        for token in tokens:
            surface = html.unescape(token.replace("@@", ""))
            found = text.find(surface, pos) if surface else -1
            if found >= 0:
                pos = found + len(surface)
            at = found if found >= 0 else pos
            out.append(next((i for i, (a, b) in enumerate(spans) if a <= at < b), max(0, len(spans) - 1)))
        return out
