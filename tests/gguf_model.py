"""Build a tiny GGUF "llama" model that answers one fixed text to any prompt.

The model is made for tests that must talk to a REAL OpenAI-compatible server
(llama.cpp through ``llama-cpp-python[server]``) without downloading weights.

How it works
------------
* Tokenizer: GPT-2 style byte-level BPE (``tokenizer.ggml.model = "gpt2"``)
  with the 256 byte-level characters as base tokens and a single harmless
  merge (``"ÿ ÿ"``; byte 0xFF never occurs in UTF-8 text).  Any prompt, in any
  script, tokenizes to one token per UTF-8 byte.  Because there are no useful
  merges, the tokenizer can never produce one of the multi-byte "reply" tokens
  below from prompt text.
* Reply tokens: the reply is cut greedily into chunks (at most
  ``MAX_CHUNK_CHARS`` characters and ``MAX_CHUNK_BYTES`` UTF-8 bytes - the
  llama-cpp-python detokenizer has a 32-byte buffer per token) and every chunk
  becomes its own vocabulary entry, so the chain reply[0] -> reply[1] -> ... is
  unambiguous even when text repeats.  llama.cpp refuses duplicate token texts,
  so when no unused chunk is available at a position (pathological repetition,
  e.g. "aaaa..."), the character is emitted as BYTE-type alias tokens
  ``<0xHH>~k`` that llama.cpp detokenizes to the single byte 0xHH.
* Weights: 1 layer; Q/K/V/O and the FFN are all zero, so the hidden state at
  the last position is just the embedding of the last token.  Each token gets
  a "two-hot" code vector; every non-reply token (the whole base vocabulary,
  control tokens) shares code 0, and reply token k gets code k+1.  The output
  matrix maps code 0 -> first reply token, code k+1 -> reply token k+1, and
  the code of the last reply token -> EOS.  The right token has logit 100,
  every other token <= 50, so greedy decoding (and even temperature sampling
  or repeat penalties) is deterministic.
* Chat template (``tokenizer.chat_template``) ends with a control token
  ``<|fixture_reply|>``; but since *every* non-reply token predicts the first
  reply token, any prompt (chat or raw completion) yields the reply.

The completion text is exactly ``reply`` and generation ends with EOS
(``finish_reason == "stop"``).  The only text a reply may not contain is the
EOS token's text ``<|fixture_eos|>`` (llama-cpp-python uses it as a stop
string).  Pathologically repetitive replies ("aaaa..." x 2000) still work but
need about one token per byte, and llama-cpp-python's per-step
re-detokenisation makes that O(n^2): ~4 s for 2,000 such bytes.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import List, Tuple

import numpy as np

__all__ = ["build_model", "reply_tokens", "CHAT_TEMPLATE", "MAX_CHUNK_CHARS"]

MAX_CHUNK_CHARS = 32
MAX_CHUNK_BYTES = 32  # llama_cpp._internals.LlamaModel.detokenize uses a 32-byte buffer

BOS = "<|fixture_bos|>"
# Not "<|endoftext|>": llama-cpp-python's Jinja chat handler also uses the EOS
# token's *text* as a stop string, so a reply containing it would be cut there.
EOS = "<|fixture_eos|>"
MSG = "<|fixture_msg|>"
SEP = "<|fixture_sep|>"
REPLY = "<|fixture_reply|>"

# The trailing <|fixture_reply|> is emitted unconditionally (llama-cpp-python
# always passes add_generation_prompt=True anyway).  Content may be a string,
# None or a list of parts; whatever renders is fine since the prompt is ignored.
CHAT_TEMPLATE = (
    "{% for message in messages %}"
    + MSG
    + "{{ message['role'] }}"
    + SEP
    + "{{ message['content'] }}"
    + "{% endfor %}"
    + REPLY
)

# Token texts that llama.cpp (llama-vocab.cpp) promotes by name to
# EOG/EOT/FIM/control tokens; a reply chunk must never be one of them.
_RESERVED = frozenset(
    """</s> <EOT> <MID> <PAD> <PRE> <REPO> <SUF> <end_of_turn> <end_of_utterance>
    <eos> <fim-middle> <fim-pad> <fim-prefix> <fim-repo> <fim-suffix> <fim_middle>
    <fim_pad> <fim_prefix> <fim_suffix> <reponame> <turn|> <|calls|> <|call|>
    <|code_middle|> <|code_prefix|> <|code_suffix|> <|end_of_text|> <|endoftext|>
    <|end|> <|eom_id|> <|eot_id|> <|file_sep|> <|fim_middle|> <|fim_pad|>
    <|fim_prefix|> <|fim_repo|> <|fim_suffix|> <|flush|> <|im_end|> <|middle|>
    <|prefix|> <|repo_name|> <|return|> <|suffix|> <|tool_response> [EOS] [EOT]
    [PAD] [e~[ _<EOT> <|channel|> <|message|> <|start|> <|constrain|> <oov>""".split()
)

TOKEN_TYPE_NORMAL = 1
TOKEN_TYPE_CONTROL = 3
TOKEN_TYPE_BYTE = 6


def _bytes_to_unicode() -> List[str]:
    """GPT-2's reversible byte -> printable-character table (same as llama.cpp)."""
    bs = (
        list(range(ord("!"), ord("~") + 1))
        + list(range(ord("¡"), ord("¬") + 1))
        + list(range(ord("®"), ord("ÿ") + 1))
    )
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    table = [""] * 256
    for b, c in zip(bs, cs):
        table[b] = chr(c)
    return table


_BYTE_CHARS = _bytes_to_unicode()


def _bytelevel(data: bytes) -> str:
    return "".join(_BYTE_CHARS[b] for b in data)


def _looks_reserved(text: str) -> bool:
    if text in _RESERVED:
        return True
    # Be conservative about anything shaped like a special token.
    if len(text) >= 2 and text[0] in "<[" and text[-1] in ">][":
        return True
    return text.startswith("_<")


def _base_vocab() -> Tuple[List[str], List[int]]:
    texts = list(_BYTE_CHARS) + ["ÿÿ", BOS, EOS, MSG, SEP, REPLY]
    types = [TOKEN_TYPE_NORMAL] * 257 + [TOKEN_TYPE_CONTROL] * 5
    return texts, types


def reply_tokens(reply: str) -> List[Tuple[str, int, bytes]]:
    """Cut ``reply`` into reply tokens: a list of (token text, token type, bytes it renders to)."""
    base_texts, _ = _base_vocab()
    used = set(base_texts)
    out: List[Tuple[str, int, bytes]] = []
    alias = 0
    i = 0
    n = len(reply)
    while i < n:
        for length in range(min(MAX_CHUNK_CHARS, n - i), 0, -1):
            data = reply[i : i + length].encode("utf-8")
            if len(data) > MAX_CHUNK_BYTES:
                continue
            text = _bytelevel(data)
            if text in used or _looks_reserved(text):
                continue
            used.add(text)
            out.append((text, TOKEN_TYPE_NORMAL, data))
            i += length
            break
        else:
            # No unused chunk starts here: spell this character with unique
            # BYTE alias tokens ("<0xHH>~k" detokenizes to byte 0xHH).
            for b in reply[i].encode("utf-8"):
                text = "<0x%02X>~%d" % (b, alias)
                while text in used:  # the reply itself may contain such text
                    alias += 1
                    text = "<0x%02X>~%d" % (b, alias)
                alias += 1
                used.add(text)
                out.append((text, TOKEN_TYPE_BYTE, bytes([b])))
            i += 1
    assert b"".join(t[2] for t in out) == reply.encode("utf-8")
    return out


def build_model(path: Path, reply: str, *, context_length: int = 65536) -> Path:
    """Write a GGUF model to ``path`` whose greedy answer to any prompt is ``reply`` then EOS."""
    import gguf  # imported lazily so reply_tokens() works without it

    path = Path(path)
    if EOS in reply:
        raise ValueError(f"reply must not contain {EOS!r} (it is used as a stop string)")
    texts, types = _base_vocab()
    eos_id = texts.index(EOS)
    bos_id = texts.index(BOS)
    chain = reply_tokens(reply)
    first_chain_id = len(texts)
    texts += [t[0] for t in chain]
    types += [t[1] for t in chain]
    n_vocab = len(texts)
    n_chain = len(chain)

    # Codes: 0 for every non-reply token, k+1 for reply token k.
    n_codes = n_chain + 1
    m = max(1, math.ceil(math.sqrt(n_codes)))
    head_dim = 64
    d = max(head_dim, -(-2 * m // head_dim) * head_dim)
    n_head = d // head_dim
    n_ff = 64

    codes = np.zeros((n_codes, d), dtype=np.float32)
    idx = np.arange(n_codes)
    codes[idx, idx // m] = 1.0
    codes[idx, m + idx % m] = 1.0

    embd = np.empty((n_vocab, d), dtype=np.float32)
    embd[:first_chain_id] = codes[0]
    embd[first_chain_id:] = codes[1:]

    # After the final RMSNorm a two-hot code has entries sqrt(d/2); scale the
    # output rows so the right token scores 100 and a half-match scores 50.
    alpha = 50.0 / math.sqrt(d / 2.0)
    out = np.zeros((n_vocab, d), dtype=np.float32)
    targets = list(range(first_chain_id, first_chain_id + n_chain)) + [eos_id]
    out[targets] = alpha * codes  # code j -> targets[j]

    zeros_dd = np.zeros((d, d), dtype=np.float32)
    ones_d = np.ones(d, dtype=np.float32)

    path.parent.mkdir(parents=True, exist_ok=True)
    w = gguf.GGUFWriter(str(path), "llama")
    w.add_name("l10n-fixed-reply")
    w.add_context_length(context_length)
    w.add_embedding_length(d)
    w.add_block_count(1)
    w.add_feed_forward_length(n_ff)
    w.add_head_count(n_head)
    w.add_head_count_kv(n_head)
    w.add_rope_dimension_count(head_dim)
    w.add_rope_freq_base(10000.0)
    w.add_layer_norm_rms_eps(1e-5)
    w.add_vocab_size(n_vocab)
    w.add_file_type(0)  # ALL_F32

    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("default")
    w.add_token_list(texts)
    w.add_token_types(types)
    w.add_token_merges(["ÿ ÿ"])
    w.add_bos_token_id(bos_id)
    w.add_eos_token_id(eos_id)
    w.add_add_bos_token(False)
    w.add_add_eos_token(False)
    w.add_chat_template(CHAT_TEMPLATE)

    w.add_tensor("token_embd.weight", embd)
    w.add_tensor("blk.0.attn_norm.weight", ones_d)
    w.add_tensor("blk.0.attn_q.weight", zeros_dd)
    w.add_tensor("blk.0.attn_k.weight", zeros_dd)
    w.add_tensor("blk.0.attn_v.weight", zeros_dd)
    w.add_tensor("blk.0.attn_output.weight", zeros_dd)
    w.add_tensor("blk.0.ffn_norm.weight", ones_d)
    w.add_tensor("blk.0.ffn_gate.weight", np.zeros((n_ff, d), dtype=np.float32))
    w.add_tensor("blk.0.ffn_up.weight", np.zeros((n_ff, d), dtype=np.float32))
    w.add_tensor("blk.0.ffn_down.weight", np.zeros((d, n_ff), dtype=np.float32))
    w.add_tensor("output_norm.weight", ones_d)
    w.add_tensor("output.weight", out)

    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return path


if __name__ == "__main__":  # pragma: no cover - manual smoke test
    import sys
    import time

    t0 = time.perf_counter()
    p = build_model(Path(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else "Hello, world!")
    print(p, p.stat().st_size, "bytes", "%.3fs" % (time.perf_counter() - t0))
