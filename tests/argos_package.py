"""Build real Argos Translate packages offline, in a fraction of a second.

A SentencePiece model trained on a few sentences (with byte fallback, so any
text can be encoded) and a CTranslate2 Transformer made from numpy arrays
whose output is its input: the decoder ignores its own tokens, attends to the
source position it is at (learned random position vectors), and projects the
token found there back onto the vocabulary. With ``add_source_eos`` it stops
where the source does. Translations are therefore exact copies, so tests can
assert on what real CTranslate2 decoding returns.

``size="argos"`` gives the shape of a real Argos model (6+6 layers, d_model
512, 8 heads, FFN 2048, a 32,000-token vocabulary) for benchmarks.
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from pathlib import Path
from typing import Sequence

import numpy as np

SENTENCES = [
    "Hello world, this is a test.",
    "The collector receives telemetry data from your services.",
    "Translate every segment of a run in one pass.",
    "Numbers like 3.14 and 2024 stay as they are.",
    "Tags such as <g1> and </g1> and <x1/> survive.",
    "Hugo is a fast static site generator.",
    "El colector recibe datos de telemetría.",
    "Le collecteur reçoit des données.",
]


def sentencepiece_model(vocab_size: int, corpus: list[str], words: Sequence[str] = ()) -> bytes:
    import sentencepiece as spm

    model = io.BytesIO()
    extra = {"user_defined_symbols": ["\u2581" + w for w in words]} if words else {}
    spm.SentencePieceTrainer.train(**extra,
        sentence_iterator=iter(corpus), model_writer=model, vocab_size=vocab_size, character_coverage=1.0,
        model_type="unigram", unk_id=0, bos_id=1, eos_id=2, pad_id=-1, byte_fallback=True,
        hard_vocab_limit=False, minloglevel=2, num_threads=1,
        # exact round trips: no NFKC ("…" would become "..."), spaces as they are
        normalization_rule_name="identity", remove_extra_whitespaces=False,
    )
    return model.getvalue()


def copy_model_spec(vocab: list[str], layers: int = 1, heads: int = 1, d_tok: int = 64, d_pos: int = 64,
                    ffn: int | None = None, max_len: int = 512, seed: int = 0, swap: tuple[int, int] | None = None):
    """A Transformer spec whose greedy and beam outputs equal its input; ``swap=(i, j)``:
    with the tokens at positions i and j exchanged (a known reordering). Every decoder
    layer's cross-attention matches positions, so the attention CTranslate2 returns
    (the last layer's) says which source token each output token is: a known alignment."""
    from ctranslate2 import specs

    rng = np.random.default_rng(seed)
    size = len(vocab)
    d = 2 * d_tok + d_pos  # [unused | token copied | position]
    tok = slice(d_tok, 2 * d_tok)
    pos = slice(2 * d_tok, 2 * d_tok + d_pos)
    ffn = ffn or d
    embeddings = rng.standard_normal((size, d_tok)).astype(np.float32)
    positions = rng.standard_normal((max_len, d_pos)).astype(np.float32)
    spec = specs.TransformerSpec.from_config(layers, heads)
    source = np.zeros((size, d), np.float32)
    source[:, tok] = embeddings
    encodings = np.zeros((max_len, d), np.float32)
    encodings[:, pos] = positions
    looked_up = encodings.copy()  # the decoder at step t looks for the source token at this position
    if swap is not None:
        looked_up[list(swap)] = looked_up[list(reversed(swap))]
    ones, zeros = np.ones(d, np.float32), np.zeros(d, np.float32)
    enc, dec = spec.encoder, spec.decoder
    enc.embeddings[0].weight = source
    dec.embeddings.weight = np.zeros((size, d), np.float32)  # the decoder's own tokens carry nothing
    for side, table in ((enc, encodings), (dec, looked_up)):
        side.scale_embeddings = False
        side.position_encodings.encodings = table
        side.layer_norm.gamma, side.layer_norm.beta = ones, zeros

    def quiet(layer) -> None:  # attention and feed-forward that add nothing
        layer.self_attention.layer_norm.gamma, layer.self_attention.layer_norm.beta = ones, zeros
        layer.self_attention.linear[0].weight = np.zeros((3 * d, d), np.float32)
        layer.self_attention.linear[1].weight = np.zeros((d, d), np.float32)
        layer.ffn.layer_norm.gamma, layer.ffn.layer_norm.beta = ones, zeros
        layer.ffn.linear_0.weight = np.zeros((ffn, d), np.float32)
        layer.ffn.linear_1.weight = np.zeros((d, ffn), np.float32)

    for layer in enc.layer:
        quiet(layer)
    matching: tuple | None = None
    for i, layer in enumerate(dec.layer):
        quiet(layer)
        cross = layer.attention
        cross.layer_norm.gamma, cross.layer_norm.beta = ones, zeros
        query, keys_values, output = (np.zeros((d, d), np.float32), np.zeros((2 * d, d), np.float32),
                                      np.zeros((d, d), np.float32))
        if i > 0 and matching is not None:
            # later layers look the same way and add nothing: their attention is the alignment
            query, keys_values[:d] = matching[0].copy(), matching[1][:d].copy()
        if i == 0:
            # every head matches positions (a random projection of them: the dot
            # product survives it), and heads 0, 1... carry slices of the token
            head = d // heads
            for h in range(heads):
                rows = slice(h * head, (h + 1) * head)
                projection_h = rng.standard_normal((head, d_pos)).astype(np.float32) / np.sqrt(head)
                query[rows, pos] = 20 * projection_h  # where the decoder is
                keys_values[rows, pos] = projection_h  # where each source token is
                carried = slice(h * head, min((h + 1) * head, d_tok))
                if carried.start < d_tok:
                    width = carried.stop - carried.start
                    keys_values[d + h * head : d + h * head + width, tok.start + carried.start : tok.start + carried.stop] = np.eye(width)
            output[tok, 0:d_tok] = np.eye(d_tok)  # the carried token, back into the stream
            matching = (query, keys_values)
        cross.linear[0].weight, cross.linear[1].weight, cross.linear[2].weight = query, keys_values, output
    projection = np.zeros((size, d), np.float32)
    projection[:, tok] = 10 * embeddings
    dec.projection.weight = projection
    spec.config.add_source_eos = True
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.validate()
    return spec


def _bpe(corpus: list[str], from_code: str) -> tuple[bytes, list[str]]:
    """BPE codes learned by subword-nmt on Moses-tokenised text, and the
    vocabulary they segment that text into (every single character too, so
    unseen words can still be spelled)."""
    from sacremoses import MosesPunctNormalizer, MosesTokenizer
    from subword_nmt.apply_bpe import BPE
    from subword_nmt.learn_bpe import learn_bpe

    tokenizer, normalizer = MosesTokenizer(from_code), MosesPunctNormalizer(from_code)
    lines = [" ".join(tokenizer.tokenize(normalizer.normalize(s))) for s in corpus]
    codes = io.StringIO()
    learn_bpe(io.StringIO("\n".join(lines) + "\n"), codes, 200, min_frequency=1)
    bpe = BPE(io.StringIO(codes.getvalue()))
    vocab = {token for line in lines for token in bpe.segment_tokens(line.split())}
    chars = {ch for line in lines for ch in line if not ch.isspace()}
    vocab |= chars | {ch + "@@" for ch in chars}
    return codes.getvalue().encode("utf-8"), ["<unk>", "<s>", "</s>", *sorted(vocab)]


def build_package(dest: Path, from_code: str = "en", to_code: str = "es", size: str = "tiny",
                  quantization: str = "int8", target_prefix: str = "", version: str = "1.0",
                  tokenizer: str = "sentencepiece", words: Sequence[str] = (), swap: tuple[int, int] | None = None) -> Path:
    """An ``.argosmodel`` archive in ``dest``, as argospm would download it.

    ``tokenizer="bpe"``: an older package's shape, a subword-nmt ``bpe.model``
    over Moses tokens instead of ``sentencepiece.model``. ``words``: whole words
    the SentencePiece model keeps as one token each; ``swap``: the model exchanges
    the tokens at these two positions (see copy_model_spec)."""
    import sentencepiece as spm

    if tokenizer == "bpe":
        codes, vocab = _bpe(SENTENCES * 4, from_code)
        return _archive(dest, from_code, to_code, version, target_prefix, quantization, vocab,
                        dict(layers=1, heads=1, d_tok=64, d_pos=64), "bpe.model", codes)
    if size == "argos":
        corpus = SENTENCES + [_filler(i) for i in range(4000)]
        model_proto = sentencepiece_model(32000, corpus)
        shape = dict(layers=6, heads=8, d_tok=192, d_pos=128, ffn=2048)
    else:
        model_proto = sentencepiece_model(400, SENTENCES * 4, words)
        shape = dict(layers=1, heads=1, d_tok=64, d_pos=64)
    if swap is not None:
        shape["swap"] = swap
    processor = spm.SentencePieceProcessor(model_proto=model_proto)
    vocab = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    if size == "argos":
        vocab += [f"<extra_{i}>" for i in range(32000 - len(vocab))]
    return _archive(dest, from_code, to_code, version, target_prefix, quantization, vocab, shape,
                    "sentencepiece.model", model_proto)


def _archive(dest: Path, from_code: str, to_code: str, version: str, target_prefix: str, quantization: str,
             vocab: list[str], shape: dict, tokenizer_name: str, tokenizer_data: bytes) -> Path:
    name = f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"
    with tempfile.TemporaryDirectory() as work:
        root = Path(work) / name
        (root / "model").mkdir(parents=True)
        spec = copy_model_spec(vocab, **shape)
        spec.optimize(quantization=quantization)
        spec.save(str(root / "model"))
        (root / tokenizer_name).write_bytes(tokenizer_data)
        metadata = {
            "package_version": version, "argos_version": "1.9", "from_code": from_code, "to_code": to_code,
            "from_name": from_code, "to_name": to_code, "type": "translate", "target_prefix": target_prefix,
        }
        (root / "metadata.json").write_text(json.dumps(metadata, indent=2))
        (root / "README.md").write_text("A copy model built for tests: its output is its input.\n")
        dest.mkdir(parents=True, exist_ok=True)
        archive = dest / f"{name}.argosmodel"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zf:
            for path in sorted(root.rglob("*")):
                zf.write(path, path.relative_to(Path(work)).as_posix())
    return archive


def _filler(i: int) -> str:
    rng = np.random.default_rng(i)
    letters = "abcdefghijklmnopqrstuvwxyzáéíóúñçàèü"
    return " ".join("".join(rng.choice(list(letters), size=rng.integers(2, 9))) for _ in range(12))


def install_copy(archive: Path, packages: Path) -> Path:
    """Unpack an archive into a packages folder without l10n (for baselines)."""
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(packages)
    return packages / archive.stem


if __name__ == "__main__":  # python tests/argos_package.py DEST [size]
    import sys

    print(build_package(Path(sys.argv[1]), size=sys.argv[2] if len(sys.argv) > 2 else "tiny"))

