"""The engines every install has: ``copy`` and ``pseudo``."""

from __future__ import annotations

import math
import re
from typing import Sequence


class CopyEngine:
    """Copies the source text: translation stubs for people to translate."""

    model = "copy/1"
    #: cheap and stateless: one copy per worker process is fine, and no
    #: translation memory is worth keeping
    parallel = True
    memory = False

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        return list(texts)

    def translate_aligned(self, texts: Sequence[str], source: str, target: str) -> list[tuple[str, list]]:
        """Each word to itself."""
        return [(text, [(i, i) for i in range(len(text.split()))]) for text in texts]


_PLAIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_LOOKS = "àƀçđéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÀƁÇĐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ"
#: Each letter to its accented look-alike; vowels doubled, for length.
_TABLE = str.maketrans({a: (b * 2 if a in "aeiouAEIOU" else b) for a, b in zip(_PLAIN, _LOOKS)})
_TAGS = re.compile(r"(<\s*/?\s*[gx]\s*\d+\s*/?\s*>)", re.IGNORECASE)


class PseudoEngine:
    """Pseudo-localisation: accented look-alikes, 35% longer, in brackets (for QA).

    Deterministic. Text that reaches a page unchanged was never translated, and
    a layout that survives 35% longer strings survives most languages.
    """

    model = "pseudo/1"
    parallel = True
    memory = False
    #: its output is in no language: detection does not judge it
    detectable = False
    expansion = 0.35

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        return [self.pseudo(t) for t in texts]

    def translate_aligned(self, texts: Sequence[str], source: str, target: str) -> list[tuple[str, list]]:
        """Each word to its look-alike (the brackets and padding join the first and last)."""
        out = []
        for text in texts:
            translated = self.pseudo(text)
            count = min(len(text.split()), len(translated.split()))
            out.append((translated, [(i, i) for i in range(count)]))
        return out

    def pseudo(self, text: str) -> str:
        if not text.strip():
            return text
        if "<" in text:
            parts = _TAGS.split(text)
            # odd parts are tags: markup placeholders stay as they are
            body = "".join(p if i % 2 else p.translate(_TABLE) for i, p in enumerate(parts))
            visible = sum(len(p) for p in parts[::2])
            grown = sum(len(p) for p in _TAGS.split(body)[::2])
        else:
            body = text.translate(_TABLE)
            visible, grown = len(text), len(body)
        pad = max(0, math.ceil(visible * (1 + self.expansion)) - grown - 2)
        return "⟦" + body + "·" * pad + "⟧"
